import type { QuadDb } from '../../db/database.js'
import { isForeignKeyViolation } from '../../db/pg-errors.js'
import type { Trx } from '../../db/write.js'
import { fail, notFound } from '../../errors.js'
import type { SessionUser } from '../auth/session.js'
import { applyReviewedChanges, lockClubForReview, REVIEWED_FIELDS, reviewDiff } from '../manage/manage.service.js'
import * as repo from './approvals.repository.js'

export interface ApprovalDeps {
  write<T>(fn: (trx: Trx) => Promise<T>): Promise<T>
}

const isEmpty = (v: unknown) =>
  v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && Object.keys(v as object).length === 0)

/** Oldest first, at most this many of each kind per page load (a yearly renewal queues every club). */
export const QUEUE_LIMIT = 200

/** The approval queue: new clubs and pending edits, oldest first, each with its field diff. */
export async function queue(db: QuadDb) {
  const [clubs, revisions] = await Promise.all([repo.pendingClubs(db, QUEUE_LIMIT), repo.pendingRevisions(db, QUEUE_LIMIT)])
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
        diff: reviewDiff(empty, v),
      }
    }),
    ...revisions.map((r) => ({
      kind: 'revision' as const,
      id: r.revision_id,
      club: { code: r.code, name: r.name, status: r.status },
      proposed_by: r.proposer,
      proposed_at: r.proposed_at,
      diff: reviewDiff(asValues(r as never), r.changes as Record<string, unknown>),
    })),
  ]
  return items.sort((a, b) => new Date(a.proposed_at).getTime() - new Date(b.proposed_at).getTime())
}

export async function decideClub(deps: ApprovalDeps, user: SessionUser, code: string, approve: boolean, comment: string | undefined, now: Date) {
  return deps.write(async (trx) => {
    const club = await repo.lockedClubByCode(trx, code)
    if (!club) throw notFound('Club')
    if (club.status !== 'pending') throw fail('NOT_PENDING', `This club is ${club.status}, not waiting for approval`)
    await repo.decideClub(trx, club.id, { approve, by: user.id, comment: comment?.trim() || null, now })
    return { code, status: approve ? 'approved' : 'rejected' }
  })
}

/** Approving applies the revision's fields to the club row: the public sees them from then on. */
export async function decideRevision(deps: ApprovalDeps, user: SessionUser, id: number, approve: boolean, comment: string | undefined, now: Date) {
  return deps.write(async (trx) => {
    // Club row first, then the revision: the same lock order as edits, so the two never deadlock.
    const clubId = await repo.revisionClubId(trx, id)
    if (clubId === undefined) throw notFound('Revision')
    const club = await lockClubForReview(trx, clubId)
    const rev = await repo.lockedRevision(trx, id)
    if (club.archived_at) throw notFound('Revision')
    if (rev.status !== 'pending') throw fail('REVISION_DECIDED', `This revision is ${rev.status}`)
    if (approve) {
      try {
        await applyReviewedChanges(trx, rev.club_id, rev.changes as Record<string, unknown>, now)
      } catch (err) {
        // e.g. the proposed category was deleted since: nothing is applied.
        if (isForeignKeyViolation(err)) throw fail('REVISION_STALE', 'This edit refers to something that no longer exists; reject it')
        throw err
      }
    }
    await repo.decideRevision(trx, id, { approve, by: user.id, comment: comment?.trim() || null, now })
    return { code: club.code, status: approve ? 'approved' : 'rejected', revision_id: id }
  })
}
