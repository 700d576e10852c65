import type { QuadDb } from '../../db/database.js'
import type { SubmissionStatus } from '../../db/types.js'
import type { Trx } from '../../db/write.js'
import { fail, notFound } from '../../errors.js'
import type { SessionUser } from '../auth/session.js'
import { applicationStructure, type ManagedApplication, publicStructure, type Structure } from '../applications/applications.service.js'
import type { ReviewedSubmission } from './review.access.js'
import * as repo from './review.repository.js'

/** What the reviewers' services use: reads, and one write transaction. */
export interface ReviewDeps {
  db: QuadDb
  write<T>(fn: (trx: Trx) => Promise<T>): Promise<T>
}

export function labels(structure: Structure) {
  const committees = new Map(structure.committees.map((c) => [c.id, c.name]))
  const choices = new Map<number, string>()
  for (const q of structure.questions) for (const c of q.choices) choices.set(c.id, c.label)
  return { committees, choices }
}

function render(row: repo.ReviewRow, applicationId: number, names: ReturnType<typeof labels>) {
  return {
    id: row.id,
    application_id: applicationId,
    user: { id: row.user_id, name: row.name, email: row.email, graduation_year: row.graduation_year, school: row.school, major: row.major },
    status: row.status,
    reason: row.reason,
    submitted_at: row.submitted_at,
    content_digest: row.content_digest,
    notified_at: row.notified_at,
    committees: row.committees.map((c) => ({ id: c.committee_id, name: names.committees.get(c.committee_id) ?? '', rank: c.rank })),
    responses: row.responses.map((r) => ({ ...r, choices: r.choice_ids.map((id) => names.choices.get(id) ?? `#${id}`) })),
    notes: row.notes,
    average_score: row.average_score === null ? null : Number(row.average_score),
  }
}

/** A committee filter names a committee of this application (any other id is a 404, as in the path). */
export function checkCommitteeFilter(structure: Structure, committee: number | undefined) {
  if (committee !== undefined && !structure.committees.some((c) => c.id === committee)) throw notFound('Committee')
}

/** Every submitted application with all answers, in a fixed number of queries whatever the count. */
export async function listSubmissions(
  db: QuadDb,
  app: ManagedApplication,
  q: { committee?: number; status?: SubmissionStatus; limit?: number; offset?: number },
) {
  const applicationId = app.id
  const limit = q.limit ?? 500
  const offset = q.offset ?? 0
  const [structure, rows] = await Promise.all([
    applicationStructure(db, applicationId),
    repo.reviewPage(db, applicationId, { committee: q.committee, status: q.status }, limit, offset),
  ])
  checkCommitteeFilter(structure, q.committee)
  const names = labels(structure)
  return {
    application: { id: app.id, name: app.name, ...publicStructure(structure) },
    total: rows[0] ? Number(rows[0].total) : 0,
    limit,
    offset,
    submissions: rows.map((r) => render(r, applicationId, names)),
  }
}

export async function getSubmission(db: QuadDb, submission: ReviewedSubmission) {
  const [row, structure] = await Promise.all([repo.reviewOne(db, submission.id), applicationStructure(db, submission.application_id)])
  if (!row) throw notFound('Submission')
  return render(row, submission.application_id, labels(structure))
}

export async function setStatus(deps: Pick<ReviewDeps, 'write'>, submission: ReviewedSubmission, body: { status: SubmissionStatus; reason?: string }) {
  const reason = body.reason ?? ''
  await deps.write((trx) => repo.setStatus(trx, submission.application_id, [submission.id], body.status, reason))
  return { id: submission.id, status: body.status, reason }
}

/** All or nothing: one unknown id (or a draft, or another application's) changes nothing. */
export async function bulkSetStatus(
  deps: Pick<ReviewDeps, 'write'>,
  app: ManagedApplication,
  body: { submission_ids: number[]; status: SubmissionStatus; reason?: string },
) {
  const applicationId = app.id
  const updated = await deps.write(async (trx) => {
    const changed = await repo.setStatus(trx, applicationId, body.submission_ids, body.status, body.reason ?? '')
    if (changed.length !== body.submission_ids.length) {
      const ok = new Set(changed)
      const missing = body.submission_ids.filter((id) => !ok.has(id))
      throw fail(
        'UNKNOWN_SUBMISSIONS',
        `Not submitted applications of this application: ${missing.slice(0, 20).join(', ')}${missing.length > 20 ? ', …' : ''}`,
        missing.slice(0, 100).map((id) => ({ field: 'submission_ids', code: 'UNKNOWN', message: `No submitted application ${id} here` })),
      )
    }
    return changed.length
  })
  return { updated, status: body.status }
}

export async function addNote(deps: Pick<ReviewDeps, 'write'>, author: SessionUser, submission: ReviewedSubmission, body: { body: string; score?: number | null }) {
  const score = body.score == null ? null : Math.round(body.score * 100) / 100
  if (body.body.trim() === '' && score === null) {
    throw fail('EMPTY_NOTE', 'Write a note or give a score', [{ field: 'body', code: 'REQUIRED', message: 'A note needs text or a score' }])
  }
  const row = await deps.write((trx) => repo.insertNote(trx, submission.id, author.id, body.body, score))
  return { ...row, author_name: author.name, score: row.score === null ? null : Number(row.score) }
}
