import type { QuadDb } from '../../db/database.js'
import { isUniqueViolation } from '../../db/pg-errors.js'
import type { Trx } from '../../db/write.js'
import { fail, type FieldError, notFound } from '../../errors.js'
import type { SessionUser } from '../auth/session.js'
import { effectiveMaxCommittees, isTimeZone, localTime } from '../applications/applications.service.js'
import * as repo from './submissions.repository.js'
import { type ContentInput, contentDigest, validateContent } from './validate.js'

const ms = (d: Date | string) => new Date(d).getTime()

/** What the applicant's services use: reads, and one write transaction. */
export interface SubmissionDeps {
  db: QuadDb
  write<T>(fn: (trx: Trx) => Promise<T>): Promise<T>
}

/** The later of the application's end and the applicant's extension. */
export const effectiveDeadline = (endsAt: Date | string, extension: Date | string | null | undefined) =>
  new Date(extension && ms(extension) > ms(endsAt) ? ms(extension) : ms(endsAt))

export interface Receipt {
  submission_id: number
  application_id: number
  submitted_at: string
  content_digest: string
  idempotency_key: string
}

const receipt = (r: { id: number; application_id: number; submitted_at: Date | string | null; content_digest: string | null; idempotency_key: string | null }): Receipt => ({
  submission_id: r.id,
  application_id: r.application_id,
  submitted_at: new Date(r.submitted_at!).toISOString(),
  content_digest: r.content_digest!,
  idempotency_key: r.idempotency_key ?? '',
})

/** Loads the form and checks the application takes submissions from this user at `at`. */
async function openForm(db: QuadDb, applicationId: number, user: SessionUser, at: Date) {
  const form = await repo.loadForm(db, applicationId, user.id)
  if (!form || !form.active) throw notFound('Application')
  if (form.kind === 'external') {
    throw fail('EXTERNAL_APPLICATION', `This application is filled in elsewhere: ${form.external_url}`)
  }
  if (at.getTime() < ms(form.starts_at)) {
    throw fail('NOT_OPEN', `This application opens at ${new Date(form.starts_at).toISOString()}`)
  }
  const deadline = effectiveDeadline(form.ends_at, form.extension_ends_at)
  // The deadline instant itself is too late: a submission must arrive strictly before it.
  if (at.getTime() >= deadline.getTime()) {
    throw fail('DEADLINE_PASSED', `The deadline was ${deadline.toISOString()}`)
  }
  return form
}

function checkProfile(form: repo.LoadedForm) {
  if (!form.require_complete_profile) return
  const p = (form.profile ?? {}) as { graduation_year?: number | null; school?: string | null; major?: string | null }
  const fields: FieldError[] = []
  if (p.graduation_year == null) fields.push({ field: 'profile.graduation_year', code: 'REQUIRED', message: 'Add your graduation year to your profile' })
  if (!p.school) fields.push({ field: 'profile.school', code: 'REQUIRED', message: 'Add your school to your profile' })
  if (!p.major) fields.push({ field: 'profile.major', code: 'REQUIRED', message: 'Add your major to your profile' })
  if (fields.length) throw fail('PROFILE_INCOMPLETE', 'This cycle requires a complete profile (graduation year, school and major)', fields)
}

const formRules = (form: repo.LoadedForm) => ({
  committeeIds: form.committee_ids,
  maxCommittees: effectiveMaxCommittees(form.max_committees, form.cycle_max_committees),
  questions: form.questions,
})

export async function start(deps: SubmissionDeps, user: SessionUser, applicationId: number, at: Date) {
  const form = await openForm(deps.db, applicationId, user, at)
  checkProfile(form)
  const row = await deps.write((trx) => repo.startSubmission(trx, applicationId, user.id))
  return { created: row.created, body: { submission_id: row.id, state: row.submitted_at ? ('submitted' as const) : ('draft' as const) } }
}

/** Autosave: one short transaction writing only this applicant's rows. */
export async function saveDraft(deps: SubmissionDeps, user: SessionUser, applicationId: number, content: ContentInput, at: Date) {
  const form = await openForm(deps.db, applicationId, user, at)
  const checked = validateContent(formRules(form), content, 'draft')
  if (checked.errors.length) throw fail('INVALID_ANSWERS', 'Some answers cannot be saved', checked.errors)
  const saved = await deps.write(async (trx) => {
    const row = await repo.upsertDraft(trx, applicationId, user.id)
    if (!row) return undefined
    await repo.replaceResponses(trx, row.id, checked.answers)
    if (content.committees !== undefined) await repo.replaceCommittees(trx, row.id, checked.committees)
    return row
  })
  if (!saved) throw fail('ALREADY_SUBMITTED', 'This application was already submitted')
  return { submission_id: saved.id, saved_at: new Date(saved.updated_at).toISOString(), warnings: checked.warnings }
}

/**
 * Submits. The same idempotency key returns the first receipt (also to a concurrent twin);
 * the row is committed before the receipt is returned.
 */
export async function submit(deps: SubmissionDeps, user: SessionUser, applicationId: number, content: ContentInput, key: string, at: Date) {
  let checked: ReturnType<typeof validateContent>
  try {
    const form = await openForm(deps.db, applicationId, user, at)
    checkProfile(form)
    checked = validateContent(formRules(form), content, 'submit')
    if (checked.errors.length) throw fail('INVALID_ANSWERS', 'Some answers need attention', checked.errors)
  } catch (err) {
    // A retry of an accepted submit gets its receipt even after the deadline.
    const replay = await replayOf(deps.db, user, applicationId, key)
    if (replay) return { replayed: true, receipt: replay }
    throw err
  }
  const digest = contentDigest(applicationId, checked.committees, checked.answers)
  try {
    const row = await deps.write(async (trx) => {
      const r = await repo.markSubmitted(trx, { applicationId, userId: user.id, at, digest, key })
      if (!r) return undefined
      await repo.replaceResponses(trx, r.id, checked.answers)
      await repo.replaceCommittees(trx, r.id, checked.committees)
      return r
    })
    if (row) return { replayed: false, receipt: receipt(row) }
  } catch (err) {
    // A concurrent submit with the same key won the race on the key's unique index.
    if (!isUniqueViolation(err, 'submissions_idempotency_key')) throw err
  }
  const after = await replayOf(deps.db, user, applicationId, key)
  if (after) return { replayed: true, receipt: after }
  throw fail('ALREADY_SUBMITTED', 'This application was already submitted')
}

async function replayOf(db: QuadDb, user: SessionUser, applicationId: number, key: string): Promise<Receipt | null> {
  const prior = await repo.findByIdempotencyKey(db, user.id, key)
  if (!prior || !prior.submitted_at) return null
  if (prior.application_id !== applicationId) {
    throw fail('IDEMPOTENCY_KEY_REUSED', 'This idempotency key was used for another application')
  }
  return receipt(prior)
}

/** Decisions stay invisible to the applicant until the application's results release time. */
const released = (releaseAt: Date | string, at: Date) => at.getTime() >= ms(releaseAt)

export async function ownDraft(db: QuadDb, user: SessionUser, applicationId: number, at: Date) {
  const s = await repo.ownSubmission(db, applicationId, user.id)
  if (!s) throw notFound('Your application')
  const isReleased = released(s.results_release_at, at)
  return {
    submission_id: s.id,
    state: s.submitted_at ? ('submitted' as const) : ('draft' as const),
    committees: s.committees,
    answers: s.answers,
    updated_at: s.updated_at,
    receipt: s.submitted_at ? receipt({ ...s, application_id: applicationId }) : null,
    results_released: isReleased,
    decision: s.submitted_at && isReleased && s.status !== 'pending' ? { status: s.status, reason: s.reason } : null,
  }
}

export async function myApplications(db: QuadDb, user: SessionUser, at: Date, tzOverride?: string) {
  if (tzOverride !== undefined && !isTimeZone(tzOverride)) {
    throw fail('INVALID_TIME_ZONE', `Unknown time zone "${tzOverride}"`, [{ field: 'tz', code: 'INVALID', message: 'Use an IANA name such as America/New_York' }])
  }
  const r = await repo.myApplications(db, user.id)
  const tz = tzOverride ?? (isTimeZone(r.time_zone) ? r.time_zone : 'UTC')
  return {
    time_zone: tz,
    applications: r.applications.map((s) => {
      const deadline = effectiveDeadline(s.ends_at, s.extension_ends_at)
      const isReleased = released(s.results_release_at, at)
      const submitted = s.submitted_at !== null
      return {
        submission_id: s.id,
        application: {
          id: s.application_id,
          name: s.name,
          kind: s.kind,
          club: { code: s.club_code, name: s.club_name },
          cycle: s.cycle_id ? { id: s.cycle_id, name: s.cycle_name! } : null,
        },
        state: submitted ? ('submitted' as const) : ('draft' as const),
        started_at: new Date(s.created_at).toISOString(),
        updated_at: new Date(s.updated_at).toISOString(),
        deadline: localTime(deadline, tz),
        extended: deadline.getTime() > ms(s.ends_at),
        can_edit: !submitted && s.active && at.getTime() >= ms(s.starts_at) && at.getTime() < deadline.getTime(),
        receipt: submitted ? receipt({ ...s, id: s.id }) : null,
        results_release_at: localTime(s.results_release_at, tz),
        results_released: isReleased,
        decision: submitted && isReleased && s.status !== 'pending' ? { status: s.status, reason: s.reason } : null,
      }
    }),
  }
}
