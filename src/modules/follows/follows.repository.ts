import type { QuadDb } from '../../db/database.js'
import { isPublicClub } from '../../db/rules.js'

export type FollowKind = 'bookmarks' | 'subscriptions'

/** The id of a public club (only those can be followed). */
export async function publicClubId(db: QuadDb, code: string): Promise<number | undefined> {
  const r = await db.selectFrom('clubs as c').where((eb) => isPublicClub(eb, 'c')).where('c.code', '=', code).select('c.id').executeTakeFirst()
  return r?.id
}

/** Idempotent: the primary key (user, club) makes a double click one row. One statement (writeOne). */
export const addFollow = (kind: FollowKind, userId: number, clubId: number) => (db: QuadDb) =>
  db.insertInto(kind).values({ user_id: userId, club_id: clubId }).onConflict((oc) => oc.columns(['user_id', 'club_id']).doNothing()).returning('club_id')

export const removeFollow = (kind: FollowKind, userId: number, clubId: number) => (db: QuadDb) =>
  db.deleteFrom(kind).where('user_id', '=', userId).where('club_id', '=', clubId).returning('club_id')

/** The user's followed clubs that are still public, newest first. */
export function followedClubs(db: QuadDb, userId: number, kind: FollowKind) {
  return db
    .selectFrom('clubs as c')
    .where((eb) => isPublicClub(eb, 'c'))
    .innerJoin(`${kind} as f` as 'bookmarks as f', 'f.club_id', 'c.id')
    .leftJoin('club_stats as s', 's.club_id', 'c.id')
    .where('f.user_id', '=', userId)
    .select(['c.code', 'c.name', 'c.subtitle', 'c.image_url', 'f.created_at'])
    .select((eb) => eb.fn.coalesce('s.bookmark_count', eb.lit(0)).as('favorite_count'))
    .orderBy('f.created_at', 'desc')
    .orderBy('c.id')
    .execute()
}

export function subscribersOf(db: QuadDb, clubId: number) {
  return db
    .selectFrom('subscriptions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .where('s.club_id', '=', clubId)
    .select(['u.id as user_id', 'u.name', 'u.email', 's.created_at as subscribed_at'])
    .orderBy('s.created_at')
    .orderBy('u.id')
    .execute()
}
