import { sql } from 'kysely'
import type { QuadDb } from '../../db/database.js'
import type { Role } from '../../db/types.js'
import type { Trx } from '../../db/write.js'

/** Serializes membership changes of one club (the last-owner rule needs a stable owner count). */
export async function lockClub(trx: Trx, clubId: number): Promise<void> {
  await trx.selectFrom('clubs').where('id', '=', clubId).select('id').forNoKeyUpdate().execute()
}

export function findMembership(db: QuadDb, clubId: number, userId: number) {
  return db.selectFrom('memberships').where('club_id', '=', clubId).where('user_id', '=', userId).where('active', '=', true).selectAll().executeTakeFirst()
}

export async function otherOwners(trx: Trx, clubId: number, userId: number): Promise<number> {
  const r = await trx
    .selectFrom('memberships')
    .where('club_id', '=', clubId)
    .where('role', '=', 'owner')
    .where('active', '=', true)
    .where('user_id', '<>', userId)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(r.n)
}

/** Adds a member, or raises an existing membership to `role` (never lowers it). */
export async function upsertMembership(trx: Trx, clubId: number, userId: number, role: Role, title: string) {
  await sql`
    insert into memberships as m (club_id, user_id, role, title) values (${clubId}, ${userId}, ${role}, ${title})
    on conflict (club_id, user_id) do update set
      role = case when (case m.role when 'owner' then 3 when 'officer' then 2 else 1 end)
                    >= (case excluded.role when 'owner' then 3 when 'officer' then 2 else 1 end) and m.active
                  then m.role else excluded.role end,
      title = case when excluded.title <> '' then excluded.title else m.title end,
      active = true`.execute(trx)
}

export function pendingRequests(db: QuadDb, clubId: number) {
  return db
    .selectFrom('membership_requests as r')
    .innerJoin('users as u', 'u.id', 'r.user_id')
    .where('r.club_id', '=', clubId)
    .where('r.status', '=', 'pending')
    .select(['r.id', 'r.message', 'r.created_at', 'u.id as user_id', 'u.name', 'u.email', 'u.graduation_year', 'u.school', 'u.major'])
    .orderBy('r.created_at')
    .orderBy('r.id')
    .execute()
}

export function openInvites(db: QuadDb, clubId: number, now: Date) {
  return db
    .selectFrom('invites as i')
    .leftJoin('users as u', 'u.id', 'i.invited_by')
    .where('i.club_id', '=', clubId)
    .where('i.used_at', 'is', null)
    .where('i.revoked_at', 'is', null)
    .where('i.expires_at', '>', now)
    .select(['i.id', 'i.email', 'i.role', 'i.title', 'i.expires_at', 'i.created_at', 'u.name as invited_by'])
    .orderBy('i.created_at', 'desc')
    .execute()
}

export function members(db: QuadDb, clubId: number) {
  return db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .where('m.club_id', '=', clubId)
    .where('m.active', '=', true)
    .select(['m.user_id', 'u.name', 'u.email', 'm.role', 'm.title', 'm.is_public', 'm.joined_at'])
    .orderBy(sql`case m.role when 'owner' then 0 when 'officer' then 1 else 2 end`)
    .orderBy('m.joined_at')
    .orderBy('m.id')
    .execute()
}

export function inviteByHash(db: QuadDb, hash: string) {
  return db
    .selectFrom('invites as i')
    .innerJoin('clubs as c', 'c.id', 'i.club_id')
    .where('i.token_hash', '=', hash)
    .where('c.archived_at', 'is', null)
    .select(['i.id', 'i.club_id', 'i.email', 'i.role', 'i.title', 'i.expires_at', 'i.used_at', 'i.revoked_at', 'c.code', 'c.name'])
    .executeTakeFirst()
}
