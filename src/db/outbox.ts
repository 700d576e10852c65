import { type Kysely, sql } from 'kysely'
import type pg from 'pg'

/** The oldest transaction still running: rows of transactions at or above it may yet commit. */
export async function snapshotXmin(db: Kysely<any>): Promise<string> {
  const r = await sql<{ xmin: string }>`select pg_snapshot_xmin(pg_current_snapshot())::text as xmin`.execute(db)
  return r.rows[0]!.xmin
}

export interface OutboxPoll {
  xmin: string
  rows: [id: number, dep: string, createdAtMs: number][]
}

/** Committed outbox rows of transactions at or above `cursor`, and the snapshot's xmin, in one statement. */
export async function pollOutbox(db: Kysely<any>, cursor: string): Promise<OutboxPoll> {
  const r = await sql<OutboxPoll>`
    select pg_snapshot_xmin(pg_current_snapshot())::text as xmin,
      coalesce((select json_agg(json_build_array(id, dep, (extract(epoch from created_at) * 1000)::bigint) order by id)
                from cache_outbox where xid >= ${cursor}::xid8), '[]'::json) as rows`.execute(db)
  return r.rows[0]!
}

/** Rows below the cursor that every poll has passed, once they are old enough. */
export async function pruneOutbox(db: Kysely<any>, cursor: string): Promise<void> {
  await sql`delete from cache_outbox where created_at < now() - interval '10 minutes' and xid < ${cursor}::xid8`.execute(db)
}

/** The rows a transaction wrote so far (read before its commit by the writer path). */
export async function ownOutboxRows(db: Kysely<any>): Promise<{ id: number; dep: string }[]> {
  const r = await sql<{ id: number; dep: string }>`select id, dep from cache_outbox where xid = pg_current_xact_id_if_assigned()`.execute(db)
  return r.rows.map((x) => ({ id: Number(x.id), dep: x.dep }))
}

/** The capture trigger notifies quad_cache on every commit that touched a cached table. */
export async function listenForCommits(client: pg.Client): Promise<void> {
  await client.query('listen quad_cache')
}

/** The rows a committed transaction wrote (the single-statement write path). */
export async function outboxRowsOf(db: Kysely<any>, xid: string): Promise<{ id: number; dep: string }[]> {
  const r = await sql<{ id: number; dep: string }>`select id, dep from cache_outbox where xid = ${xid}::xid8`.execute(db)
  return r.rows.map((x) => ({ id: Number(x.id), dep: x.dep }))
}
