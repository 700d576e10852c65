import { createHash, randomBytes } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { openDatabase } from '../src/db/database.js'
import { migrateToLatest } from '../src/db/migrate.js'
import type { Scale } from '../src/seed/generate.js'
import { seed, startOfUtcDay } from '../src/seed/seed.js'
import { goldenCluster } from './golden.js'
import { hasPgLibrary, type PgSettings, ThrowawayPostgres } from './services.js'
import { enableStatements } from './statements.js'
import type { Ui } from './ui.js'

const ROOT = fileURLToPath(new URL('..', import.meta.url))

export interface BenchDatabase {
  name: string
  url: string
  /** Maintenance URL of the server that holds it (its `postgres` database). */
  adminUrl: string
  /** Where it runs, for the report. */
  server: string
  /** How it was made: a copy of the cached template (database or golden cluster), or seeded now. */
  origin: 'template' | 'seeded'
  seedMs: number
  /** Whether pg_stat_statements works on its server, or why not. */
  statements: { available: true } | { available: false; reason: string }
  drop(): Promise<void>
  /** Synchronous last resort for an exiting process (own cluster only). */
  kill?(): void
}

function withDatabase(adminUrl: string, name: string): string {
  const u = new URL(adminUrl)
  u.pathname = `/${name}`
  return u.toString()
}

async function admin<T>(adminUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: adminUrl, application_name: 'quad-bench' })
  await c.connect()
  try {
    return await fn(c)
  } finally {
    await c.end().catch(() => {})
  }
}

/**
 * The data set's identity: the generator, the schema, the scale, the random seed and the day the
 * timestamps are anchored to. A cached template is reused only while all of them are unchanged.
 */
/** YYYYMMDD of a date (UTC), to name cached data sets by the day their timestamps are anchored to. */
export const dayStamp = (d: Date) => d.toISOString().slice(0, 10).replace(/-/g, '')

export function dataSetKey(scale: Scale, randomSeed: number, anchor: Date): string {
  const h = createHash('sha256').update(`${scale}:${randomSeed}:${anchor.toISOString()}`)
  for (const dir of ['src/seed', 'src/db/migrations']) {
    for (const f of readdirSync(path.join(ROOT, dir)).sort()) h.update(f).update(readFileSync(path.join(ROOT, dir, f)))
  }
  for (const f of ['src/db/cached-tables.ts', 'src/db/migrate.ts']) h.update(readFileSync(path.join(ROOT, f)))
  return h.digest('hex').slice(0, 12)
}

async function seedInto(url: string, scale: Scale, randomSeed: number, anchor: Date): Promise<void> {
  const database = await openDatabase({ kind: 'postgres', url }, { appName: 'quad-seed', statementTimeoutMs: 0, max: 2 })
  try {
    await migrateToLatest(database.db)
    await seed(database.db, { scale, randomSeed, anchor })
  } finally {
    await database.close()
  }
}

/**
 * A fresh database on the machine's PostgreSQL, seeded at `scale`. Seeding seed or 10x scale takes
 * tens of seconds, so the seeded data is kept as a template database (quad_bench_tpl_<scale>_<day>_<key>)
 * and each run starts from a copy of it (CREATE DATABASE ... TEMPLATE, a file copy).
 */
export async function prepareDatabase(o: { pgAdminUrl: string; scale: Scale; randomSeed: number; freshSeed: boolean }): Promise<BenchDatabase> {
  const anchor = startOfUtcDay(new Date())
  const name = `quad_bench_${process.pid}_${randomBytes(3).toString('hex')}`
  const url = withDatabase(o.pgAdminUrl, name)
  const t0 = performance.now()
  let origin: BenchDatabase['origin'] = 'seeded'
  await reapOrphans(o.pgAdminUrl)
  if (o.freshSeed) {
    await admin(o.pgAdminUrl, (c) => c.query(`create database ${name}`))
    await seedInto(url, o.scale, o.randomSeed, anchor)
  } else {
    // Named by day: templates of earlier days are dropped; several versions of the code (worktrees,
    // branches) may keep one each on the same day.
    const prefix = `quad_bench_tpl_${o.scale.replace(/\W/g, '')}_`
    const day = dayStamp(anchor)
    const tpl = `${prefix}${day}_${dataSetKey(o.scale, o.randomSeed, anchor)}`
    await admin(o.pgAdminUrl, async (c) => {
      // One run at a time builds a template; the others wait and copy it.
      await c.query(`select pg_advisory_lock(hashtext('quad_bench_template'))`)
      try {
        const exists = await c.query(`select 1 from pg_database where datname = $1`, [tpl])
        if (exists.rowCount) {
          origin = 'template'
        } else {
          const old = await c.query<{ datname: string }>(`select datname from pg_database where starts_with(datname, $1)`, [prefix])
          for (const { datname } of old.rows) {
            if (datname.slice(prefix.length, prefix.length + 8) < day) await c.query(`drop database if exists ${datname} with (force)`)
          }
          await c.query(`create database ${tpl}`)
          try {
            await seedInto(withDatabase(o.pgAdminUrl, tpl), o.scale, o.randomSeed, anchor)
          } catch (err) {
            await c.query(`drop database if exists ${tpl} with (force)`).catch(() => {})
            throw err
          }
        }
        await c.query(`create database ${name} template ${tpl}`)
      } finally {
        await c.query(`select pg_advisory_unlock(hashtext('quad_bench_template'))`).catch(() => {})
      }
    })
  }
  return {
    name,
    url,
    adminUrl: o.pgAdminUrl,
    server: `the machine's PostgreSQL at ${new URL(o.pgAdminUrl).host}`,
    origin,
    seedMs: performance.now() - t0,
    statements: { available: false, reason: "the scenario ran on the machine's shared PostgreSQL (--shared-pg), whose statement statistics the benchmark does not reset" },
    drop: () => admin(o.pgAdminUrl, (c) => c.query(`drop database if exists ${name} with (force)`)).then(() => {}),
  }
}

/** The application database inside the benchmark's own clusters. */
const CLUSTER_DB = 'quad'

/**
 * The benchmark database on a PostgreSQL cluster of the benchmark's own (own port, temporary
 * folder, fsync on like the machine's server), started with shared_preload_libraries=
 * pg_stat_statements when the library is installed, so the report can say which statements took
 * the database's time. The cluster is a copy of a golden one seeded once per scale, day and data
 * set key (`quad-bench-golden-<day>-main-<scale>-<key>` in the temporary folder), like the drills'.
 */
export async function prepareOwnCluster(
  o: { scale: Scale; randomSeed: number; freshSeed: boolean; keep: boolean; pgStatStatements: boolean },
  ui: Ui,
): Promise<BenchDatabase> {
  const anchor = startOfUtcDay(new Date())
  const t0 = performance.now()
  const key = createHash('sha256').update(dataSetKey(o.scale, o.randomSeed, anchor)).update(CLUSTER_DB).digest('hex').slice(0, 12)
  const golden = await goldenCluster(
    {
      day: dayStamp(anchor),
      name: `main-${o.scale.replace(/\W/g, '')}-${key}`,
      fresh: o.freshSeed,
      metaFile: 'dataset.json',
      ui,
      message: `seeding a ${o.scale}-scale PostgreSQL cluster of the benchmark's own (kept in the temporary folder for today's runs)`,
    },
    async (pg) => {
      await admin(pg.url, (c) => c.query(`create database ${CLUSTER_DB}`))
      const t = performance.now()
      await seedInto(withDatabase(pg.url, CLUSTER_DB), o.scale, o.randomSeed, anchor)
      return { scale: o.scale, randomSeed: o.randomSeed, anchor: anchor.toISOString(), database: CLUSTER_DB, seed_ms: Math.round(performance.now() - t) }
    },
  )
  let statements: BenchDatabase['statements'] = { available: false, reason: 'disabled (--no-pg-stat-statements)' }
  let cluster: ThrowawayPostgres
  if (o.pgStatStatements && hasPgLibrary('pg_stat_statements')) {
    try {
      cluster = await ThrowawayPostgres.copyOf(golden.dir, STATEMENTS_SETTINGS)
      const why = await enableStatements(cluster.url)
      statements = why === null ? { available: true } : { available: false, reason: why }
    } catch (err) {
      statements = { available: false, reason: `the cluster did not start with pg_stat_statements: ${(err as Error).message.split('\n')[0]}` }
      cluster = await ThrowawayPostgres.copyOf(golden.dir, MEASURED_SETTINGS)
    }
  } else {
    if (o.pgStatStatements) statements = { available: false, reason: 'pg_stat_statements.so is not installed (PostgreSQL contrib)' }
    cluster = await ThrowawayPostgres.copyOf(golden.dir, MEASURED_SETTINGS)
  }
  const pg = cluster
  return {
    name: CLUSTER_DB,
    url: withDatabase(pg.url, CLUSTER_DB),
    adminUrl: pg.url,
    server: `a PostgreSQL cluster of the benchmark's own on 127.0.0.1:${pg.port} (fsync on${statements.available ? ', pg_stat_statements' : ''}), a copy of ${golden.built ? 'a golden cluster seeded now' : 'the golden cluster seeded earlier today'}`,
    origin: golden.built ? 'seeded' : 'template',
    seedMs: performance.now() - t0,
    statements,
    drop: async () => {
      if (!o.keep) return pg.destroy()
      await pg.stopServer('fast')
      ui.step(`kept the stopped cluster in ${pg.dir} (start it with pg_ctl -D ${pg.dir} start)`)
    },
    kill: () => pg.killSync(),
  }
}

/** The machine's server runs with fsync on: so does the measured cluster. */
const MEASURED_SETTINGS: PgSettings = {}
const STATEMENTS_SETTINGS: PgSettings = {
  ...MEASURED_SETTINGS,
  shared_preload_libraries: 'pg_stat_statements',
  'pg_stat_statements.max': '10000',
  'pg_stat_statements.track': 'top',
}

/** Databases of benchmark runs that died without cleaning up (their pid is gone). */
async function reapOrphans(adminUrl: string): Promise<void> {
  await admin(adminUrl, async (c) => {
    const { rows } = await c.query<{ datname: string }>(`select datname from pg_database where datname ~ '^quad_bench_[0-9]+_'`)
    for (const { datname } of rows) {
      const pid = Number(datname.split('_')[2])
      if (isAlive(pid)) continue
      await c.query(`drop database if exists ${datname} with (force)`).catch(() => {})
    }
  })
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

export interface PgCounters {
  xact: number
  tup_returned: number
  tup_fetched: number
  tup_written: number
  at: number
}

/** Counters of pg_stat_database for one database, read from a connection to another one. */
export async function pgCounters(adminUrl: string, database: string): Promise<PgCounters> {
  return admin(adminUrl, async (c) => {
    // Backends report their counters when they exit: wait until the stopped servers' are gone.
    for (let i = 0; i < 50; i++) {
      const busy = await c.query(`select count(*)::int as n from pg_stat_activity where datname = $1`, [database])
      if (busy.rows[0].n === 0) break
      await new Promise((r) => setTimeout(r, 100))
    }
    const { rows } = await c.query(
      `select xact_commit + xact_rollback as xact, tup_returned, tup_fetched, tup_inserted + tup_updated + tup_deleted as tup_written
         from pg_stat_database where datname = $1`,
      [database],
    )
    const r = rows[0] ?? {}
    return { xact: Number(r.xact ?? 0), tup_returned: Number(r.tup_returned ?? 0), tup_fetched: Number(r.tup_fetched ?? 0), tup_written: Number(r.tup_written ?? 0), at: performance.now() }
  })
}
