import { sql } from 'kysely'
import type { QuadDb } from '../../db/database.js'
import type { Trx } from '../../db/write.js'

export interface Claimed {
  id: number
  kind: string
  to_email: string
  subject: string
  body: string
  submission_id: number | null
  attempts: number
}

/**
 * Leases up to `batch` due rows: queued ones whose time has come, and 'sending' ones whose lease
 * lapsed (their sender died). SKIP LOCKED lets any number of senders share the queue.
 */
export async function claimDue(db: QuadDb, batch: number, leaseMs: number): Promise<Claimed[]> {
  const r = await sql<Claimed>`
    update email_outbox o
    set status = 'sending', attempts = o.attempts + 1, next_attempt_at = now() + ${leaseMs} * interval '1 millisecond'
    where o.id in (
      select id from email_outbox
      where status in ('queued', 'sending') and next_attempt_at <= now()
      order by next_attempt_at, id
      limit ${batch}
      for update skip locked
    )
    returning o.id, o.kind, o.to_email, o.subject, o.body, o.submission_id, o.attempts`.execute(db)
  return r.rows
}

/** Marks a row sent and, for a decision, its submission notified. */
export async function markSent(trx: Trx, row: Claimed): Promise<void> {
  await trx.updateTable('email_outbox').set({ status: 'sent', sent_at: sql`now()`, last_error: null }).where('id', '=', row.id).execute()
  if (row.kind === 'decision' && row.submission_id !== null) {
    await trx.updateTable('submissions').set({ notified_at: sql`now()` }).where('id', '=', row.submission_id).execute()
  }
}

/** Puts a failed row back in the queue after a back-off, or gives up after the last attempt. */
export async function markFailed(trx: Trx, row: Claimed, error: string, retryInMs: number, maxAttempts: number): Promise<'queued' | 'failed'> {
  const status = row.attempts >= maxAttempts ? 'failed' : 'queued'
  await trx
    .updateTable('email_outbox')
    .set({ status, last_error: error.slice(0, 2000), next_attempt_at: sql`now() + ${retryInMs} * interval '1 millisecond'` })
    .where('id', '=', row.id)
    .execute()
  return status
}

export async function counts(db: QuadDb) {
  const r = await db
    .selectFrom('email_outbox')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute()
  const out = { queued: 0, sending: 0, sent: 0, failed: 0 }
  for (const x of r) out[x.status] = Number(x.n)
  return out
}
