import { sql } from 'kysely'
import { jsonArrayFrom } from 'kysely/helpers/postgres'
import type { QuadDb } from '../../db/database.js'
import type { Trx } from '../../db/write.js'
import type { ClubPatch, ContentKind } from './manage.schema.js'

export function tagsBySlug(db: QuadDb, slugs: readonly string[]) {
  return db.selectFrom('tags').where('slug', 'in', slugs).select(['id', 'slug']).execute()
}

export async function categoryExists(db: QuadDb, id: number): Promise<boolean> {
  return (await db.selectFrom('categories').where('id', '=', id).select('id').executeTakeFirst()) !== undefined
}

/** A new pending club; undefined when the code is taken. */
export function insertClub(trx: Trx, code: string, name: string, cols: Record<string, unknown>, links: Record<string, string> | undefined) {
  return trx
    .insertInto('clubs')
    .values({ ...(cols as Record<string, never>), code, name, status: 'pending', ...(links ? { links: JSON.stringify(links) } : {}) })
    .onConflict((oc) => oc.column('code').doNothing())
    .returning(['id', 'code', 'status'])
    .executeTakeFirst()
}

export async function addOwner(trx: Trx, clubId: number, userId: number): Promise<void> {
  await trx.insertInto('memberships').values({ club_id: clubId, user_id: userId, role: 'owner', title: 'Owner' }).execute()
}

/** The approved values of the reviewed fields (tags as sorted slugs), locked for the edit. */
export async function lockedClub(trx: Trx, clubId: number) {
  const club = await trx.selectFrom('clubs').where('id', '=', clubId).selectAll().forNoKeyUpdate().executeTakeFirstOrThrow()
  const tags = await trx.selectFrom('club_tags as ct').innerJoin('tags as t', 't.id', 'ct.tag_id').where('ct.club_id', '=', clubId).select('t.slug').orderBy('t.slug').execute()
  return { ...club, tags: tags.map((t) => t.slug) }
}

/** Writes fields to the club row (tags to club_tags); jsonb/array columns are encoded here. */
export async function applyToClub(trx: Trx, clubId: number, patch: Partial<ClubPatch>, now: Date, extra: Record<string, unknown> = {}) {
  const { tags, links, ...cols } = patch
  const set: Record<string, unknown> = { ...cols, ...extra }
  if (links) set.links = JSON.stringify(links)
  if (Object.keys(set).length) await trx.updateTable('clubs').set({ ...set, updated_at: now }).where('id', '=', clubId).execute()
  if (tags) {
    const ids = tags.length ? (await trx.selectFrom('tags').where('slug', 'in', tags).select('id').execute()).map((t) => t.id) : []
    await trx.deleteFrom('club_tags').where('club_id', '=', clubId).$if(ids.length > 0, (q) => q.where('tag_id', 'not in', ids)).execute()
    if (ids.length) await trx.insertInto('club_tags').values(ids.map((tag_id) => ({ club_id: clubId, tag_id }))).onConflict((oc) => oc.doNothing()).execute()
  }
}

export function pendingRevision(db: QuadDb, clubId: number) {
  return db.selectFrom('club_revisions').where('club_id', '=', clubId).where('status', '=', 'pending').selectAll().executeTakeFirst()
}

export async function supersedeRevision(trx: Trx, id: number, now: Date): Promise<void> {
  await trx.updateTable('club_revisions').set({ status: 'superseded', decided_at: now }).where('id', '=', id).execute()
}

export async function insertRevision(trx: Trx, clubId: number, proposedBy: number, changes: Record<string, unknown>): Promise<number> {
  const rev = await trx.insertInto('club_revisions').values({ club_id: clubId, proposed_by: proposedBy, changes: JSON.stringify(changes) }).returning('id').executeTakeFirstOrThrow()
  return rev.id
}

/** Soft delete; a pending revision of an archived club is moot. */
/** An archived club disappears everywhere: its applications stop taking submissions too. */
export async function archiveClub(trx: Trx, clubId: number, now: Date): Promise<void> {
  await trx.updateTable('clubs').set({ archived_at: now, updated_at: now }).where('id', '=', clubId).where('archived_at', 'is', null).execute()
  await trx.updateTable('club_applications').set({ active: false }).where('club_id', '=', clubId).where('active', '=', true).execute()
  await trx.updateTable('club_revisions').set({ status: 'superseded', decided_at: now }).where('club_id', '=', clubId).where('status', '=', 'pending').execute()
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

/** Where each kind of page extra is stored. */
const TABLE: Record<ContentKind, 'events' | 'faqs' | 'testimonials' | 'advisors' | 'club_files'> = {
  events: 'events', faqs: 'faqs', testimonials: 'testimonials', advisors: 'advisors', files: 'club_files',
}

export function insertItem(trx: Trx, kind: ContentKind, clubId: number, values: Record<string, unknown>) {
  return trx
    .insertInto(TABLE[kind])
    .values({ ...values, club_id: clubId } as never)
    .returningAll()
    .executeTakeFirstOrThrow()
}

/** An event's times, locked for a change of them. */
export function lockedEventTimes(trx: Trx, id: number, clubId: number) {
  return trx.selectFrom('events').where('id', '=', id).where('club_id', '=', clubId).select(['starts_at', 'ends_at']).forUpdate().executeTakeFirst()
}

/** Updates one item of the club; undefined when the club has no such item. */
export function updateItem(trx: Trx, kind: ContentKind, id: number, clubId: number, set: Record<string, unknown>) {
  return trx
    .updateTable(TABLE[kind])
    .set(set as never)
    .where('id', '=', id)
    .where('club_id', '=', clubId)
    .returningAll()
    .executeTakeFirst()
}

export async function deleteItem(trx: Trx, kind: ContentKind, id: number, clubId: number): Promise<number> {
  const r = await trx.deleteFrom(TABLE[kind]).where('id', '=', id).where('club_id', '=', clubId).executeTakeFirst()
  return Number(r.numDeletedRows)
}
