import type { QuadDb } from '../../db/database.js'
import { isForeignKeyViolation, isUniqueViolation } from '../../db/pg-errors.js'
import type { Trx } from '../../db/write.js'
import { fail, notFound } from '../../errors.js'
import * as repo from './admin.repository.js'

export interface AdminDeps {
  db: QuadDb
  write<T>(fn: (trx: Trx) => Promise<T>): Promise<T>
}

export const slugify = (s: string) => s.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 64)

/** Unique names and slugs live in the database; a duplicate is a 409, a bad reference a 400. */
async function mapped<T>(p: Promise<T>, what: string): Promise<T> {
  try {
    return await p
  } catch (err) {
    if (isUniqueViolation(err)) throw fail(what === 'tag' ? 'TAG_EXISTS' : 'BADGE_EXISTS', `A ${what} with this name or slug exists`)
    if (isForeignKeyViolation(err)) throw fail('UNKNOWN_REFERENCE', 'A referenced item does not exist')
    throw err
  }
}

export const listTags = (db: QuadDb) => repo.listTags(db)

export async function createTag(deps: AdminDeps, body: { name: string; slug?: string }) {
  const name = body.name.trim()
  const slug = body.slug ?? slugify(name)
  if (!name || !slug) throw fail('VALIDATION_FAILED', 'A tag needs a name with letters or digits', [{ field: 'name', code: 'BLANK', message: 'must not be blank' }])
  const row = await mapped(deps.write((trx) => repo.insertTag(trx, { name, slug })), 'tag')
  return { ...row, club_count: 0 }
}

export async function updateTag(deps: AdminDeps, id: number, body: { name?: string; slug?: string }) {
  const set = { ...(body.name !== undefined ? { name: body.name.trim() } : {}), ...(body.slug !== undefined ? { slug: body.slug } : {}) }
  if (set.name === '') throw fail('VALIDATION_FAILED', 'Name cannot be blank', [{ field: 'name', code: 'BLANK', message: 'must not be blank' }])
  const row = await mapped(deps.write((trx) => repo.updateTag(trx, id, set)), 'tag')
  if (!row) throw notFound('Tag')
  return { ...row, club_count: 0 }
}

export async function deleteTag(deps: AdminDeps, id: number) {
  const n = await deps.write((trx) => repo.deleteTag(trx, id))
  if (!n) throw notFound('Tag')
  return { ok: true }
}

export const listBadges = (db: QuadDb) => repo.listBadges(db)

export async function createBadge(deps: AdminDeps, body: repo.BadgeInput & { name: string }) {
  const name = body.name.trim()
  const slug = body.slug ?? slugify(name)
  if (!name || !slug) throw fail('VALIDATION_FAILED', 'A badge needs a name with letters or digits', [{ field: 'name', code: 'BLANK', message: 'must not be blank' }])
  const row = await mapped(deps.write((trx) => repo.insertBadge(trx, { ...body, name, slug })), 'badge')
  return { ...row, club_count: 0 }
}

export async function updateBadge(deps: AdminDeps, id: number, body: repo.BadgeInput) {
  if (body.name !== undefined && !body.name.trim()) throw fail('VALIDATION_FAILED', 'Name cannot be blank', [{ field: 'name', code: 'BLANK', message: 'must not be blank' }])
  const row = await mapped(deps.write((trx) => repo.updateBadge(trx, id, { ...body, ...(body.name ? { name: body.name.trim() } : {}) })), 'badge')
  if (!row) throw notFound('Badge')
  return { ...row, club_count: 0 }
}

export async function deleteBadge(deps: AdminDeps, id: number) {
  const n = await deps.write((trx) => repo.deleteBadge(trx, id))
  if (!n) throw notFound('Badge')
  return { ok: true }
}

/** Awards or withdraws a badge (idempotent). */
export async function setClubBadge(deps: AdminDeps, code: string, slug: string, on: boolean) {
  const [club, badge] = await Promise.all([repo.clubId(deps.db, code), repo.badgeId(deps.db, slug)])
  if (club === undefined) throw notFound('Club')
  if (badge === undefined) throw notFound('Badge')
  await deps.write((trx) => (on ? repo.awardBadge(trx, club, badge) : repo.withdrawBadge(trx, club, badge)))
  return { ok: true }
}

/** Users whose email or name contains `q` (taken literally), staff only when asked. */
export function findUsers(db: QuadDb, q: string | undefined, staff: boolean | undefined) {
  const pattern = q ? `%${q.trim().replace(/[\\%_]/g, (m) => `\\${m}`)}%` : undefined
  return repo.findUsers(db, pattern, staff === true)
}

/** Takes effect on the user's next request: sessions read the flags from the user row. */
export async function setApprover(deps: AdminDeps, id: number, on: boolean, now: Date) {
  const row = await deps.write((trx) => repo.setApprover(trx, id, on, now))
  if (!row) throw notFound('User')
  return row
}
