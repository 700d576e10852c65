import { jsonArrayFrom } from 'kysely/helpers/postgres'
import type { QuadDb } from '../../db/database.js'
import { isForeignKeyViolation } from '../../db/pg-errors.js'
import { fail, notFound } from '../../errors.js'
import type { Runtime } from '../../runtime.js'
import type { SessionUser } from '../auth/session.js'
import { diff, REVIEWED_FIELDS } from '../manage/fields.js'
import { applyToClub, lockedClub } from '../manage/manage.repository.js'
import type { ClubPatch } from '../manage/manage.schema.js'

const isEmpty = (v: unknown) =>
  v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && Object.keys(v as object).length === 0)

/** Oldest first, at most this many of each kind per page load (a yearly renewal queues every club). */
export const QUEUE_LIMIT = 200

/** The approval queue: new clubs and pending edits, oldest first, each with its field diff. */
export async function queue(db: QuadDb) {
  const [clubs, revisions] = await Promise.all([
    db
      .selectFrom('clubs as c')
      .where('c.status', '=', 'pending')
      .where('c.archived_at', 'is', null)
      .selectAll('c')
      .select((eb) => [
        jsonArrayFrom(eb.selectFrom('club_tags as ct').innerJoin('tags as t', 't.id', 'ct.tag_id').whereRef('ct.club_id', '=', 'c.id').select('t.slug').orderBy('t.slug')).as('tag_rows'),
      ])
      .orderBy('c.updated_at')
      .orderBy('c.id')
      .limit(QUEUE_LIMIT)
      .execute(),
    db
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
      .limit(QUEUE_LIMIT)
      .execute(),
  ])
  const asValues = (c: Record<string, unknown> & { tag_rows: { slug: string }[] }): Record<string, unknown> => ({ ...c, tags: c.tag_rows.map((t) => t.slug) })
  const items = [
    ...clubs.map((c) => {
      const v = asValues(c as never)
      // A new club: everything it says is new; empty fields are left out.
      const empty = Object.fromEntries(REVIEWED_FIELDS.map((f) => [f, isEmpty(v[f]) ? v[f] : null]))
      return {
        kind: 'club' as const,
        id: c.id,
        club: { code: c.code, name: c.name, status: c.status },
        proposed_by: null,
        proposed_at: c.updated_at,
        diff: diff(empty, v),
      }
    }),
    ...revisions.map((r) => ({
      kind: 'revision' as const,
      id: r.revision_id,
      club: { code: r.code, name: r.name, status: r.status },
      proposed_by: r.proposer,
      proposed_at: r.proposed_at,
      diff: diff(asValues(r as never), r.changes as Record<string, unknown>),
    })),
  ]
  return items.sort((a, b) => new Date(a.proposed_at).getTime() - new Date(b.proposed_at).getTime())
}

export async function decideClub(rt: Runtime, user: SessionUser, code: string, approve: boolean, comment: string | undefined) {
  return rt.write(async (trx) => {
    const club = await trx.selectFrom('clubs').where('code', '=', code).where('archived_at', 'is', null).select(['id', 'status']).forNoKeyUpdate().executeTakeFirst()
    if (!club) throw notFound('Club')
    if (club.status !== 'pending') throw fail('NOT_PENDING', `This club is ${club.status}, not waiting for approval`)
    const now = new Date()
    await trx
      .updateTable('clubs')
      .set({ status: approve ? 'approved' : 'rejected', approved_at: approve ? now : null, approved_by: user.id, approval_comment: comment?.trim() || null, updated_at: now })
      .where('id', '=', club.id)
      .execute()
    return { code, status: approve ? 'approved' : 'rejected' }
  })
}

/** Approving applies the revision's fields to the club row: the public sees them from then on. */
export async function decideRevision(rt: Runtime, user: SessionUser, id: number, approve: boolean, comment: string | undefined) {
  return rt.write(async (trx) => {
    // Club row first, then the revision: the same lock order as edits, so the two never deadlock.
    const ref = await trx.selectFrom('club_revisions').where('id', '=', id).select('club_id').executeTakeFirst()
    if (!ref) throw notFound('Revision')
    const club = await lockedClub(trx, ref.club_id)
    const rev = (await trx.selectFrom('club_revisions').where('id', '=', id).selectAll().forUpdate().executeTakeFirst())!
    if (club.archived_at) throw notFound('Revision')
    if (rev.status !== 'pending') throw fail('REVISION_DECIDED', `This revision is ${rev.status}`)
    if (approve) {
      try {
        await applyToClub(trx, rev.club_id, rev.changes as Partial<ClubPatch>)
      } catch (err) {
        // e.g. the proposed category was deleted since: nothing is applied.
        if (isForeignKeyViolation(err)) throw fail('REVISION_STALE', 'This edit refers to something that no longer exists; reject it')
        throw err
      }
    }
    await trx
      .updateTable('club_revisions')
      .set({ status: approve ? 'approved' : 'rejected', comment: comment?.trim() || null, decided_by: user.id, decided_at: new Date() })
      .where('id', '=', id)
      .execute()
    return { code: club.code, status: approve ? 'approved' : 'rejected', revision_id: id }
  })
}
