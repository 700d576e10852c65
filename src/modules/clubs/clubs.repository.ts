import { sql } from 'kysely'
import { jsonArrayFrom } from 'kysely/helpers/postgres'
import type { QuadDb } from '../../db/database.js'
import { isPublicClub } from '../../db/rules.js'
import type { Role } from '../../db/types.js'

/**
 * A club page lists public memberships, officers first, up to this many (member_count has the
 * total); those whose owner hides their name on club pages are then left out.
 */
export const MEMBER_LIMIT = 300

/** The public clubs (see isPublicClub), as `c`. */
export function publicClubs(db: QuadDb) {
  return db.selectFrom('clubs as c').where((eb) => isPublicClub(eb, 'c'))
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

/**
 * Names of members who show their name on club pages (`profile_public`), and of parent clubs, by
 * id: row dependencies, so a user changing their name or that choice invalidates exactly the pages
 * listing them.
 */
export async function namesByIds(db: QuadDb, userIds: number[], clubIds: number[]) {
  return db
    .selectNoFrom((eb) => [
      jsonArrayFrom(eb.selectFrom('users').where('id', 'in', userIds.length ? userIds : [0]).where('profile_public', '=', true).select(['id', 'name'])).as('users'),
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

/** A club that is not archived, by code, whatever its status (its officers manage pending ones). */
export async function clubByCode(db: QuadDb, code: string) {
  return db.selectFrom('clubs').where('code', '=', code).where('archived_at', 'is', null).select(['id', 'code', 'name', 'status']).executeTakeFirst()
}

/**
 * The user's own role in a club, or officer/owner of an umbrella club above it (officers of a
 * parent act as officers of every club below).
 */
export async function roleInClub(db: QuadDb, userId: number, clubId: number): Promise<Role | null> {
  const r = await sql<{ role: Role | null }>`
    with recursive up(id, depth) as (
      select ${clubId}::int, 0
      union
      select p.parent_id, up.depth + 1 from club_parents p join up on p.club_id = up.id where up.depth < 10
    )
    select (
      select m.role from memberships m join up on m.club_id = up.id
      where m.user_id = ${userId} and m.active
        and (up.depth = 0 or m.role in ('officer', 'owner'))
      order by case m.role when 'owner' then 3 when 'officer' then 2 else 1 end desc
      limit 1
    ) as role`.execute(db)
  return r.rows[0]?.role ?? null
}
