import type { QuadDb } from '../../db/database.js'
import { counts } from './outbox.repository.js'

/** Outgoing mail by state, and whether this instance sends it. */
export async function outboxSummary(db: QuadDb, enabled: boolean) {
  return { enabled, ...(await counts(db)) }
}
