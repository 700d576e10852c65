import { sql } from 'kysely'
import type { QuadDb } from '../../db/database.js'
import type { SubmissionStatus } from '../../db/types.js'
import type { Trx } from '../../db/write.js'

/** One decision email per applicant per application: the outbox's unique dedupe key. */
export const decisionKey = (applicationId: number, userId: number) => `decision:${applicationId}:${userId}`

export interface Candidate {
  id: number
  user_id: number
  status: SubmissionStatus
  reason: string
  email: string
  name: string
  email_status: string | null
  notified_at: Date | null
}

/** Submitted applications with the state of their decision email, if one was ever queued (or they were notified otherwise). */
export async function candidates(db: QuadDb | Trx, applicationId: number, ids?: number[]): Promise<Candidate[]> {
  const r = await sql<Candidate>`
    select s.id, s.user_id, s.status, s.reason, s.notified_at, u.email, u.name, o.status as email_status
    from submissions s
    join users u on u.id = s.user_id
    left join email_outbox o on o.dedupe_key = 'decision:' || s.application_id || ':' || s.user_id
    where s.application_id = ${applicationId} and s.submitted_at is not null
      ${ids ? sql`and s.id = any(${ids}::int[])` : sql``}
    order by s.id`.execute(db)
  return r.rows
}

export interface OutboxInsert {
  kind: string
  dedupe_key: string
  to_email: string
  subject: string
  body: string
  user_id: number
  submission_id: number
}

/** Queues emails; a key already queued (by a concurrent call) is skipped. Returns the queued submission ids. */
export async function enqueue(trx: Trx, rows: OutboxInsert[]): Promise<Set<number>> {
  if (!rows.length) return new Set()
  const r = await trx
    .insertInto('email_outbox')
    .values(rows)
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('submission_id')
    .execute()
  return new Set(r.map((x) => x.submission_id!))
}

/** Makes accepted applicants members (reactivating a lapsed membership, never demoting an officer). */
export async function addMembers(trx: Trx, clubId: number, userIds: number[]): Promise<number> {
  if (!userIds.length) return 0
  const r = await sql<{ id: number }>`
    insert into memberships (club_id, user_id, role)
    select ${clubId}, u, 'member' from unnest(${userIds}::int[]) as u
    on conflict (club_id, user_id) do update set active = true where memberships.active = false
    returning id`.execute(trx)
  return r.rows.length
}
