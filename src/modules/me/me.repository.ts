import type { QuadDb } from '../../db/database.js'
import type { Trx } from '../../db/write.js'

const PROFILE = ['id', 'email', 'name', 'graduation_year', 'school', 'major', 'time_zone', 'profile_public', 'oidc_subject'] as const

export interface ProfileChanges {
  name?: string
  graduation_year?: number | null
  school?: string | null
  major?: string | null
  time_zone?: string
  profile_public?: boolean
}

export function profileRow(db: QuadDb, userId: number) {
  return db.selectFrom('users').where('id', '=', userId).select(PROFILE).executeTakeFirstOrThrow()
}

export function updateProfileRow(trx: Trx, userId: number, set: ProfileChanges, at: Date) {
  return trx.updateTable('users').set({ ...set, updated_at: at }).where('id', '=', userId).returning(PROFILE).executeTakeFirstOrThrow()
}

/** Runs `fn` on one pooled connection (the overlay's sections one after another on it). */
export function onOneConnection<T>(db: QuadDb, fn: (conn: QuadDb) => Promise<T>): Promise<T> {
  return db.connection().execute(fn)
}

// The overlay's sections. Clubs that were archived drop out; the rest is shown as the user left it.

export async function bookmarkedCodes(db: QuadDb, userId: number): Promise<string[]> {
  const rows = await db.selectFrom('bookmarks as b').innerJoin('clubs as c', 'c.id', 'b.club_id').where('b.user_id', '=', userId).where('c.archived_at', 'is', null).select('c.code').orderBy('c.code').execute()
  return rows.map((r) => r.code)
}

export async function subscribedCodes(db: QuadDb, userId: number): Promise<string[]> {
  const rows = await db.selectFrom('subscriptions as s').innerJoin('clubs as c', 'c.id', 's.club_id').where('s.user_id', '=', userId).where('c.archived_at', 'is', null).select('c.code').orderBy('c.code').execute()
  return rows.map((r) => r.code)
}

export function activeMemberships(db: QuadDb, userId: number) {
  return db
    .selectFrom('memberships as m')
    .innerJoin('clubs as c', 'c.id', 'm.club_id')
    .where('m.user_id', '=', userId)
    .where('m.active', '=', true)
    .where('c.archived_at', 'is', null)
    .select(['c.code as club', 'm.role', 'm.title', 'm.is_public'])
    .orderBy('c.code')
    .execute()
}

export function pendingRequests(db: QuadDb, userId: number) {
  return db
    .selectFrom('membership_requests as r')
    .innerJoin('clubs as c', 'c.id', 'r.club_id')
    .where('r.user_id', '=', userId)
    .where('r.status', '=', 'pending')
    .where('c.archived_at', 'is', null)
    .select(['r.id', 'c.code as club', 'r.created_at'])
    .orderBy('r.created_at')
    .execute()
}
