import type { QuadDb } from '../../db/database.js'
import { isUniqueViolation } from '../../db/pg-errors.js'
import type { Trx } from '../../db/write.js'
import { fail, type FieldError, notFound } from '../../errors.js'
import { releaseBeforeExtension } from '../applications/rules.js'
import * as repo from './cycles.repository.js'
import type { CreateCycleBody, UpdateCycleBody } from './cycles.schema.js'

/** What the cycle services use: reads, and one write transaction. */
export interface CycleDeps {
  db: QuadDb
  write<T>(fn: (trx: Trx) => Promise<T>): Promise<T>
}

const ms = (d: Date | string) => new Date(d).getTime()

function checkDates(starts: Date, ends: Date, release: Date) {
  const fields: FieldError[] = []
  if (ends.getTime() <= starts.getTime()) fields.push({ field: 'ends_at', code: 'BEFORE_START', message: 'The cycle must end after it starts' })
  if (release.getTime() < ends.getTime()) fields.push({ field: 'results_release_at', code: 'BEFORE_END', message: 'Results cannot be released before the cycle ends' })
  if (fields.length) throw fail('INVALID_DATES', 'The dates are inconsistent', fields)
}

function render(c: repo.CycleRow) {
  return {
    id: c.id,
    name: c.name,
    organizer_club: c.organizer_code ? { code: c.organizer_code, name: c.organizer_name! } : null,
    starts_at: c.starts_at,
    ends_at: c.ends_at,
    results_release_at: c.results_release_at,
    freeze_committees: c.freeze_committees,
    committee_word_cap: c.committee_word_cap,
    max_committees: c.max_committees,
    require_complete_profile: c.require_complete_profile,
    applications: Number(c.applications ?? 0),
    created_at: c.created_at,
  }
}

const nameTaken = (err: unknown) => {
  if (isUniqueViolation(err)) throw fail('CYCLE_NAME_TAKEN', 'Another cycle has this name')
  throw err
}

async function organizerId(db: QuadDb, code: string | null | undefined): Promise<number | null | undefined> {
  if (code === undefined) return undefined
  if (code === null) return null
  const club = await repo.clubIdByCode(db, code)
  if (!club) throw fail('UNKNOWN_CLUB', `No club "${code}"`, [{ field: 'organizer_club', code: 'UNKNOWN', message: 'No such club' }])
  return club.id
}

export async function listCycles(db: QuadDb) {
  return { cycles: (await repo.listCycles(db)).map(render) }
}

export async function getCycle(db: QuadDb, id: number) {
  const c = await repo.findCycle(db, id)
  if (!c) throw notFound('Cycle')
  return render(c)
}

export async function createCycle(deps: CycleDeps, body: CreateCycleBody) {
  const starts = new Date(body.starts_at)
  const ends = new Date(body.ends_at)
  const release = new Date(body.results_release_at)
  checkDates(starts, ends, release)
  const organizer = await organizerId(deps.db, body.organizer_club)
  const { id } = await deps
    .write((trx) =>
      repo.insertCycle(trx, {
        name: body.name.trim(),
        starts_at: starts,
        ends_at: ends,
        results_release_at: release,
        organizer_club_id: organizer ?? null,
        freeze_committees: body.freeze_committees ?? false,
        committee_word_cap: body.committee_word_cap ?? null,
        max_committees: body.max_committees ?? null,
        require_complete_profile: body.require_complete_profile ?? false,
      }),
    )
    .catch(nameTaken)
  return getCycle(deps.db, id)
}

/**
 * Edits a cycle. New dates move every application of the cycle with them (one transaction),
 * except applications granted their own deadline; a lower committee cap lowers theirs.
 */
export async function updateCycle(deps: CycleDeps, id: number, body: UpdateCycleBody) {
  const cycle = await repo.findCycle(deps.db, id)
  if (!cycle) throw notFound('Cycle')
  const starts = new Date(body.starts_at ?? cycle.starts_at)
  const ends = new Date(body.ends_at ?? cycle.ends_at)
  const release = new Date(body.results_release_at ?? cycle.results_release_at)
  checkDates(starts, ends, release)
  const datesMoved = starts.getTime() !== ms(cycle.starts_at) || ends.getTime() !== ms(cycle.ends_at) || release.getTime() !== ms(cycle.results_release_at)
  const organizer = await organizerId(deps.db, body.organizer_club)
  const patch: repo.CyclePatch = {}
  if (body.name !== undefined) patch.name = body.name.trim()
  if (datesMoved) Object.assign(patch, { starts_at: starts, ends_at: ends, results_release_at: release })
  if (organizer !== undefined) patch.organizer_club_id = organizer
  if (body.freeze_committees !== undefined) patch.freeze_committees = body.freeze_committees
  if (body.committee_word_cap !== undefined) patch.committee_word_cap = body.committee_word_cap
  if (body.max_committees !== undefined) patch.max_committees = body.max_committees
  if (body.require_complete_profile !== undefined) patch.require_complete_profile = body.require_complete_profile
  const moved = await deps
    .write(async (trx) => {
      if (Object.keys(patch).length) await repo.updateCycle(trx, id, patch)
      const n = datesMoved ? await repo.moveApplications(trx, id, { starts_at: starts, ends_at: ends, results_release_at: release }) : 0
      // Read after the move has locked the applications: a concurrent grant is seen here or sees the new date.
      const late = datesMoved ? await repo.extensionPast(trx, id, release) : undefined
      if (late) throw releaseBeforeExtension(late.ends_at)
      if (body.max_committees != null) await repo.capMaxCommittees(trx, id, body.max_committees)
      return n
    })
    .catch(nameTaken)
  return { cycle: await getCycle(deps.db, id), moved_applications: moved }
}

export async function deleteCycle(deps: Pick<CycleDeps, 'write'>, id: number) {
  const r = await deps.write((trx) => repo.deleteEmptyCycle(trx, id))
  if (r === 'missing') throw notFound('Cycle')
  if (r === 'in_use') throw fail('CYCLE_HAS_APPLICATIONS', 'Remove or move the applications of this cycle first')
  return { ok: true }
}

export async function attachClubs(deps: CycleDeps, id: number, codes: string[]) {
  const cycle = await repo.findCycle(deps.db, id)
  if (!cycle) throw notFound('Cycle')
  const clubs = await repo.clubsByCodes(deps.db, codes)
  const known = new Set(clubs.map((c) => c.code))
  const unknown = codes.filter((c) => !known.has(c))
  if (unknown.length) {
    throw fail('UNKNOWN_CLUB', `Unknown clubs: ${unknown.join(', ')}`, unknown.map((c) => ({ field: 'clubs', code: 'UNKNOWN', message: `No club "${c}"` })))
  }
  const created = await deps.write((trx) => repo.attachClubs(trx, cycle, clubs.map((c) => c.id)))
  const createdCodes = new Set(created.map((r) => r.code))
  return {
    created: created.map((r) => ({ club: r.code, application_id: r.id })),
    already_attached: codes.filter((c) => !createdCodes.has(c)),
  }
}

export async function detachClub(deps: CycleDeps, id: number, code: string) {
  const club = await repo.clubIdByCode(deps.db, code)
  if (!club) throw notFound('Club')
  const r = await deps.write((trx) => repo.detachClub(trx, id, club.id))
  if (r === 'missing') throw notFound('Application of this club in the cycle')
  if (r === 'started') throw fail('APPLICATION_HAS_SUBMISSIONS', 'Students have started this club’s application; deactivate it instead')
  return { ok: true }
}

export async function cycleProgress(db: QuadDb, id: number, now: Date) {
  const cycle = await repo.findCycle(db, id)
  if (!cycle) throw notFound('Cycle')
  const clubs = await repo.progress(db, id, now)
  const keys = ['applications', 'open', 'started', 'drafts', 'submissions', 'decisions', 'notified'] as const
  const totals = Object.fromEntries(keys.map((k) => [k, clubs.reduce((n, c) => n + c[k], 0)])) as Record<(typeof keys)[number], number>
  return {
    cycle: { id: cycle.id, name: cycle.name, starts_at: cycle.starts_at, ends_at: cycle.ends_at, results_release_at: cycle.results_release_at },
    totals,
    clubs,
  }
}
