import type { QuadDb } from '../../db/database.js'
import { isCheckViolation } from '../../db/pg-errors.js'
import type { Trx } from '../../db/write.js'
import { fail, notFound } from '../../errors.js'
import type { Runtime } from '../../runtime.js'
import type { SessionUser } from '../auth/session.js'
import { requireClubRole, requireClubRoleOrApprover } from '../clubs/permissions.js'
import { canonical, diff, normalizePatch, REVIEWED_FIELDS, splitPatch } from './fields.js'
import type { ClubCreate, ClubPatch, ContentKind } from './manage.schema.js'
import * as repo from './manage.repository.js'

const TABLE: Record<ContentKind, 'events' | 'faqs' | 'testimonials' | 'advisors' | 'club_files'> = {
  events: 'events', faqs: 'faqs', testimonials: 'testimonials', advisors: 'advisors', files: 'club_files',
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

/** Validates references (tags, category) before anything is written. */
async function checkRefs(db: QuadDb, p: ClubPatch) {
  if (p.tags) await repo.tagIds(db, p.tags)
  await repo.checkCategory(db, p.category_id)
}

export async function createClub(rt: Runtime, user: SessionUser, body: ClubCreate) {
  const { code, ...fields } = body
  const patch = normalizePatch(fields)
  await checkRefs(rt.db, patch)
  return rethrowChecks(
    rt.write(async (trx) => {
      const { tags, links, ...cols } = patch
      const club = await trx
        .insertInto('clubs')
        .values({ ...(cols as Record<string, never>), code, name: patch.name!, status: 'pending', ...(links ? { links: JSON.stringify(links) } : {}) })
        .onConflict((oc) => oc.column('code').doNothing())
        .returning(['id', 'code', 'status'])
        .executeTakeFirst()
      if (!club) throw fail('CODE_TAKEN', `The address "${code}" is taken; choose another`)
      await trx.insertInto('memberships').values({ club_id: club.id, user_id: user.id, role: 'owner', title: 'Owner' }).execute()
      if (tags) await repo.applyToClub(trx, club.id, { tags })
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
export async function editClub(rt: Runtime, user: SessionUser, code: string, input: ClubPatch) {
  const { club } = await requireClubRole(rt.db, user, code, 'officer')
  const patch = normalizePatch(input)
  await checkRefs(rt.db, patch)
  return rethrowChecks(
    rt.write(async (trx) => {
      const current = await repo.lockedClub(trx, club.id)
      if (current.status !== 'approved') {
        await repo.applyToClub(trx, club.id, patch, current.status === 'rejected' ? { status: 'pending' } : {})
        return { code, status: 'pending', applied: Object.keys(patch).sort(), pending: [], revision_id: null }
      }
      const { immediate, reviewed } = splitPatch(patch)
      const applied = Object.keys(immediate).filter((k) => canonical((current as Record<string, unknown>)[k]) !== canonical((immediate as Record<string, unknown>)[k]))
      if (applied.length) await repo.applyToClub(trx, club.id, immediate)
      const previous = await repo.pendingRevision(trx, club.id)
      const merged: Record<string, unknown> = { ...(previous?.changes ?? {}), ...reviewed }
      for (const f of REVIEWED_FIELDS) if (f in merged && canonical(current[f]) === canonical(merged[f])) delete merged[f]
      const unchanged = previous && canonical(previous.changes) === canonical(merged)
      let revisionId = previous?.id ?? null
      if (!unchanged && (previous || Object.keys(merged).length)) {
        if (previous) await trx.updateTable('club_revisions').set({ status: 'superseded', decided_at: new Date() }).where('id', '=', previous.id).execute()
        revisionId = null
        if (Object.keys(merged).length) {
          const rev = await trx.insertInto('club_revisions').values({ club_id: club.id, proposed_by: user.id, changes: JSON.stringify(merged) }).returning('id').executeTakeFirstOrThrow()
          revisionId = rev.id
        }
      }
      return { code, status: 'approved', applied: applied.sort(), pending: Object.keys(merged).sort(), revision_id: revisionId }
    }),
  )
}

/** Soft delete: the club leaves every public route; its data stays for the record. */
export async function archiveClub(rt: Runtime, user: SessionUser, code: string) {
  const { club } = await requireClubRole(rt.db, user, code, 'owner')
  await rt.write(async (trx) => {
    await trx.updateTable('clubs').set({ archived_at: new Date(), updated_at: new Date() }).where('id', '=', club.id).where('archived_at', 'is', null).execute()
    await trx.updateTable('club_revisions').set({ status: 'superseded', decided_at: new Date() }).where('club_id', '=', club.id).where('status', '=', 'pending').execute()
  })
  return { ok: true }
}

export async function manageView(db: QuadDb, user: SessionUser, code: string) {
  const { club, role } = await requireClubRoleOrApprover(db, user, code, 'officer')
  const page = await repo.managePage(db, club.id)
  const { tag_rows, revisions, events, faqs, testimonials, advisors, files, pending_requests, ...row } = page
  const current = { ...row, tags: tag_rows.map((t) => t.slug) }
  const rev = revisions[0]
  return {
    club: current,
    viewer_role: role,
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

export async function createContent(rt: Runtime, user: SessionUser, code: string, kind: ContentKind, body: Record<string, unknown>) {
  const { club } = await requireClubRole(rt.db, user, code, 'officer')
  if (kind === 'events') checkEventTimes(body as never)
  return rethrowChecks(
    rt.write((trx: Trx) =>
      trx
        .insertInto(TABLE[kind])
        .values({ ...body, club_id: club.id } as never)
        .returningAll()
        .executeTakeFirstOrThrow(),
    ),
  )
}

export async function updateContent(rt: Runtime, user: SessionUser, code: string, kind: ContentKind, id: number, body: Record<string, unknown>) {
  const { club } = await requireClubRole(rt.db, user, code, 'officer')
  return rethrowChecks(
    rt.write(async (trx) => {
      if (kind === 'events' && (body.starts_at !== undefined || body.ends_at !== undefined)) {
        const cur = await trx.selectFrom('events').where('id', '=', id).where('club_id', '=', club.id).select(['starts_at', 'ends_at']).forUpdate().executeTakeFirst()
        if (cur) checkEventTimes({ starts_at: (body.starts_at as string) ?? cur.starts_at, ends_at: (body.ends_at as string) ?? cur.ends_at })
      }
      const row = await trx
        .updateTable(TABLE[kind])
        .set({ ...body, ...(kind === 'events' ? { updated_at: new Date() } : {}) } as never)
        .where('id', '=', id)
        .where('club_id', '=', club.id)
        .returningAll()
        .executeTakeFirst()
      if (!row) throw notFound('Item')
      return row
    }),
  )
}

export async function deleteContent(rt: Runtime, user: SessionUser, code: string, kind: ContentKind, id: number) {
  const { club } = await requireClubRole(rt.db, user, code, 'officer')
  const n = await rt.write(async (trx) => {
    const r = await trx.deleteFrom(TABLE[kind]).where('id', '=', id).where('club_id', '=', club.id).executeTakeFirst()
    return Number(r.numDeletedRows)
  })
  if (n === 0) throw notFound('Item')
  return { ok: true }
}
