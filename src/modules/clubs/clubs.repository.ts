import { sql } from 'kysely'
import { jsonArrayFrom } from 'kysely/helpers/postgres'
import type { QuadDb } from '../../db/database.js'

export interface ListFilters {
  tags?: string[]
  badges?: string[]
  sizes?: string[]
  recruiting?: boolean
  q?: string
  order: 'alpha' | 'bookmarks' | 'updated' | 'random'
  seed: number
  limit?: number
  offset?: number
  now: Date
}

/** A club page lists every officer first, then members up to this many (member_count has the total). */
export const MEMBER_LIMIT = 300

const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`

/** Public = approved, active and not archived. */
export function publicClubs(db: QuadDb) {
  return db
    .selectFrom('clubs as c')
    .where('c.status', '=', 'approved')
    .where('c.active', '=', true)
    .where('c.archived_at', 'is', null)
}

/**
 * The whole directory page in one statement. Tags, badges and open applications are aggregated
 * once per table and joined (one pass each), rather than looked up per club.
 */
export async function listClubs(db: QuadDb, f: ListFilters) {
  let q = db
    .with('ta', (qb) =>
      qb
        .selectFrom('club_tags as ct')
        .innerJoin('tags as t', 't.id', 'ct.tag_id')
        .groupBy('ct.club_id')
        .select(['ct.club_id', sql<{ slug: string; name: string }[]>`json_agg(json_build_object('slug', t.slug, 'name', t.name) order by t.name)`.as('tags')]),
    )
    .with('ba', (qb) =>
      qb
        .selectFrom('club_badges as cb')
        .innerJoin('badges as b', 'b.id', 'cb.badge_id')
        .where('b.hidden', '=', false)
        .groupBy('cb.club_id')
        .select([
          'cb.club_id',
          sql<{ slug: string; name: string; color: string }[]>`json_agg(json_build_object('slug', b.slug, 'name', b.name, 'color', b.color) order by b.name)`.as('badges'),
        ]),
    )
    .with('oa', (qb) =>
      qb.selectFrom('club_applications as a').where('a.active', '=', true).where('a.starts_at', '<=', f.now).where('a.ends_at', '>', f.now).select('a.club_id').distinct(),
    )
    .selectFrom('clubs as c')
    .where('c.status', '=', 'approved')
    .where('c.active', '=', true)
    .where('c.archived_at', 'is', null)
    .leftJoin('club_stats as s', 's.club_id', 'c.id')
    .leftJoin('categories as cat', 'cat.id', 'c.category_id')
    .leftJoin('ta', 'ta.club_id', 'c.id')
    .leftJoin('ba', 'ba.club_id', 'c.id')
    .leftJoin('oa', 'oa.club_id', 'c.id')
    .select([
      'c.code', 'c.name', 'c.subtitle', 'c.image_url', 'c.size', 'c.accepting_members', 'c.application_required',
      'c.membership_process', 'c.recruiting_season', 'c.target_years', 'c.target_schools', 'c.target_majors',
      'c.founded_year', 'c.active', 'c.updated_at', 'cat.name as category',
    ])
    .select((eb) => [
      eb.fn.coalesce('s.bookmark_count', sql<number>`0`).as('favorite_count'),
      eb.fn.coalesce('s.member_count', sql<number>`0`).as('member_count'),
      sql<{ slug: string; name: string }[]>`coalesce(ta.tags, '[]'::json)`.as('tags'),
      sql<{ slug: string; name: string; color: string }[]>`coalesce(ba.badges, '[]'::json)`.as('badges'),
      sql<boolean>`oa.club_id is not null`.as('has_open_application'),
      sql<number>`count(*) over ()`.as('total'),
    ])
  if (f.tags?.length) {
    const tags = f.tags
    q = q.where((eb) =>
      eb.exists(
        eb.selectFrom('club_tags as ft').innerJoin('tags as t2', 't2.id', 'ft.tag_id').whereRef('ft.club_id', '=', 'c.id').where('t2.slug', 'in', tags),
      ),
    )
  }
  if (f.badges?.length) {
    const badges = f.badges
    q = q.where((eb) =>
      eb.exists(
        eb.selectFrom('club_badges as fb').innerJoin('badges as b2', 'b2.id', 'fb.badge_id').whereRef('fb.club_id', '=', 'c.id').where('b2.slug', 'in', badges),
      ),
    )
  }
  if (f.sizes?.length) q = q.where('c.size', 'in', f.sizes as never[])
  if (f.recruiting !== undefined) q = q.where('c.accepting_members', '=', f.recruiting)
  if (f.q) {
    const pattern = likePattern(f.q)
    q = q.where((eb) =>
      eb.or([
        eb('c.name', 'ilike', pattern),
        eb('c.subtitle', 'ilike', pattern),
        eb.exists(
          eb.selectFrom('club_tags as qt').innerJoin('tags as t3', 't3.id', 'qt.tag_id').whereRef('qt.club_id', '=', 'c.id').where('t3.name', 'ilike', pattern),
        ),
      ]),
    )
  }
  switch (f.order) {
    case 'bookmarks':
      q = q.orderBy(sql`coalesce(s.bookmark_count, 0)`, 'desc').orderBy('c.name').orderBy('c.id')
      break
    case 'updated':
      q = q.orderBy('c.updated_at', 'desc').orderBy('c.id')
      break
    case 'random':
      q = q.orderBy(sql`md5(c.id::text || ':' || ${String(f.seed)})`).orderBy('c.id')
      break
    default:
      q = q.orderBy(sql`lower(c.name)`).orderBy('c.id')
  }
  if (f.limit !== undefined) q = q.limit(f.limit).offset(f.offset ?? 0)
  return q.execute()
}

/** The next time an application opens or closes: the list's "open application" flags change then. */
export async function nextApplicationBoundary(db: QuadDb, now: Date): Promise<Date | null> {
  const r = await db
    .selectFrom('club_applications')
    .where('active', '=', true)
    .select((eb) => [
      eb.fn.min(eb.case().when('starts_at', '>', now).then(eb.ref('starts_at')).else(eb.ref('ends_at')).end()).as('next'),
    ])
    .where((eb) => eb.or([eb('starts_at', '>', now), eb('ends_at', '>', now)]))
    .executeTakeFirst()
  return r?.next ? new Date(r.next as unknown as string) : null
}

export async function findPublicClub(db: QuadDb, code: string) {
  return publicClubs(db).where('c.code', '=', code).leftJoin('categories as cat', 'cat.id', 'c.category_id').selectAll('c').select('cat.name as category').executeTakeFirst()
}

/** Everything of one club page that hangs off the club id, in one statement. */
export async function clubPageParts(db: QuadDb, clubId: number, now: Date) {
  return db
    .selectNoFrom((eb) => [
      jsonArrayFrom(
        eb.selectFrom('club_tags as ct').innerJoin('tags as t', 't.id', 'ct.tag_id').where('ct.club_id', '=', clubId).select(['t.slug', 't.name']).orderBy('t.name'),
      ).as('tags'),
      jsonArrayFrom(
        eb
          .selectFrom('club_badges as cb')
          .innerJoin('badges as b', 'b.id', 'cb.badge_id')
          .where('cb.club_id', '=', clubId)
          .where('b.hidden', '=', false)
          .select(['b.slug', 'b.name', 'b.color'])
          .orderBy('b.name'),
      ).as('badges'),
      jsonArrayFrom(eb.selectFrom('club_parents').where('club_id', '=', clubId).select('parent_id')).as('parents'),
      // By id: a bookmark on another club does not touch this page.
      jsonArrayFrom(eb.selectFrom('club_stats').where('club_id', '=', clubId).select(['bookmark_count', 'member_count'])).as('stats'),
      jsonArrayFrom(
        eb
          .selectFrom('memberships')
          .where('club_id', '=', clubId)
          .where('active', '=', true)
          .where('is_public', '=', true)
          .select(['user_id', 'role', 'title'])
          .orderBy(sql`case role when 'owner' then 0 when 'officer' then 1 else 2 end`)
          .orderBy('joined_at')
          .orderBy('id')
          .limit(MEMBER_LIMIT),
      ).as('members'),
      jsonArrayFrom(
        eb
          .selectFrom('events')
          .where('club_id', '=', clubId)
          .where('ends_at', '>', now)
          .select(['id', 'name', 'description', 'location', 'link', 'starts_at', 'ends_at', 'image_url', 'type', 'pinned'])
          .orderBy('pinned', 'desc')
          .orderBy('starts_at')
          .limit(20),
      ).as('events'),
      jsonArrayFrom(
        eb.selectFrom('faqs').where('club_id', '=', clubId).where('is_public', '=', true).where('answer', '<>', '').select(['id', 'question', 'answer']).orderBy('position').orderBy('id'),
      ).as('faqs'),
      jsonArrayFrom(
        eb.selectFrom('testimonials').where('club_id', '=', clubId).select(['id', 'author_name', 'author_role', 'body']).orderBy('position').orderBy('id'),
      ).as('testimonials'),
      jsonArrayFrom(eb.selectFrom('advisors').where('club_id', '=', clubId).where('is_public', '=', true).select(['name', 'title', 'email']).orderBy('id')).as(
        'advisors',
      ),
      jsonArrayFrom(eb.selectFrom('club_files').where('club_id', '=', clubId).where('is_public', '=', true).select(['name', 'url']).orderBy('id')).as('files'),
      jsonArrayFrom(
        eb
          .selectFrom('club_applications as a')
          .leftJoin('application_cycles as cy', 'cy.id', 'a.cycle_id')
          .where('a.club_id', '=', clubId)
          .where('a.active', '=', true)
          .where('a.starts_at', '<=', now)
          .where('a.ends_at', '>', now)
          .select(['a.id', 'a.name', 'a.kind', 'a.external_url', 'a.starts_at', 'a.ends_at', 'a.results_release_at', 'cy.name as cycle'])
          .orderBy('a.ends_at'),
      ).as('applications'),
      eb
        .selectFrom('club_applications')
        .where('club_id', '=', clubId)
        .where('active', '=', true)
        .where('starts_at', '>', now)
        .select((e) => e.fn.min('starts_at').as('s'))
        .as('next_opening'),
    ])
    .executeTakeFirstOrThrow()
}

/** Names of members and parent clubs, by id (row dependencies, not whole tables). */
export async function namesByIds(db: QuadDb, userIds: number[], clubIds: number[]) {
  return db
    .selectNoFrom((eb) => [
      jsonArrayFrom(eb.selectFrom('users').where('id', 'in', userIds.length ? userIds : [0]).select(['id', 'name'])).as('users'),
      jsonArrayFrom(
        eb
          .selectFrom('clubs')
          .where('id', 'in', clubIds.length ? clubIds : [0])
          .where('status', '=', 'approved')
          .where('archived_at', 'is', null)
          .select(['id', 'code', 'name']),
      ).as('clubs'),
    ])
    .executeTakeFirstOrThrow()
}
