import { jsonArrayFrom } from 'kysely/helpers/postgres'
import type { QuadDb } from '../../db/database.js'
import type { Trx } from '../../db/write.js'

/** New clubs waiting for approval, oldest first, with their tags as slugs. */
export function pendingClubs(db: QuadDb, limit: number) {
  return db
    .selectFrom('clubs as c')
    .where('c.status', '=', 'pending')
    .where('c.archived_at', 'is', null)
    .selectAll('c')
    .select((eb) => [
      jsonArrayFrom(eb.selectFrom('club_tags as ct').innerJoin('tags as t', 't.id', 'ct.tag_id').whereRef('ct.club_id', '=', 'c.id').select('t.slug').orderBy('t.slug')).as('tag_rows'),
    ])
    .orderBy('c.updated_at')
    .orderBy('c.id')
    .limit(limit)
    .execute()
}

/** Pending edits of clubs that are not archived, oldest first, with the club's approved values. */
export function pendingRevisions(db: QuadDb, limit: number) {
  return db
    .selectFrom('club_revisions as r')
    .innerJoin('clubs as c', 'c.id', 'r.club_id')
    .leftJoin('users as u', 'u.id', 'r.proposed_by')
    .where('r.status', '=', 'pending')
    .where('c.archived_at', 'is', null)
    .selectAll('c')
    .select((eb) => [
      'r.id as revision_id',
      'r.changes',
      'r.created_at as proposed_at',
      'u.name as proposer',
      jsonArrayFrom(eb.selectFrom('club_tags as ct').innerJoin('tags as t', 't.id', 'ct.tag_id').whereRef('ct.club_id', '=', 'c.id').select('t.slug').orderBy('t.slug')).as('tag_rows'),
    ])
    .orderBy('r.created_at')
    .orderBy('r.id')
    .limit(limit)
    .execute()
}

/** A club that is not archived, locked for its decision. */
export function lockedClubByCode(trx: Trx, code: string) {
  return trx.selectFrom('clubs').where('code', '=', code).where('archived_at', 'is', null).select(['id', 'status']).forNoKeyUpdate().executeTakeFirst()
}

export async function decideClub(trx: Trx, clubId: number, v: { approve: boolean; by: number; comment: string | null; now: Date }): Promise<void> {
  await trx
    .updateTable('clubs')
    .set({ status: v.approve ? 'approved' : 'rejected', approved_at: v.approve ? v.now : null, approved_by: v.by, approval_comment: v.comment, updated_at: v.now })
    .where('id', '=', clubId)
    .execute()
}

/** The club a revision belongs to (read before any lock, to lock the club first). */
export async function revisionClubId(trx: Trx, id: number): Promise<number | undefined> {
  return (await trx.selectFrom('club_revisions').where('id', '=', id).select('club_id').executeTakeFirst())?.club_id
}

export function lockedRevision(trx: Trx, id: number) {
  return trx.selectFrom('club_revisions').where('id', '=', id).selectAll().forUpdate().executeTakeFirstOrThrow()
}

export async function decideRevision(trx: Trx, id: number, v: { approve: boolean; by: number; comment: string | null; now: Date }): Promise<void> {
  await trx
    .updateTable('club_revisions')
    .set({ status: v.approve ? 'approved' : 'rejected', comment: v.comment, decided_by: v.by, decided_at: v.now })
    .where('id', '=', id)
    .execute()
}
