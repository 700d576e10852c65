import { SingleBar } from 'cli-progress'
import { type Kysely, sql } from 'kysely'
import { CACHED_TABLES } from '../db/cached-tables.js'
import type { DB } from '../db/types.js'
import { hashPassword } from '../modules/auth/password.js'
import { DEMO_PASSWORD, type Dataset, generate, type Scale } from './generate.js'

export interface SeedOptions {
  scale: Scale
  randomSeed?: number
  anchor?: Date
  progress?: boolean
}

export interface SeedResult {
  counts: Record<string, number>
  ms: number
}

const MAX_PARAMS = 60_000

/**
 * Fills an empty database in one transaction. Triggers are bypassed for speed (the data is
 * consistent by construction); counters are recomputed and every cached table is invalidated.
 */
export async function seed(db: Kysely<DB>, opts: SeedOptions): Promise<SeedResult> {
  const t0 = performance.now()
  const existing = await db.selectFrom('clubs').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  if (Number(existing.n) > 0) throw new Error('the database already has clubs; seed an empty database')
  const anchor = opts.anchor ?? startOfUtcDay(new Date())
  const data = generate(opts.scale, opts.randomSeed ?? 42, anchor, await hashPassword(DEMO_PASSWORD))
  const total = data.reduce((n, [, rows]) => n + rows.length, 0)
  const bar = opts.progress ? new SingleBar({ format: 'seed [{bar}] {percentage}% | {value}/{total} rows | {table}', hideCursor: true }) : null
  bar?.start(total, 0, { table: '' })
  const counts: Record<string, number> = {}
  await db.transaction().execute(async (trx) => {
    await sql`set local session_replication_role = replica`.execute(trx)
    for (const [table, rows] of data) {
      counts[table] = rows.length
      await insertAll(trx, table, rows, (n) => bar?.increment(n, { table }))
    }
    await finish(trx, data)
  })
  // Fresh statistics, or the planner guesses on 200k unanalyzed rows.
  await sql`analyze`.execute(db)
  bar?.stop()
  return { counts, ms: performance.now() - t0 }
}

async function insertAll(trx: Kysely<DB>, table: string, rows: Record<string, unknown>[], tick: (n: number) => void) {
  if (rows.length === 0) return
  const cols = Object.keys(rows[0]!).length
  const batch = Math.max(1, Math.floor(MAX_PARAMS / cols))
  for (let i = 0; i < rows.length; i += batch) {
    const chunk = rows.slice(i, i + batch)
    await trx.insertInto(table as keyof DB).values(chunk as never).execute()
    tick(chunk.length)
  }
}

async function finish(trx: Kysely<DB>, data: Dataset) {
  for (const [table, rows] of data) {
    if (rows[0] && 'id' in rows[0]) {
      await sql`select setval(pg_get_serial_sequence(${table}, 'id'), greatest((select max(id) from ${sql.table(table)}), 1))`.execute(trx)
    }
  }
  await sql`insert into club_stats (club_id, bookmark_count, member_count)
      select c.id,
        (select count(*) from bookmarks b where b.club_id = c.id),
        (select count(*) from memberships m where m.club_id = c.id and m.active)
      from clubs c`.execute(trx)
  // Triggers were bypassed: bump every cached table's structure key so no cache entry survives.
  const tables = Object.keys(CACHED_TABLES)
  await sql`insert into cache_outbox (dep) select 's:' || t from unnest(${tables}::text[]) t
            union all select 't:' || t from unnest(${tables}::text[]) t`.execute(trx)
  await sql`select pg_notify('quad_cache', '')`.execute(trx)
}

export function startOfUtcDay(d: Date): Date {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()))
}

/** No clubs yet: a fresh database the demo data may go into. */
export async function isEmpty(db: Kysely<DB>): Promise<boolean> {
  return !(await db.selectFrom('clubs').select('id').limit(1).executeTakeFirst())
}
