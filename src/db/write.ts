import type { Kysely, Transaction } from 'kysely'
import type { OutboxRow } from '../cache/versions.js'
import { ownOutboxRows } from './outbox.js'
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
