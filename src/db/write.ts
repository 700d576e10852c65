import { type Kysely, type Transaction, sql } from 'kysely'
import type { OutboxRow } from '../cache/versions.js'
import { outboxRowsOf, ownOutboxRows } from './outbox.js'
import { currentScope } from './scope.js'
import type { DB } from './types.js'

export type Trx = Transaction<DB>

/** Called after commit, before the response: makes the write visible to every cache reader. */
export type CommitHook = (rows: readonly OutboxRow[]) => Promise<void>

/**
 * Runs a multi-statement write in one transaction and, after commit, hands the transaction's own
 * cache_outbox rows to the cache before the caller continues. Feature code never names a cache
 * key: the rows were written by the database triggers.
 */
export async function writeTransaction<T>(db: Kysely<DB>, onCommit: CommitHook, fn: (trx: Trx) => Promise<T>): Promise<T> {
  const scope = currentScope()
  if (scope) scope.writeDepth++
  let rows: OutboxRow[] = []
  try {
    const result = await db.transaction().execute(async (trx) => {
      const r = await fn(trx)
      rows = await ownOutboxRows(trx)
      return r
    })
    if (rows.length) await onCommit(rows)
    return result
  } finally {
    if (scope) scope.writeDepth--
  }
}

/**
 * One statement that is its own transaction: no BEGIN/COMMIT round trips. It runs as a
 * data-modifying CTE that also returns its transaction id; once it has committed, that
 * transaction's outbox rows are applied before the caller continues — two statements for a write
 * that a transaction would take four. `build` gets the database handle to build the statement on.
 */
export async function writeStatement<R>(db: Kysely<DB>, onCommit: CommitHook, build: (db: Kysely<DB>) => { execute(): Promise<R[]> }): Promise<R[]> {
  const scope = currentScope()
  if (scope) scope.writeDepth++
  try {
    const stmt = build(db)
    const r = await db
      .with('w', () => stmt as never)
      .selectNoFrom([
        sql<R[]>`coalesce((select json_agg(w) from w), '[]'::json)`.as('rows'),
        sql<string>`pg_current_xact_id()::text`.as('xid'),
      ])
      .executeTakeFirstOrThrow()
    const rows = await outboxRowsOf(db, r.xid)
    if (rows.length) await onCommit(rows)
    return r.rows
  } finally {
    if (scope) scope.writeDepth--
  }
}
