import type { QuadDb } from '../../db/database.js'
import { notFound } from '../../errors.js'
import type { Runtime } from '../../runtime.js'
import type { SessionUser } from '../auth/session.js'
import { publicClubs } from '../clubs/clubs.repository.js'
import { requireClubRole } from '../clubs/permissions.js'

export type FollowKind = 'bookmarks' | 'subscriptions'

async function publicClubId(db: QuadDb, code: string): Promise<number> {
  const club = await publicClubs(db).where('c.code', '=', code).select('c.id').executeTakeFirst()
  if (!club) throw notFound('Club')
  return club.id
}

/**
 * Idempotent follow/unfollow: the primary key (user, club) makes a double click one row, and
 * the club_stats trigger keeps the public bookmark count right for any writer.
 */
export async function setFollow(rt: Runtime, user: SessionUser, code: string, kind: FollowKind, on: boolean) {
  const clubId = await publicClubId(rt.db, code)
  await rt.write(async (trx) => {
    if (on) await trx.insertInto(kind).values({ user_id: user.id, club_id: clubId }).onConflict((oc) => oc.columns(['user_id', 'club_id']).doNothing()).execute()
    else await trx.deleteFrom(kind).where('user_id', '=', user.id).where('club_id', '=', clubId).execute()
  })
  return kind === 'bookmarks' ? { club: code, bookmarked: on } : { club: code, subscribed: on }
}

/** The user's followed clubs that are still public, newest first. */
export function myFollows(db: QuadDb, user: SessionUser, kind: FollowKind) {
  return publicClubs(db)
    .innerJoin(`${kind} as f` as 'bookmarks as f', 'f.club_id', 'c.id')
    .leftJoin('club_stats as s', 's.club_id', 'c.id')
    .where('f.user_id', '=', user.id)
    .select(['c.code', 'c.name', 'c.subtitle', 'c.image_url', 'f.created_at'])
    .select((eb) => eb.fn.coalesce('s.bookmark_count', eb.lit(0)).as('favorite_count'))
    .orderBy('f.created_at', 'desc')
    .orderBy('c.id')
    .execute()
}

export async function subscribers(db: QuadDb, user: SessionUser, code: string) {
  const { club } = await requireClubRole(db, user, code, 'officer')
  return db
    .selectFrom('subscriptions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .where('s.club_id', '=', club.id)
    .select(['u.id as user_id', 'u.name', 'u.email', 's.created_at as subscribed_at'])
    .orderBy('s.created_at')
    .orderBy('u.id')
    .execute()
}

/** RFC 4180 quoting; a leading = + - @ is neutralized so spreadsheets do not run it as a formula. */
export function csvField(v: unknown): string {
  let s = v instanceof Date ? v.toISOString() : String(v ?? '')
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

export const toCsv = (header: string[], rows: unknown[][]) => [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n'
