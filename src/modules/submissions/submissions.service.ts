import type { QuadDb } from '../../db/database.js'
import { isUniqueViolation } from '../../db/pg-errors.js'
import { fail, type FieldError, notFound } from '../../errors.js'
import type { SessionUser } from '../auth/session.js'
import { effectiveMaxCommittees, isTimeZone, localTime } from '../applications/applications.service.js'
import type { CacheEngine } from '../../cache/engine.js'
import { readRecordingDeps, VersionedValues } from '../../cache/versioned-values.js'
import * as repo from './submissions.repository.js'
import { type ContentInput, contentDigest, validateContent } from './validate.js'

const ms = (d: Date | string) => new Date(d).getTime()

/** What the applicant's services use: reads, and the forms kept in memory. */
export interface SubmissionDeps {
  db: QuadDb
  forms: FormCache
}

/** Form rules kept in memory per instance and checked by versions (see formCache). */
export interface FormCache {
  get(key: string): Promise<repo.FormRules | null>
}

/** The form rules of every application this instance serves, kept current by their versions. */
export function formCache(engine: CacheEngine, db: QuadDb): FormCache {
  return new VersionedValues<repo.FormRules>(
    engine,
    async (key) => {
      const { value, deps } = await readRecordingDeps(() => repo.formRules(db, Number(key)))
      return value ? { value, deps } : null
    },
    { max: 5000, ttlMs: 30 * 60_000 },
  )
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

/** The form, checked to take submissions from this applicant at `at` (their extension counts). */
async function openForm(deps: SubmissionDeps, applicationId: number, user: SessionUser, at: Date) {
  const form = await deps.forms.get(String(applicationId))
  if (!form || !form.active) throw notFound('Application')
  if (form.kind === 'external') {
    throw fail('EXTERNAL_APPLICATION', `This application is filled in elsewhere: ${form.external_url}`)
  }
  if (at.getTime() < ms(form.starts_at)) {
    throw fail('NOT_OPEN', `This application opens at ${form.starts_at}`)
  }
  // Only past the application's own end does the applicant's extension matter (one more read).
  if (at.getTime() >= ms(form.ends_at)) {
    const deadline = effectiveDeadline(form.ends_at, await repo.extensionEnd(deps.db, applicationId, user.id))
    // The deadline instant itself is too late: a submission must arrive strictly before it.
    if (at.getTime() >= deadline.getTime()) throw fail('DEADLINE_PASSED', `The deadline was ${deadline.toISOString()}`)
  }
  return form
}

async function checkProfile(db: QuadDb, form: repo.FormRules, user: SessionUser) {
  if (!form.require_complete_profile) return
  const p = (await repo.profileOf(db, user.id)) ?? { graduation_year: null, school: null, major: null }
  const fields: FieldError[] = []
  if (p.graduation_year == null) fields.push({ field: 'profile.graduation_year', code: 'REQUIRED', message: 'Add your graduation year to your profile' })
  if (!p.school) fields.push({ field: 'profile.school', code: 'REQUIRED', message: 'Add your school to your profile' })
  if (!p.major) fields.push({ field: 'profile.major', code: 'REQUIRED', message: 'Add your major to your profile' })
  if (fields.length) throw fail('PROFILE_INCOMPLETE', 'This cycle requires a complete profile (graduation year, school and major)', fields)
}

const formRules = (form: repo.FormRules) => ({
  committeeIds: form.committee_ids,
  maxCommittees: effectiveMaxCommittees(form.max_committees, form.cycle_max_committees),
  questions: form.questions,
})

export async function start(deps: SubmissionDeps, user: SessionUser, applicationId: number, at: Date) {
  const form = await openForm(deps, applicationId, user, at)
  await checkProfile(deps.db, form, user)
  const row = await repo.startSubmission(deps.db, applicationId, user.id)
  return { created: row.created, body: { submission_id: row.id, state: row.submitted_at ? ('submitted' as const) : ('draft' as const) } }
}

/** Autosave: the draft document, one statement (the form comes from memory). */
export async function saveDraft(deps: SubmissionDeps, user: SessionUser, applicationId: number, content: ContentInput, at: Date) {
  const form = await openForm(deps, applicationId, user, at)
  const checked = validateContent(formRules(form), content, 'draft')
  if (checked.errors.length) throw fail('INVALID_ANSWERS', 'Some answers cannot be saved', checked.errors)
  const saved = await repo.saveDraft(deps.db, {
    applicationId,
    userId: user.id,
    answers: checked.answers,
    committees: content.committees === undefined ? undefined : checked.committees,
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
    const form = await openForm(deps, applicationId, user, at)
    await checkProfile(deps.db, form, user)
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
    const row = await repo.submit(deps.db, { applicationId, userId: user.id, at, digest, key, answers: checked.answers, committees: checked.committees })
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

export async function ownDraft(deps: SubmissionDeps, user: SessionUser, applicationId: number, at: Date) {
  const s = await repo.ownSubmission(deps.db, applicationId, user.id)
  if (!s) throw notFound('Your application')
  const isReleased = released(s.results_release_at, at)
  // A draft may name questions, choices or committees removed since it was saved: leave them out.
  const form = s.submitted_at ? null : await deps.forms.get(String(applicationId))
  const questions = new Map(form?.questions.map((q) => [q.id, new Set(q.choice_ids)]))
  const answers = form
    ? s.answers.filter((a) => questions.has(a.question_id)).map((a) => ({ ...a, choice_ids: a.choice_ids.filter((c) => questions.get(a.question_id)!.has(c)) }))
    : s.answers
  const committees = form ? s.committees.filter((c) => form.committee_ids.includes(c)) : s.committees
  return {
    submission_id: s.id,
    state: s.submitted_at ? ('submitted' as const) : ('draft' as const),
    committees,
    answers,
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
