import type { QuadDb } from '../../db/database.js'
import { isCheckViolation } from '../../db/pg-errors.js'
import type { Trx } from '../../db/write.js'
import { fail, notFound } from '../../errors.js'
import type { Grant } from '../../http/access.js'
import type { SessionUser } from '../auth/session.js'
import { canonical, diff, normalizePatch, REVIEWED_FIELDS, splitPatch } from './fields.js'
import type { ClubCreate, ClubPatch, ContentKind } from './manage.schema.js'
import * as repo from './manage.repository.js'

export interface ManageDeps {
  db: QuadDb
  write<T>(fn: (trx: Trx) => Promise<T>): Promise<T>
}

/** Input that passed the schema but breaks a table rule is still the caller's mistake: 400. */
async function rethrowChecks<T>(p: Promise<T>): Promise<T> {
  try {
    return await p
  } catch (err) {
    if (isCheckViolation(err)) throw fail('INVALID_VALUE', 'A value is out of range')
    throw err
  }
}

/** Validates references (tags, category) before anything is written; an unknown one is bad input. */
async function checkRefs(db: QuadDb, p: ClubPatch) {
  if (p.tags?.length) {
    const found = await repo.tagsBySlug(db, p.tags)
    const missing = p.tags.filter((s) => !found.some((r) => r.slug === s))
    if (missing.length) throw fail('UNKNOWN_TAG', `Unknown tags: ${missing.join(', ')}`, [{ field: 'tags', code: 'UNKNOWN_TAG', message: missing.join(', ') }])
  }
  const id = p.category_id
  if (id !== null && id !== undefined && !(await repo.categoryExists(db, id))) {
    throw fail('UNKNOWN_CATEGORY', `Unknown category ${id}`, [{ field: 'category_id', code: 'UNKNOWN_CATEGORY', message: String(id) }])
  }
}

export async function createClub(deps: ManageDeps, user: SessionUser, body: ClubCreate, now: Date) {
  const { code, ...fields } = body
  const patch = normalizePatch(fields)
  await checkRefs(deps.db, patch)
  return rethrowChecks(
    deps.write(async (trx) => {
      const { tags, links, ...cols } = patch
      const club = await repo.insertClub(trx, code, patch.name!, cols, links)
      if (!club) throw fail('CODE_TAKEN', `The address "${code}" is taken; choose another`)
      await repo.addOwner(trx, club.id, user.id)
      if (tags) await repo.applyToClub(trx, club.id, { tags }, now)
      return { code: club.code, status: club.status, applied: Object.keys(patch).sort(), pending: [], revision_id: null }
    }),
  )
}

/**
 * Edits a club. A club that was never approved changes in place (nothing public to protect; a
 * rejected club goes back to the queue). An approved club gets immediate fields at once and its
 * reviewed fields merged into its one pending revision: the previous revision is superseded by
 * a new one holding both, and a field edited back to its approved value drops out of it.
 */
export async function editClub(deps: ManageDeps, user: SessionUser, club: { id: number; code: string }, input: ClubPatch, now: Date) {
  const patch = normalizePatch(input)
  await checkRefs(deps.db, patch)
  return rethrowChecks(
    deps.write(async (trx) => {
      const current = await repo.lockedClub(trx, club.id)
      if (current.status !== 'approved') {
        await repo.applyToClub(trx, club.id, patch, now, current.status === 'rejected' ? { status: 'pending' } : {})
        return { code: club.code, status: 'pending', applied: Object.keys(patch).sort(), pending: [], revision_id: null }
      }
      const { immediate, reviewed } = splitPatch(patch)
      const applied = Object.keys(immediate).filter((k) => canonical((current as Record<string, unknown>)[k]) !== canonical((immediate as Record<string, unknown>)[k]))
      if (applied.length) await repo.applyToClub(trx, club.id, immediate, now)
      const previous = await repo.pendingRevision(trx, club.id)
      const merged: Record<string, unknown> = { ...(previous?.changes ?? {}), ...reviewed }
      for (const f of REVIEWED_FIELDS) if (f in merged && canonical(current[f]) === canonical(merged[f])) delete merged[f]
      const unchanged = previous && canonical(previous.changes) === canonical(merged)
      let revisionId = previous?.id ?? null
      if (!unchanged && (previous || Object.keys(merged).length)) {
        if (previous) await repo.supersedeRevision(trx, previous.id, now)
        revisionId = Object.keys(merged).length ? await repo.insertRevision(trx, club.id, user.id, merged) : null
      }
      return { code: club.code, status: 'approved', applied: applied.sort(), pending: Object.keys(merged).sort(), revision_id: revisionId }
    }),
  )
}

/** Soft delete: the club leaves every public route; its data stays for the record. */
export async function archiveClub(deps: ManageDeps, clubId: number, now: Date) {
  await deps.write((trx) => repo.archiveClub(trx, clubId, now))
  return { ok: true }
}

export async function manageView(db: QuadDb, grant: Grant<'club'>) {
  const page = await repo.managePage(db, grant.clubId)
  const { tag_rows, revisions, events, faqs, testimonials, advisors, files, pending_requests, ...row } = page
  const current = { ...row, tags: tag_rows.map((t) => t.slug) }
  const rev = revisions[0]
  return {
    club: current,
    viewer_role: grant.role,
    pending_revision: rev
      ? { id: rev.id, created_at: rev.created_at, proposed_by: rev.proposed_by, diff: diff(current, rev.changes as Record<string, unknown>) }
      : null,
    pending_requests: Number(pending_requests ?? 0),
    events,
    faqs,
    testimonials,
    advisors,
    files,
  }
}

function checkEventTimes(row: { starts_at: Date | string; ends_at: Date | string }) {
  if (new Date(row.ends_at).getTime() < new Date(row.starts_at).getTime()) {
    throw fail('VALIDATION_FAILED', 'An event cannot end before it starts', [{ field: 'ends_at', code: 'BEFORE_START', message: 'must not be before starts_at' }])
  }
}

export async function createContent(deps: ManageDeps, clubId: number, kind: ContentKind, body: Record<string, unknown>) {
  if (kind === 'events') checkEventTimes(body as never)
  return rethrowChecks(deps.write((trx) => repo.insertItem(trx, kind, clubId, body)))
}

export async function updateContent(deps: ManageDeps, clubId: number, kind: ContentKind, id: number, body: Record<string, unknown>, now: Date) {
  return rethrowChecks(
    deps.write(async (trx) => {
      if (kind === 'events' && (body.starts_at !== undefined || body.ends_at !== undefined)) {
        const cur = await repo.lockedEventTimes(trx, id, clubId)
        if (cur) checkEventTimes({ starts_at: (body.starts_at as string) ?? cur.starts_at, ends_at: (body.ends_at as string) ?? cur.ends_at })
      }
      const row = await repo.updateItem(trx, kind, id, clubId, { ...body, ...(kind === 'events' ? { updated_at: now } : {}) })
      if (!row) throw notFound('Item')
      return row
    }),
  )
}

export async function deleteContent(deps: ManageDeps, clubId: number, kind: ContentKind, id: number) {
  const n = await deps.write((trx) => repo.deleteItem(trx, kind, id, clubId))
  if (n === 0) throw notFound('Item')
  return { ok: true }
}

/*
 * For the approvals module: the club's approved values locked for a decision (the same lock
 * order as edits, so the two never deadlock), the application of reviewed changes, and the diff
 * an approver reads.
 */
export { diff as reviewDiff, REVIEWED_FIELDS } from './fields.js'
export const lockClubForReview = (trx: Trx, clubId: number) => repo.lockedClub(trx, clubId)
export const applyReviewedChanges = (trx: Trx, clubId: number, changes: Record<string, unknown>, now: Date) => repo.applyToClub(trx, clubId, changes as Partial<ClubPatch>, now)
