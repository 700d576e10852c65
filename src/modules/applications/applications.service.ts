import type { PublicContext } from '../../cache/policy.js'
import type { QuadDb } from '../../db/database.js'
import type { Trx } from '../../db/write.js'
import { fail, type FieldError, forbidden, notFound } from '../../errors.js'
import type { SessionUser } from '../auth/session.js'
import type { ManagedApplication } from './applications.access.js'
import * as repo from './applications.repository.js'
import type { CreateApplicationBody, UpdateApplicationBody } from './applications.schema.js'
import { canonicalTimeZone, isTimeZone, localTime } from './time.js'
import { committeesFrozen, committeeWordSums, effectiveMaxCommittees, releaseBeforeExtension } from './rules.js'

export type { ManagedApplication } from './applications.access.js'
// What other modules use of the application rules and deadline rendering.
export { effectiveMaxCommittees } from './rules.js'
export { isTimeZone, type LocalTime, localTime } from './time.js'

/** What the officers' services use: reads, and one write transaction. */
export interface ApplicationDeps {
  db: QuadDb
  write<T>(fn: (trx: Trx) => Promise<T>): Promise<T>
}

const ms = (d: Date | string) => new Date(d).getTime()

function checkDates(starts: Date, ends: Date, release: Date): void {
  const fields: FieldError[] = []
  if (!(ends.getTime() > starts.getTime())) fields.push({ field: 'ends_at', code: 'BEFORE_START', message: 'The application must end after it starts' })
  if (release.getTime() < ends.getTime()) fields.push({ field: 'results_release_at', code: 'BEFORE_END', message: 'Results cannot be released before the application ends' })
  if (fields.length) throw fail('INVALID_DATES', 'The dates are inconsistent', fields)
}

function checkKind(kind: 'internal' | 'external', url: string | null): void {
  if (kind === 'external' && !url) {
    throw fail('EXTERNAL_URL_REQUIRED', 'An external application needs the address of its form', [
      { field: 'external_url', code: 'REQUIRED', message: 'Give the https:// address where students apply' },
    ])
  }
  if (kind === 'internal' && url) {
    throw fail('EXTERNAL_URL_NOT_ALLOWED', 'An internal application is filled in on Quad and has no external address', [
      { field: 'external_url', code: 'NOT_ALLOWED', message: 'Remove the address or make the application external' },
    ])
  }
}

function checkMaxCommittees(value: number, cap: number | null | undefined): void {
  if (cap != null && value > cap) {
    throw fail('MAX_COMMITTEES_OVER_CAP', `This cycle allows at most ${cap} committees per applicant`, [
      { field: 'max_committees', code: 'OVER_CAP', message: `At most ${cap}` },
    ])
  }
}

/** The officer's full view of an application. */
export async function managedView(db: QuadDb, id: number, now: Date) {
  const app = await repo.findApplication(db, id)
  if (!app) throw notFound('Application')
  return renderManaged(db, app, now)
}

type Identity = Pick<ManagedApplication, 'id' | 'name' | 'description' | 'kind' | 'external_url' | 'club_code' | 'club_name' | 'cycle_id' | 'cycle_name'>

/** What names an application, the same on its public page and in the officers' view. */
const identity = (app: Identity) => ({
  id: app.id,
  name: app.name,
  description: app.description,
  kind: app.kind,
  external_url: app.external_url,
  club: { code: app.club_code, name: app.club_name },
  cycle: app.cycle_id ? { id: app.cycle_id, name: app.cycle_name! } : null,
})

export type Structure = Awaited<ReturnType<typeof repo.applicationStructure>>

/** Committees and ordered questions with their choices and committee links (one statement). */
export const applicationStructure = (db: QuadDb, id: number): Promise<Structure> => repo.applicationStructure(db, id)

/** Questions in order, each choice as id and label (the array order already carries its position). */
export const publicQuestions = (questions: Structure['questions']) =>
  questions.map(({ choices, ...q }) => ({ ...q, choices: choices.map(({ id, label }) => ({ id, label })) }))

/** Committees and questions as the public page shows them. */
export const publicStructure = (s: Structure) => ({ committees: s.committees, questions: publicQuestions(s.questions) })

export async function renderManaged(db: QuadDb, app: ManagedApplication, now: Date) {
  const [structure, counts] = await Promise.all([repo.applicationStructure(db, app.id), repo.submissionCounts(db, app.id)])
  return {
    ...identity(app),
    starts_at: app.starts_at,
    ends_at: app.ends_at,
    results_release_at: app.results_release_at,
    own_deadline: app.own_deadline,
    max_committees: app.max_committees,
    effective_max_committees: effectiveMaxCommittees(app.max_committees, app.cycle_max_committees),
    active: app.active,
    acceptance_template: app.acceptance_template,
    rejection_template: app.rejection_template,
    rules: {
      freeze_committees: app.freeze_committees ?? false,
      committees_frozen: committeesFrozen(app, now),
      committee_word_cap: app.committee_word_cap,
      max_committees: app.cycle_max_committees,
      require_complete_profile: app.require_complete_profile ?? false,
    },
    committees: structure.committees,
    questions: publicQuestions(structure.questions),
    counts,
    updated_at: app.updated_at,
  }
}

export async function listClubApplications(db: QuadDb, clubId: number) {
  const rows = await repo.clubApplications(db, clubId)
  return {
    applications: rows.map((r) => ({
      id: r.id,
      name: r.name,
      kind: r.kind,
      active: r.active,
      cycle: r.cycle_id ? { id: r.cycle_id, name: r.cycle_name! } : null,
      starts_at: r.starts_at,
      ends_at: r.ends_at,
      results_release_at: r.results_release_at,
      drafts: Number(r.drafts ?? 0),
      submissions: Number(r.submissions ?? 0),
    })),
  }
}

/** Creates an application of the club; only administrators give one in a cycle its own dates. */
export async function createApplication(deps: ApplicationDeps, viewer: SessionUser, clubId: number, body: CreateApplicationBody, now: Date) {
  const kind = body.kind ?? 'internal'
  const url = body.external_url ?? null
  checkKind(kind, url)
  const hasDates = body.starts_at !== undefined || body.ends_at !== undefined || body.results_release_at !== undefined
  let values: repo.NewApplication
  const base = {
    club_id: clubId,
    name: body.name.trim(),
    description: body.description ?? '',
    kind,
    external_url: url,
    active: body.active ?? true,
    acceptance_template: body.acceptance_template ?? '',
    rejection_template: body.rejection_template ?? '',
  }
  if (body.cycle_id != null) {
    const cycle = await repo.findCycle(deps.db, body.cycle_id)
    if (!cycle) throw notFound('Cycle')
    if (ms(cycle.ends_at) <= now.getTime()) throw fail('CYCLE_ENDED', `${cycle.name} has ended; create a standalone application or use a later cycle`)
    if (hasDates && !viewer.isAdmin) {
      throw fail('DATES_FROM_CYCLE', 'Applications in a cycle take its dates; an administrator can grant an own deadline')
    }
    const starts = new Date(body.starts_at ?? cycle.starts_at)
    const ends = new Date(body.ends_at ?? cycle.ends_at)
    const release = new Date(body.results_release_at ?? cycle.results_release_at)
    checkDates(starts, ends, release)
    const max = body.max_committees ?? cycle.max_committees ?? 1
    checkMaxCommittees(max, cycle.max_committees)
    values = { ...base, cycle_id: cycle.id, starts_at: starts, ends_at: ends, results_release_at: release, own_deadline: hasDates, max_committees: max }
  } else {
    if (body.starts_at === undefined || body.ends_at === undefined) {
      throw fail('DATES_REQUIRED', 'A standalone application needs its own start and end', [
        ...(body.starts_at === undefined ? [{ field: 'starts_at', code: 'REQUIRED', message: 'Required for a standalone application' }] : []),
        ...(body.ends_at === undefined ? [{ field: 'ends_at', code: 'REQUIRED', message: 'Required for a standalone application' }] : []),
      ])
    }
    const starts = new Date(body.starts_at)
    const ends = new Date(body.ends_at)
    const release = new Date(body.results_release_at ?? body.ends_at)
    checkDates(starts, ends, release)
    values = { ...base, cycle_id: null, starts_at: starts, ends_at: ends, results_release_at: release, max_committees: body.max_committees ?? 1 }
  }
  const { id } = await deps.write((trx) => repo.insertApplication(trx, values))
  return managedView(deps.db, id, now)
}

/** Edits an application; only administrators grant or remove an own deadline in a cycle. */
export async function updateApplication(deps: ApplicationDeps, viewer: SessionUser, app: ManagedApplication, body: UpdateApplicationBody, now: Date) {
  const patch: repo.ApplicationPatch = {}
  if (body.name !== undefined) patch.name = body.name.trim()
  if (body.description !== undefined) patch.description = body.description
  if (body.active !== undefined) patch.active = body.active
  if (body.acceptance_template !== undefined) patch.acceptance_template = body.acceptance_template
  if (body.rejection_template !== undefined) patch.rejection_template = body.rejection_template

  if (body.kind !== undefined || body.external_url !== undefined) {
    const kind = body.kind ?? app.kind
    // Switching to internal drops the old address unless one is (wrongly) given.
    const url = body.external_url !== undefined ? body.external_url : kind === 'internal' ? null : app.external_url
    checkKind(kind, url)
    patch.kind = kind
    patch.external_url = url
  }

  const datesGiven = body.starts_at !== undefined || body.ends_at !== undefined || body.results_release_at !== undefined
  let starts = new Date(app.starts_at)
  let ends = new Date(app.ends_at)
  let release = new Date(app.results_release_at)
  if (app.cycle_id !== null) {
    if (body.own_deadline !== undefined && !viewer.isAdmin) throw forbidden('Only administrators grant or remove an own deadline')
    if (body.own_deadline === false) {
      if (datesGiven) throw fail('DATES_FROM_CYCLE', 'Without an own deadline the application takes its cycle dates')
      starts = new Date(app.cycle_starts_at!)
      ends = new Date(app.cycle_ends_at!)
      release = new Date(app.cycle_results_release_at!)
      patch.own_deadline = false
    } else if (datesGiven) {
      if (!viewer.isAdmin) throw fail('DATES_FROM_CYCLE', 'Applications in a cycle take its dates; an administrator can grant an own deadline')
      patch.own_deadline = true
    } else if (body.own_deadline === true) {
      patch.own_deadline = true
    }
  } else if (body.own_deadline !== undefined) {
    throw fail('NOT_IN_CYCLE', 'A standalone application always has its own dates')
  }
  if (body.starts_at !== undefined) starts = new Date(body.starts_at)
  if (body.ends_at !== undefined) ends = new Date(body.ends_at)
  if (body.results_release_at !== undefined) release = new Date(body.results_release_at)
  if (datesGiven || body.own_deadline === false) {
    checkDates(starts, ends, release)
    patch.starts_at = starts
    patch.ends_at = ends
    patch.results_release_at = release
  }

  if (body.max_committees !== undefined && body.max_committees !== app.max_committees) {
    if (committeesFrozen(app, now)) throw fail('COMMITTEES_FROZEN', 'Committee settings are frozen once the application has opened')
    checkMaxCommittees(body.max_committees, app.cycle_max_committees)
    patch.max_committees = body.max_committees
  }
  await deps.write(async (trx) => {
    await repo.updateApplication(trx, app.id, patch)
    // After the update has locked the row, so a concurrent grant is either seen here or sees the new date.
    if (patch.results_release_at !== undefined) {
      const late = await repo.extensionPast(trx, app.id, release)
      if (late) throw releaseBeforeExtension(late.ends_at)
    }
  })
  return managedView(deps.db, app.id, now)
}

export async function deleteApplication(deps: Pick<ApplicationDeps, 'write'>, app: ManagedApplication) {
  const deleted = await deps.write((trx) => repo.deleteUnusedApplication(trx, app.id))
  if (!deleted) throw fail('APPLICATION_HAS_SUBMISSIONS', 'Students have started this application; deactivate it instead')
  return { ok: true }
}

/** Copies an application (committees, questions, choices) into a cycle with that cycle's dates. */
export async function duplicateApplication(deps: ApplicationDeps, app: ManagedApplication, body: { cycle_id?: number; name?: string }, now: Date) {
  const target = body.cycle_id !== undefined ? await repo.findCycle(deps.db, body.cycle_id) : await repo.currentCycle(deps.db, now)
  if (!target) throw body.cycle_id !== undefined ? notFound('Cycle') : fail('NO_CURRENT_CYCLE', 'No cycle is taking applications; name a cycle')
  if (target.id === app.cycle_id) throw fail('SAME_CYCLE', 'The application is already in this cycle')
  if (ms(target.ends_at) <= now.getTime()) throw fail('CYCLE_ENDED', `${target.name} has ended`)
  const structure = await repo.applicationStructure(deps.db, app.id)
  if (target.committee_word_cap != null) {
    for (const [committeeId, words] of committeeWordSums(structure.questions)) {
      if (words > target.committee_word_cap) {
        const name = structure.committees.find((c) => c.id === committeeId)?.name ?? String(committeeId)
        throw fail('WORD_CAP_EXCEEDED', `The ${name} questions allow ${words} words; ${target.name} caps a committee at ${target.committee_word_cap}`)
      }
    }
  }
  const max = effectiveMaxCommittees(app.max_committees, target.max_committees)
  const newId = await deps.write(async (trx) => {
    const { id: created } = await repo.insertApplication(trx, {
      club_id: app.club_id,
      cycle_id: target.id,
      name: body.name?.trim() ?? app.name,
      description: app.description,
      kind: app.kind,
      external_url: app.external_url,
      starts_at: target.starts_at,
      ends_at: target.ends_at,
      results_release_at: target.results_release_at,
      own_deadline: false,
      max_committees: max,
      // Officers review the copy before it goes public.
      active: false,
      acceptance_template: app.acceptance_template,
      rejection_template: app.rejection_template,
    })
    await repo.copyStructure(trx, app.id, created)
    return created
  })
  return managedView(deps.db, newId, now)
}

// ---------- public (cacheable; no viewer) ----------

export type WindowState = 'upcoming' | 'open' | 'closed'
export const stateAt = (starts: Date | string, ends: Date | string, now: Date): WindowState =>
  now.getTime() < ms(starts) ? 'upcoming' : now.getTime() < ms(ends) ? 'open' : 'closed'

function zone(tz: string | undefined): string | null {
  if (tz === undefined) return null
  if (!isTimeZone(tz)) throw fail('INVALID_TIME_ZONE', `Unknown time zone "${tz}"`, [{ field: 'tz', code: 'INVALID', message: 'Use an IANA name such as America/New_York' }])
  return tz
}

/** Time zones spelled canonically, so each zone is one cache key; unknown ones stay for the 400. */
export const normalizeZone = <Q extends { tz?: string }>(q: Q): Q => (q.tz ? { ...q, tz: canonicalTimeZone(q.tz) ?? q.tz } : q)

export async function listOpen(ctx: PublicContext<unknown, { cycle?: number; tz?: string }>) {
  const tz = zone(ctx.query.tz)
  const r = await repo.openApplications(ctx.db, ctx.now, ctx.query.cycle)
  if (!r.cycle_exists) throw notFound('Cycle')
  const apps = r.applications as unknown as Awaited<ReturnType<typeof repo.openApplications>>['applications']
  for (const a of apps) ctx.validUntil(a.ends_at as unknown as string)
  ctx.validUntil(r.next_opening as unknown as string | null)
  return {
    applications: apps.map((a) => ({
      id: a.id,
      name: a.name,
      kind: a.kind,
      external_url: a.external_url,
      club: { code: a.club_code, name: a.club_name },
      cycle: a.cycle_id ? { id: a.cycle_id, name: a.cycle_name! } : null,
      starts_at: new Date(a.starts_at).toISOString(),
      ends_at: new Date(a.ends_at).toISOString(),
      results_release_at: new Date(a.results_release_at).toISOString(),
      deadline: tz ? localTime(a.ends_at, tz) : null,
    })),
  }
}

export async function publicPage(ctx: PublicContext<{ id: number }, { tz?: string }>) {
  const tz = zone(ctx.query.tz)
  const app = await repo.publicApplication(ctx.db, ctx.params.id)
  if (!app) throw notFound('Application')
  const structure = await repo.applicationStructure(ctx.db, app.id)
  const state = stateAt(app.starts_at, app.ends_at, ctx.now)
  if (state === 'upcoming') ctx.validUntil(app.starts_at)
  if (state !== 'closed') ctx.validUntil(app.ends_at)
  return {
    ...identity(app),
    state,
    starts_at: app.starts_at,
    ends_at: app.ends_at,
    results_release_at: app.results_release_at,
    deadline: tz ? localTime(app.ends_at, tz) : null,
    max_committees: effectiveMaxCommittees(app.max_committees, app.cycle_max_committees),
    require_complete_profile: app.require_complete_profile ?? false,
    committees: structure.committees,
    questions: publicQuestions(structure.questions),
  } as const
}

export async function listCycles(ctx: PublicContext) {
  const rows = await repo.publicCycles(ctx.db)
  for (const c of rows) {
    if (ms(c.starts_at) > ctx.now.getTime()) ctx.validUntil(c.starts_at)
    else if (ms(c.ends_at) > ctx.now.getTime()) ctx.validUntil(c.ends_at)
  }
  return { cycles: rows.map((c) => ({ ...c, state: stateAt(c.starts_at, c.ends_at, ctx.now) })) }
}

