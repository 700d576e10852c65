import { sql } from 'kysely'
import type { QuadDb } from '../../db/database.js'
import type { Trx } from '../../db/write.js'

export function listTags(db: QuadDb) {
  return db
    .selectFrom('tags as t')
    .select(['t.id', 't.name', 't.slug', (eb) => eb.selectFrom('club_tags as ct').whereRef('ct.tag_id', '=', 't.id').select(sql<number>`count(*)::int`.as('n')).as('club_count')])
    // A count is never null.
    .$narrowType<{ club_count: number }>()
    .orderBy('t.name')
    .execute()
}

export function insertTag(trx: Trx, v: { name: string; slug: string }) {
  return trx.insertInto('tags').values(v).returning(['id', 'name', 'slug']).executeTakeFirstOrThrow()
}

export function updateTag(trx: Trx, id: number, set: { name?: string; slug?: string }) {
  return trx.updateTable('tags').set(set).where('id', '=', id).returning(['id', 'name', 'slug']).executeTakeFirst()
}

export async function deleteTag(trx: Trx, id: number): Promise<number> {
  return Number((await trx.deleteFrom('tags').where('id', '=', id).executeTakeFirst()).numDeletedRows)
}

export function listBadges(db: QuadDb) {
  return db
    .selectFrom('badges as b')
    .select(['b.id', 'b.name', 'b.slug', 'b.description', 'b.color', 'b.hidden', 'b.fair_id'])
    .select((eb) => eb.selectFrom('club_badges as cb').whereRef('cb.badge_id', '=', 'b.id').select(sql<number>`count(*)::int`.as('n')).as('club_count'))
    .$narrowType<{ club_count: number }>()
    .orderBy('b.name')
    .execute()
}

export type BadgeInput = { name?: string; slug?: string; description?: string; color?: string; hidden?: boolean; fair_id?: number | null }

export function insertBadge(trx: Trx, v: BadgeInput & { name: string; slug: string }) {
  return trx.insertInto('badges').values(v).returningAll().executeTakeFirstOrThrow()
}

export function updateBadge(trx: Trx, id: number, set: BadgeInput) {
  return trx.updateTable('badges').set(set).where('id', '=', id).returningAll().executeTakeFirst()
}

export async function deleteBadge(trx: Trx, id: number): Promise<number> {
  return Number((await trx.deleteFrom('badges').where('id', '=', id).executeTakeFirst()).numDeletedRows)
}

/** A club that is not archived, by code. */
export async function clubId(db: QuadDb, code: string): Promise<number | undefined> {
  return (await db.selectFrom('clubs').where('code', '=', code).where('archived_at', 'is', null).select('id').executeTakeFirst())?.id
}

export async function badgeId(db: QuadDb, slug: string): Promise<number | undefined> {
  return (await db.selectFrom('badges').where('slug', '=', slug).select('id').executeTakeFirst())?.id
}

/** Idempotent: awarding twice is one row. */
export async function awardBadge(trx: Trx, clubId: number, badgeId: number): Promise<void> {
  await trx.insertInto('club_badges').values({ club_id: clubId, badge_id: badgeId }).onConflict((oc) => oc.doNothing()).execute()
}

export async function withdrawBadge(trx: Trx, clubId: number, badgeId: number): Promise<void> {
  await trx.deleteFrom('club_badges').where('club_id', '=', clubId).where('badge_id', '=', badgeId).execute()
}

/** At most 50 users by email, optionally matching an ILIKE pattern and only staff. */
export function findUsers(db: QuadDb, pattern: string | undefined, staff: boolean) {
  let query = db.selectFrom('users').select(['id', 'email', 'name', 'is_approver', 'is_admin']).orderBy('email').limit(50)
  if (pattern) query = query.where((eb) => eb.or([eb('email', 'ilike', pattern), eb('name', 'ilike', pattern)]))
  if (staff) query = query.where((eb) => eb.or([eb('is_approver', '=', true), eb('is_admin', '=', true)]))
  return query.execute()
}

export function setApprover(trx: Trx, id: number, on: boolean, now: Date) {
  return trx.updateTable('users').set({ is_approver: on, updated_at: now }).where('id', '=', id).returning(['id', 'email', 'name', 'is_approver', 'is_admin']).executeTakeFirst()
}
