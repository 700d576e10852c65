import { sql } from 'kysely'
import type { QuadDb } from '../../db/database.js'
import { isPublicClub } from '../../db/rules.js'
import type { Role } from '../../db/types.js'
import type { Trx } from '../../db/write.js'

/** A public club one may ask to join, with whether it takes members now. */
export function joinableClub(db: QuadDb, code: string) {
  return db.selectFrom('clubs as c').where((eb) => isPublicClub(eb, 'c')).where('c.code', '=', code).select(['c.id', 'c.accepting_members']).executeTakeFirst()
}

/** Any club by code, archived ones included (a request to an archived club can still be withdrawn). */
export async function anyClubId(db: QuadDb, code: string): Promise<number | undefined> {
  return (await db.selectFrom('clubs').where('code', '=', code).select('id').executeTakeFirst())?.id
}

/** A club that is not archived, by code. */
export async function activeClubId(db: QuadDb, code: string): Promise<number | undefined> {
  return (await db.selectFrom('clubs').where('code', '=', code).where('archived_at', 'is', null).select('id').executeTakeFirst())?.id
}

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

export function updateMembership(trx: Trx, id: number, set: { role?: Role; title?: string; is_public?: boolean }) {
  return trx.updateTable('memberships').set(set).where('id', '=', id).returning(['user_id', 'role', 'title', 'is_public']).executeTakeFirstOrThrow()
}

export async function deleteMembership(trx: Trx, id: number): Promise<void> {
  await trx.deleteFrom('memberships').where('id', '=', id).execute()
}

/** A new pending request; undefined when one is pending already (one per user and club). */
export function insertRequest(trx: Trx, clubId: number, userId: number, message: string) {
  return trx
    .insertInto('membership_requests')
    .values({ club_id: clubId, user_id: userId, message })
    .onConflict((oc) => oc.columns(['club_id', 'user_id']).where('status', '=', 'pending').doNothing())
    .returning(['id', 'status'])
    .executeTakeFirst()
}

/** Cancels the user's pending request to the club; how many were cancelled. */
export async function cancelPendingRequest(trx: Trx, clubId: number, userId: number, now: Date, decidedBy?: number): Promise<number> {
  const r = await trx
    .updateTable('membership_requests')
    .set({ status: 'cancelled', decided_at: now, ...(decidedBy !== undefined ? { decided_by: decidedBy } : {}) })
    .where('club_id', '=', clubId)
    .where('user_id', '=', userId)
    .where('status', '=', 'pending')
    .executeTakeFirst()
  return Number(r.numUpdatedRows)
}

/** Decides a pending request (the row lock makes a second decision see it decided). */
export function decidePendingRequest(trx: Trx, id: number, clubId: number, status: 'accepted' | 'declined', now: Date, by: number) {
  return trx
    .updateTable('membership_requests')
    .set({ status, decided_at: now, decided_by: by })
    .where('id', '=', id)
    .where('club_id', '=', clubId)
    .where('status', '=', 'pending')
    .returning(['user_id'])
    .executeTakeFirst()
}

export function requestStatus(db: QuadDb, id: number, clubId: number) {
  return db.selectFrom('membership_requests').where('id', '=', id).where('club_id', '=', clubId).select('status').executeTakeFirst()
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

/** The user with this email (if any) and their role in the club (if a member). */
export function userAndRole(db: QuadDb, email: string, clubId: number) {
  return db
    .selectFrom('users as u')
    .leftJoin('memberships as m', (j) => j.onRef('m.user_id', '=', 'u.id').on('m.club_id', '=', clubId).on('m.active', '=', true))
    .where('u.email', '=', email)
    .select(['u.id', 'm.role'])
    .executeTakeFirst()
}

/** An expired invite no longer holds the address's slot. */
export async function revokeExpiredInvites(trx: Trx, clubId: number, email: string, now: Date): Promise<void> {
  await trx
    .updateTable('invites')
    .set({ revoked_at: now })
    .where('club_id', '=', clubId)
    .where('email', '=', email)
    .where('used_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '<=', now)
    .execute()
}

/** A new invite; undefined when the address has an open one to this club. */
export function insertInvite(
  trx: Trx,
  v: { clubId: number; email: string; role: Role; title: string; tokenHash: string; invitedBy: number; expiresAt: Date },
) {
  return trx
    .insertInto('invites')
    .values({ club_id: v.clubId, email: v.email, role: v.role, title: v.title, token_hash: v.tokenHash, invited_by: v.invitedBy, expires_at: v.expiresAt })
    .onConflict((oc) => oc.columns(['club_id', 'email']).where('used_at', 'is', null).where('revoked_at', 'is', null).doNothing())
    .returning(['id', 'email', 'role', 'title', 'expires_at', 'created_at'])
    .executeTakeFirst()
}

/** Queues an email for the mail sender (it drains email_outbox). */
export async function queueEmail(trx: Trx, m: { kind: string; dedupeKey: string; to: string; userId: number | null; subject: string; body: string }): Promise<void> {
  await trx.insertInto('email_outbox').values({ kind: m.kind, dedupe_key: m.dedupeKey, to_email: m.to, user_id: m.userId, subject: m.subject, body: m.body }).execute()
}

export function lockedInvite(trx: Trx, id: number, clubId: number) {
  return trx.selectFrom('invites').where('id', '=', id).where('club_id', '=', clubId).select(['role', 'used_at', 'revoked_at']).forUpdate().executeTakeFirst()
}

export async function lockInvite(trx: Trx, id: number): Promise<void> {
  await trx.selectFrom('invites').where('id', '=', id).select('id').forUpdate().execute()
}

export async function revokeInvite(trx: Trx, id: number, now: Date): Promise<void> {
  await trx.updateTable('invites').set({ revoked_at: now }).where('id', '=', id).execute()
}

export async function markInviteUsed(trx: Trx, id: number, userId: number, now: Date): Promise<void> {
  await trx.updateTable('invites').set({ used_at: now, used_by: userId }).where('id', '=', id).execute()
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
