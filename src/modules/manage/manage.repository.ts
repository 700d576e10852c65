import { sql } from 'kysely'
import { jsonArrayFrom } from 'kysely/helpers/postgres'
import type { QuadDb } from '../../db/database.js'
import type { Trx } from '../../db/write.js'
import { fail } from '../../errors.js'
import type { ClubPatch } from './manage.schema.js'

/** Tag ids by slug; an unknown slug is bad input (400), checked before anything is written. */
export async function tagIds(db: QuadDb, slugs: readonly string[]): Promise<number[]> {
  if (!slugs.length) return []
  const rows = await db.selectFrom('tags').where('slug', 'in', slugs).select(['id', 'slug']).execute()
  const missing = slugs.filter((s) => !rows.some((r) => r.slug === s))
  if (missing.length) throw fail('UNKNOWN_TAG', `Unknown tags: ${missing.join(', ')}`, [{ field: 'tags', code: 'UNKNOWN_TAG', message: missing.join(', ') }])
  return rows.map((r) => r.id)
}

export async function checkCategory(db: QuadDb, id: number | null | undefined): Promise<void> {
  if (id === null || id === undefined) return
  const row = await db.selectFrom('categories').where('id', '=', id).select('id').executeTakeFirst()
  if (!row) throw fail('UNKNOWN_CATEGORY', `Unknown category ${id}`, [{ field: 'category_id', code: 'UNKNOWN_CATEGORY', message: String(id) }])
}

/** The approved values of the reviewed fields (tags as sorted slugs), locked for the edit. */
export async function lockedClub(trx: Trx, clubId: number) {
  const club = await trx.selectFrom('clubs').where('id', '=', clubId).selectAll().forNoKeyUpdate().executeTakeFirstOrThrow()
  const tags = await trx.selectFrom('club_tags as ct').innerJoin('tags as t', 't.id', 'ct.tag_id').where('ct.club_id', '=', clubId).select('t.slug').orderBy('t.slug').execute()
  return { ...club, tags: tags.map((t) => t.slug) }
}

/** Writes fields to the club row (tags to club_tags); jsonb/array columns are encoded here. */
export async function applyToClub(trx: Trx, clubId: number, patch: Partial<ClubPatch>, extra: Record<string, unknown> = {}) {
  const { tags, links, ...cols } = patch
  const set: Record<string, unknown> = { ...cols, ...extra }
  if (links) set.links = JSON.stringify(links)
  if (Object.keys(set).length) await trx.updateTable('clubs').set({ ...set, updated_at: new Date() }).where('id', '=', clubId).execute()
  if (tags) {
    const ids = tags.length ? (await trx.selectFrom('tags').where('slug', 'in', tags).select('id').execute()).map((t) => t.id) : []
    await trx.deleteFrom('club_tags').where('club_id', '=', clubId).$if(ids.length > 0, (q) => q.where('tag_id', 'not in', ids)).execute()
    if (ids.length) await trx.insertInto('club_tags').values(ids.map((tag_id) => ({ club_id: clubId, tag_id }))).onConflict((oc) => oc.doNothing()).execute()
  }
}

export function pendingRevision(db: QuadDb, clubId: number) {
  return db.selectFrom('club_revisions').where('club_id', '=', clubId).where('status', '=', 'pending').selectAll().executeTakeFirst()
}

/** The officer/approver view of one club: everything, public or not, in one statement. */
export function managePage(db: QuadDb, clubId: number) {
  return db
    .selectFrom('clubs as c')
    .leftJoin('categories as cat', 'cat.id', 'c.category_id')
    .where('c.id', '=', clubId)
    .selectAll('c')
    .select((eb) => [
      'cat.name as category',
      jsonArrayFrom(eb.selectFrom('club_tags as ct').innerJoin('tags as t', 't.id', 'ct.tag_id').whereRef('ct.club_id', '=', 'c.id').select('t.slug').orderBy('t.slug')).as('tag_rows'),
      jsonArrayFrom(
        eb.selectFrom('club_badges as cb').innerJoin('badges as b', 'b.id', 'cb.badge_id').whereRef('cb.club_id', '=', 'c.id').select(['b.slug', 'b.name', 'b.hidden']).orderBy('b.name'),
      ).as('badges'),
      jsonArrayFrom(
        eb
          .selectFrom('club_revisions as r')
          .leftJoin('users as u', 'u.id', 'r.proposed_by')
          .whereRef('r.club_id', '=', 'c.id')
          .where('r.status', '=', 'pending')
          .select(['r.id', 'r.changes', 'r.created_at', 'u.name as proposed_by']),
      ).as('revisions'),
      eb.selectFrom('membership_requests as mr').whereRef('mr.club_id', '=', 'c.id').where('mr.status', '=', 'pending').select(sql<number>`count(*)::int`.as('n')).as('pending_requests'),
      jsonArrayFrom(eb.selectFrom('events').whereRef('club_id', '=', 'c.id').selectAll().orderBy('starts_at', 'desc').limit(200)).as('events'),
      jsonArrayFrom(eb.selectFrom('faqs').whereRef('club_id', '=', 'c.id').selectAll().orderBy('position').orderBy('id')).as('faqs'),
      jsonArrayFrom(eb.selectFrom('testimonials').whereRef('club_id', '=', 'c.id').selectAll().orderBy('position').orderBy('id')).as('testimonials'),
      jsonArrayFrom(eb.selectFrom('advisors').whereRef('club_id', '=', 'c.id').selectAll().orderBy('id')).as('advisors'),
      jsonArrayFrom(eb.selectFrom('club_files').whereRef('club_id', '=', 'c.id').selectAll().orderBy('id')).as('files'),
    ])
    .executeTakeFirstOrThrow()
}
