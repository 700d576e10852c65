import type { SubmissionStatus } from '../../db/types.js'
import { fail, notFound } from '../../errors.js'
import type { Runtime } from '../../runtime.js'
import type { SessionUser } from '../auth/session.js'
import { requireApplicationRole } from '../applications/access.js'
import { applicationStructure } from '../applications/applications.repository.js'
import * as repo from './review.repository.js'

type Structure = Awaited<ReturnType<typeof applicationStructure>>

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

const publicStructure = (s: Structure) => ({
  committees: s.committees,
  questions: s.questions.map(({ choices, ...q }) => ({ ...q, choices: choices.map(({ id, label }) => ({ id, label })) })),
})

/** Every submitted application with all answers, in a fixed number of queries whatever the count. */
export async function listSubmissions(
  rt: Runtime,
  user: SessionUser,
  applicationId: number,
  q: { committee?: number; status?: SubmissionStatus; limit?: number; offset?: number },
) {
  const { app } = await requireApplicationRole(rt.db, user, applicationId)
  const limit = q.limit ?? 500
  const offset = q.offset ?? 0
  const [structure, rows] = await Promise.all([
    applicationStructure(rt.db, applicationId),
    repo.reviewPage(rt.db, applicationId, { committee: q.committee, status: q.status }, limit, offset),
  ])
  const names = labels(structure)
  return {
    application: { id: app.id, name: app.name, ...publicStructure(structure) },
    total: rows[0] ? Number(rows[0].total) : 0,
    limit,
    offset,
    submissions: rows.map((r) => render(r, applicationId, names)),
  }
}

/** Resolves a submitted submission and checks the officer's role in its application's club. */
async function requireSubmission(rt: Runtime, user: SessionUser, submissionId: number) {
  const s = await repo.submissionApplication(rt.db, submissionId)
  if (!s) throw notFound('Submission')
  const { app } = await requireApplicationRole(rt.db, user, s.application_id)
  return app
}

export async function getSubmission(rt: Runtime, user: SessionUser, submissionId: number) {
  // Read first (it names the application), return only after the permission check.
  const row = await repo.reviewOne(rt.db, submissionId)
  if (!row) throw notFound('Submission')
  const { app } = await requireApplicationRole(rt.db, user, row.application_id)
  const structure = await applicationStructure(rt.db, app.id)
  return render(row, app.id, labels(structure))
}

export async function setStatus(rt: Runtime, user: SessionUser, submissionId: number, body: { status: SubmissionStatus; reason?: string }) {
  const app = await requireSubmission(rt, user, submissionId)
  const reason = body.reason ?? ''
  await rt.write((trx) => repo.setStatus(trx, app.id, [submissionId], body.status, reason))
  return { id: submissionId, status: body.status, reason }
}

/** All or nothing: one unknown id (or a draft, or another application's) changes nothing. */
export async function bulkSetStatus(
  rt: Runtime,
  user: SessionUser,
  applicationId: number,
  body: { submission_ids: number[]; status: SubmissionStatus; reason?: string },
) {
  await requireApplicationRole(rt.db, user, applicationId)
  const updated = await rt.write(async (trx) => {
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

export async function addNote(rt: Runtime, user: SessionUser, submissionId: number, body: { body: string; score?: number | null }) {
  await requireSubmission(rt, user, submissionId)
  const score = body.score == null ? null : Math.round(body.score * 100) / 100
  if (body.body.trim() === '' && score === null) {
    throw fail('EMPTY_NOTE', 'Write a note or give a score', [{ field: 'body', code: 'REQUIRED', message: 'A note needs text or a score' }])
  }
  const row = await rt.write((trx) => repo.insertNote(trx, submissionId, user.id, body.body, score))
  return { ...row, author_name: user.name, score: row.score === null ? null : Number(row.score) }
}
