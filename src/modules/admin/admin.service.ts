import { sql } from 'kysely'
import type { QuadDb } from '../../db/database.js'
import { isForeignKeyViolation, isUniqueViolation } from '../../db/pg-errors.js'
import { fail, notFound } from '../../errors.js'
import type { Runtime } from '../../runtime.js'

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

export function listTags(db: QuadDb) {
  return db
    .selectFrom('tags as t')
    .select(['t.id', 't.name', 't.slug', (eb) => eb.selectFrom('club_tags as ct').whereRef('ct.tag_id', '=', 't.id').select(sql<number>`count(*)::int`.as('n')).as('club_count')])
    .orderBy('t.name')
    .execute()
}

export async function createTag(rt: Runtime, body: { name: string; slug?: string }) {
  const name = body.name.trim()
  const slug = body.slug ?? slugify(name)
  if (!name || !slug) throw fail('VALIDATION_FAILED', 'A tag needs a name with letters or digits', [{ field: 'name', code: 'BLANK', message: 'must not be blank' }])
  const row = await mapped(rt.write((trx) => trx.insertInto('tags').values({ name, slug }).returning(['id', 'name', 'slug']).executeTakeFirstOrThrow()), 'tag')
  return { ...row, club_count: 0 }
}

export async function updateTag(rt: Runtime, id: number, body: { name?: string; slug?: string }) {
  const set = { ...(body.name !== undefined ? { name: body.name.trim() } : {}), ...(body.slug !== undefined ? { slug: body.slug } : {}) }
  if (set.name === '') throw fail('VALIDATION_FAILED', 'Name cannot be blank', [{ field: 'name', code: 'BLANK', message: 'must not be blank' }])
  const row = await mapped(rt.write((trx) => trx.updateTable('tags').set(set).where('id', '=', id).returning(['id', 'name', 'slug']).executeTakeFirst()), 'tag')
  if (!row) throw notFound('Tag')
  return { ...row, club_count: 0 }
}

export async function deleteTag(rt: Runtime, id: number) {
  const n = await rt.write(async (trx) => Number((await trx.deleteFrom('tags').where('id', '=', id).executeTakeFirst()).numDeletedRows))
  if (!n) throw notFound('Tag')
  return { ok: true }
}

export function listBadges(db: QuadDb) {
  return db
    .selectFrom('badges as b')
    .select(['b.id', 'b.name', 'b.slug', 'b.description', 'b.color', 'b.hidden', 'b.fair_id'])
    .select((eb) => eb.selectFrom('club_badges as cb').whereRef('cb.badge_id', '=', 'b.id').select(sql<number>`count(*)::int`.as('n')).as('club_count'))
    .orderBy('b.name')
    .execute()
}

type BadgeInput = { name?: string; slug?: string; description?: string; color?: string; hidden?: boolean; fair_id?: number | null }

export async function createBadge(rt: Runtime, body: BadgeInput & { name: string }) {
  const name = body.name.trim()
  const slug = body.slug ?? slugify(name)
  if (!name || !slug) throw fail('VALIDATION_FAILED', 'A badge needs a name with letters or digits', [{ field: 'name', code: 'BLANK', message: 'must not be blank' }])
  const row = await mapped(rt.write((trx) => trx.insertInto('badges').values({ ...body, name, slug }).returningAll().executeTakeFirstOrThrow()), 'badge')
  return { ...row, club_count: 0 }
}

export async function updateBadge(rt: Runtime, id: number, body: BadgeInput) {
  if (body.name !== undefined && !body.name.trim()) throw fail('VALIDATION_FAILED', 'Name cannot be blank', [{ field: 'name', code: 'BLANK', message: 'must not be blank' }])
  const row = await mapped(
    rt.write((trx) => trx.updateTable('badges').set({ ...body, ...(body.name ? { name: body.name.trim() } : {}) }).where('id', '=', id).returningAll().executeTakeFirst()),
    'badge',
  )
  if (!row) throw notFound('Badge')
  return { ...row, club_count: 0 }
}

export async function deleteBadge(rt: Runtime, id: number) {
  const n = await rt.write(async (trx) => Number((await trx.deleteFrom('badges').where('id', '=', id).executeTakeFirst()).numDeletedRows))
  if (!n) throw notFound('Badge')
  return { ok: true }
}

/** Awards or withdraws a badge (idempotent). */
export async function setClubBadge(rt: Runtime, code: string, slug: string, on: boolean) {
  const [club, badge] = await Promise.all([
    rt.db.selectFrom('clubs').where('code', '=', code).where('archived_at', 'is', null).select('id').executeTakeFirst(),
    rt.db.selectFrom('badges').where('slug', '=', slug).select('id').executeTakeFirst(),
  ])
  if (!club) throw notFound('Club')
  if (!badge) throw notFound('Badge')
  await rt.write(async (trx) => {
    if (on) await trx.insertInto('club_badges').values({ club_id: club.id, badge_id: badge.id }).onConflict((oc) => oc.doNothing()).execute()
    else await trx.deleteFrom('club_badges').where('club_id', '=', club.id).where('badge_id', '=', badge.id).execute()
  })
  return { ok: true }
}

export function findUsers(db: QuadDb, q: string | undefined, staff: boolean | undefined) {
  let query = db.selectFrom('users').select(['id', 'email', 'name', 'is_approver', 'is_admin']).orderBy('email').limit(50)
  if (q) {
    const pattern = `%${q.trim().replace(/[\\%_]/g, (m) => `\\${m}`)}%`
    query = query.where((eb) => eb.or([eb('email', 'ilike', pattern), eb('name', 'ilike', pattern)]))
  }
  if (staff) query = query.where((eb) => eb.or([eb('is_approver', '=', true), eb('is_admin', '=', true)]))
  return query.execute()
}

/** Takes effect on the user's next request: sessions read the flags from the user row. */
export async function setApprover(rt: Runtime, id: number, on: boolean) {
  const row = await rt.write((trx) =>
    trx.updateTable('users').set({ is_approver: on, updated_at: new Date() }).where('id', '=', id).returning(['id', 'email', 'name', 'is_approver', 'is_admin']).executeTakeFirst(),
  )
  if (!row) throw notFound('User')
  return row
}
