import { type Expression, ExpressionWrapper, type SelectQueryBuilder, sql } from 'kysely'
import { jsonArrayFrom } from 'kysely/helpers/postgres'
import { queryBuilder as db0 } from '../../db/builder.js'
import type { QuadDb } from '../../db/database.js'
import type { DB } from '../../db/types.js'
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

/** Every overlay section, in one statement. */
export async function overlay(db: QuadDb, userId: number, sections: ReadonlyMap<string, (userId: number) => Expression<unknown>>) {
  if (!sections.size) return {}
  const row = await db.selectNoFrom(() => [...sections].map(([name, section]) => new ExpressionWrapper(section(userId).toOperationNode()).as(name))).executeTakeFirstOrThrow()
  return row as Record<string, unknown>
}

// The overlay's sections. Clubs that were archived drop out; the rest is shown as the user left it.
const codes = (rows: SelectQueryBuilder<DB, 'clubs' | 'bookmarks' | 'subscriptions', { code: string }>) => sql<string[]>`array(${rows})`

export const bookmarkedCodes = (userId: number) =>
  codes(db0.selectFrom('bookmarks as b').innerJoin('clubs as c', 'c.id', 'b.club_id').where('b.user_id', '=', userId).where('c.archived_at', 'is', null).select('c.code').orderBy('c.code') as never)

export const subscribedCodes = (userId: number) =>
  codes(db0.selectFrom('subscriptions as s').innerJoin('clubs as c', 'c.id', 's.club_id').where('s.user_id', '=', userId).where('c.archived_at', 'is', null).select('c.code').orderBy('c.code') as never)

export const activeMemberships = (userId: number) =>
  jsonArrayFrom(
    db0
      .selectFrom('memberships as m')
      .innerJoin('clubs as c', 'c.id', 'm.club_id')
      .where('m.user_id', '=', userId)
      .where('m.active', '=', true)
      .where('c.archived_at', 'is', null)
      .select(['c.code as club', 'm.role', 'm.title', 'm.is_public'])
      .orderBy('c.code'),
  )

export const pendingRequests = (userId: number) =>
  jsonArrayFrom(
    db0
      .selectFrom('membership_requests as r')
      .innerJoin('clubs as c', 'c.id', 'r.club_id')
      .where('r.user_id', '=', userId)
      .where('r.status', '=', 'pending')
      .where('c.archived_at', 'is', null)
      .select(['r.id', 'c.code as club', 'r.created_at'])
      .orderBy('r.created_at'),
  )
