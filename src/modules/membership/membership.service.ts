import { createHash, randomBytes } from 'node:crypto'
import type { QuadDb } from '../../db/database.js'
import type { Role } from '../../db/types.js'
import { fail, forbidden, notFound } from '../../errors.js'
import type { Runtime } from '../../runtime.js'
import type { SessionUser } from '../auth/session.js'
import { atLeast, RANK, requireClubRole, requireClubRoleOrApprover } from '../clubs/permissions.js'
import * as repo from './membership.repository.js'

export const INVITE_DAYS = 14
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex')

const lastOwner = () => fail('LAST_OWNER', 'A club always keeps an owner: make someone else owner first')

/** Who may give whom which role: officers manage members, owners manage everyone. */
function checkRoleChange(actor: Role, targetRole: Role | null, newRole: Role | undefined): void {
  if (newRole && RANK[newRole] > RANK[actor]) {
    throw fail('ROLE_ABOVE_OWN', `As ${actor} you cannot grant the ${newRole} role`)
  }
  if (targetRole && RANK[targetRole] >= RANK.officer && actor !== 'owner') {
    throw fail('OWNERS_ONLY', 'Only owners manage officers and owners')
  }
}

export async function requestToJoin(rt: Runtime, user: SessionUser, code: string, message: string) {
  const club = await rt.db
    .selectFrom('clubs')
    .where('code', '=', code)
    .where('status', '=', 'approved')
    .where('active', '=', true)
    .where('archived_at', 'is', null)
    .select(['id', 'accepting_members'])
    .executeTakeFirst()
  if (!club) throw notFound('Club')
  if (!club.accepting_members) throw fail('NOT_ACCEPTING', 'This club is not accepting members right now')
  if (await repo.findMembership(rt.db, club.id, user.id)) throw fail('ALREADY_MEMBER', 'You are already a member of this club')
  const row = await rt.write((trx) =>
    trx
      .insertInto('membership_requests')
      .values({ club_id: club.id, user_id: user.id, message: message.trim() })
      .onConflict((oc) => oc.columns(['club_id', 'user_id']).where('status', '=', 'pending').doNothing())
      .returning(['id', 'status'])
      .executeTakeFirst(),
  )
  if (!row) throw fail('REQUEST_PENDING', 'You already asked to join this club')
  return row
}

export async function cancelMyRequest(rt: Runtime, user: SessionUser, code: string) {
  const club = await rt.db.selectFrom('clubs').where('code', '=', code).select('id').executeTakeFirst()
  if (!club) throw notFound('Club')
  const n = await rt.write(async (trx) => {
    const r = await trx
      .updateTable('membership_requests')
      .set({ status: 'cancelled', decided_at: new Date(), decided_by: user.id })
      .where('club_id', '=', club.id)
      .where('user_id', '=', user.id)
      .where('status', '=', 'pending')
      .executeTakeFirst()
    return Number(r.numUpdatedRows)
  })
  if (n === 0) throw notFound('Pending request')
  return { ok: true }
}

export async function listRequests(db: QuadDb, user: SessionUser, code: string) {
  const { club } = await requireClubRole(db, user, code, 'officer')
  const rows = await repo.pendingRequests(db, club.id)
  return rows.map((r) => ({
    id: r.id,
    message: r.message,
    created_at: r.created_at,
    user: { id: r.user_id, name: r.name, email: r.email, graduation_year: r.graduation_year, school: r.school, major: r.major },
  }))
}

export async function decideRequest(rt: Runtime, user: SessionUser, code: string, id: number, accept: boolean) {
  const { club } = await requireClubRole(rt.db, user, code, 'officer')
  return rt.write(async (trx) => {
    // Only one decision wins: the row lock makes a double click see "already decided".
    const req = await trx
      .updateTable('membership_requests')
      .set({ status: accept ? 'accepted' : 'declined', decided_at: new Date(), decided_by: user.id })
      .where('id', '=', id)
      .where('club_id', '=', club.id)
      .where('status', '=', 'pending')
      .returning(['user_id'])
      .executeTakeFirst()
    if (!req) {
      const exists = await trx.selectFrom('membership_requests').where('id', '=', id).where('club_id', '=', club.id).select('status').executeTakeFirst()
      if (!exists) throw notFound('Request')
      throw fail('REQUEST_DECIDED', `This request was already ${exists.status}`)
    }
    if (accept) await repo.upsertMembership(trx, club.id, req.user_id, 'member', '')
    return { id, status: accept ? 'accepted' : 'declined' }
  })
}

export async function createInvite(rt: Runtime, user: SessionUser, code: string, body: { email: string; role?: Role; title?: string }) {
  const { club, role: actor } = await requireClubRole(rt.db, user, code, 'officer')
  const role = body.role ?? 'member'
  checkRoleChange(actor, null, role)
  if (role === 'owner' && actor !== 'owner') throw fail('OWNERS_ONLY', 'Only owners invite owners')
  const email = body.email.trim().toLowerCase()
  const existing = await rt.db
    .selectFrom('users as u')
    .leftJoin('memberships as m', (j) => j.onRef('m.user_id', '=', 'u.id').on('m.club_id', '=', club.id).on('m.active', '=', true))
    .where('u.email', '=', email)
    .select(['u.id', 'm.role'])
    .executeTakeFirst()
  if (existing?.role) throw fail('ALREADY_MEMBER', `${email} is already a member; change their role instead`)
  const token = randomBytes(32).toString('base64url')
  const now = new Date()
  const expires = new Date(now.getTime() + INVITE_DAYS * 86_400_000)
  const link = `${rt.config.publicUrl}/invites/${token}`
  const invite = await rt.write(async (trx) => {
    // An expired invite no longer holds the address's slot.
    await trx
      .updateTable('invites')
      .set({ revoked_at: now })
      .where('club_id', '=', club.id)
      .where('email', '=', email)
      .where('used_at', 'is', null)
      .where('revoked_at', 'is', null)
      .where('expires_at', '<=', now)
      .execute()
    const row = await trx
      .insertInto('invites')
      .values({ club_id: club.id, email, role, title: (body.title ?? '').trim(), token_hash: hashToken(token), invited_by: user.id, expires_at: expires })
      .onConflict((oc) => oc.columns(['club_id', 'email']).where('used_at', 'is', null).where('revoked_at', 'is', null).doNothing())
      .returning(['id', 'email', 'role', 'title', 'expires_at', 'created_at'])
      .executeTakeFirst()
    if (!row) throw fail('INVITE_PENDING', `${email} already has an open invite to this club`)
    // The mail sender drains email_outbox; the token exists only in this message and the link.
    await trx
      .insertInto('email_outbox')
      .values({
        kind: 'invite',
        dedupe_key: `invite:${row.id}`,
        to_email: email,
        user_id: existing?.id ?? null,
        subject: `You are invited to join ${club.name} on Quad`,
        body:
          `${user.name || user.email} invited you to join ${club.name} as ${role}${row.title ? ` (${row.title})` : ''}.\n\n` +
          `Accept the invitation: ${link}\n\nThe link works once and expires on ${expires.toUTCString()}.\n` +
          `If you did not expect this email, ignore it.\n`,
      })
      .execute()
    return row
  })
  return { ...invite, invited_by: user.name }
}

export async function listInvites(db: QuadDb, user: SessionUser, code: string) {
  const { club } = await requireClubRole(db, user, code, 'officer')
  return repo.openInvites(db, club.id, new Date())
}

export async function revokeInvite(rt: Runtime, user: SessionUser, code: string, id: number) {
  const { club, role } = await requireClubRole(rt.db, user, code, 'officer')
  await rt.write(async (trx) => {
    const inv = await trx.selectFrom('invites').where('id', '=', id).where('club_id', '=', club.id).select(['role', 'used_at', 'revoked_at']).forUpdate().executeTakeFirst()
    if (!inv) throw notFound('Invite')
    if (inv.role === 'owner' && role !== 'owner') throw fail('OWNERS_ONLY', 'Only owners manage owner invites')
    if (inv.used_at) throw fail('INVITE_USED', 'This invite was already accepted')
    if (!inv.revoked_at) await trx.updateTable('invites').set({ revoked_at: new Date() }).where('id', '=', id).execute()
  })
  return { ok: true }
}

const inviteState = (i: { used_at: Date | null; revoked_at: Date | null; expires_at: Date }, now: Date) =>
  i.used_at ? 'used' : i.revoked_at ? 'revoked' : new Date(i.expires_at) <= now ? 'expired' : 'open'

export async function previewInvite(db: QuadDb, token: string) {
  const inv = await repo.inviteByHash(db, hashToken(token))
  if (!inv) throw notFound('Invite')
  return { club: { code: inv.code, name: inv.name }, role: inv.role, title: inv.title, expires_at: inv.expires_at, state: inviteState(inv, new Date()) }
}

export async function acceptInvite(rt: Runtime, user: SessionUser, token: string) {
  return rt.write(async (trx) => {
    const inv = await repo.inviteByHash(trx, hashToken(token))
    if (!inv) throw notFound('Invite')
    await trx.selectFrom('invites').where('id', '=', inv.id).select('id').forUpdate().execute()
    const fresh = (await repo.inviteByHash(trx, hashToken(token)))!
    const state = inviteState(fresh, new Date())
    if (state !== 'open') throw fail(state === 'used' ? 'INVITE_USED' : state === 'revoked' ? 'INVITE_REVOKED' : 'INVITE_EXPIRED', `This invite is ${state}`)
    if (fresh.email !== user.email) throw fail('INVITE_EMAIL_MISMATCH', `This invite is for ${fresh.email}; sign in with that address`)
    await trx.updateTable('invites').set({ used_at: new Date(), used_by: user.id }).where('id', '=', inv.id).execute()
    await repo.upsertMembership(trx, inv.club_id, user.id, fresh.role, fresh.title)
    await trx
      .updateTable('membership_requests')
      .set({ status: 'cancelled', decided_at: new Date() })
      .where('club_id', '=', inv.club_id)
      .where('user_id', '=', user.id)
      .where('status', '=', 'pending')
      .execute()
    const m = (await repo.findMembership(trx, inv.club_id, user.id))!
    return { club: inv.code, user_id: user.id, role: m.role, title: m.title, is_public: m.is_public }
  })
}

export async function leave(rt: Runtime, user: SessionUser, code: string) {
  const club = await rt.db.selectFrom('clubs').where('code', '=', code).where('archived_at', 'is', null).select('id').executeTakeFirst()
  if (!club) throw notFound('Club')
  await rt.write(async (trx) => {
    await repo.lockClub(trx, club.id)
    const m = await repo.findMembership(trx, club.id, user.id)
    if (!m) throw notFound('Membership')
    if (m.role === 'owner' && (await repo.otherOwners(trx, club.id, user.id)) === 0) throw lastOwner()
    await trx.deleteFrom('memberships').where('id', '=', m.id).execute()
  })
  return { ok: true }
}

export async function listMembers(db: QuadDb, user: SessionUser, code: string) {
  const { club, role } = await requireClubRoleOrApprover(db, user, code, 'member')
  const seeEmails = atLeast(role, 'officer') || user.isApprover || user.isAdmin
  const rows = await repo.members(db, club.id)
  return rows.map((m) => ({ ...m, email: seeEmails ? m.email : null }))
}

export async function updateMember(
  rt: Runtime,
  user: SessionUser,
  code: string,
  targetId: number,
  patch: { role?: Role; title?: string; is_public?: boolean },
) {
  const { club, role: actor } = await requireClubRole(rt.db, user, code, 'member')
  const self = targetId === user.id
  // Members may only hide or show themselves; everything else is officers' business.
  const officerChange = !self || patch.role !== undefined || patch.title !== undefined
  if (officerChange && !atLeast(actor, 'officer')) throw forbidden('Officers manage members')
  return rt.write(async (trx) => {
    await repo.lockClub(trx, club.id)
    const m = await repo.findMembership(trx, club.id, targetId)
    if (!m) throw notFound('Membership')
    if (officerChange) {
      checkRoleChange(actor, self ? null : m.role, patch.role)
      if (m.role === 'owner' && patch.role && patch.role !== 'owner' && (await repo.otherOwners(trx, club.id, targetId)) === 0) throw lastOwner()
    }
    const row = await trx
      .updateTable('memberships')
      .set({
        ...(patch.role ? { role: patch.role } : {}),
        ...(patch.title !== undefined ? { title: patch.title.trim() } : {}),
        ...(patch.is_public !== undefined ? { is_public: patch.is_public } : {}),
      })
      .where('id', '=', m.id)
      .returning(['user_id', 'role', 'title', 'is_public'])
      .executeTakeFirstOrThrow()
    return { club: code, ...row }
  })
}

export async function removeMember(rt: Runtime, user: SessionUser, code: string, targetId: number) {
  const { club, role: actor } = await requireClubRole(rt.db, user, code, 'officer')
  await rt.write(async (trx) => {
    await repo.lockClub(trx, club.id)
    const m = await repo.findMembership(trx, club.id, targetId)
    if (!m) throw notFound('Membership')
    if (targetId !== user.id) checkRoleChange(actor, m.role, undefined)
    if (m.role === 'owner' && (await repo.otherOwners(trx, club.id, targetId)) === 0) throw lastOwner()
    await trx.deleteFrom('memberships').where('id', '=', m.id).execute()
  })
  return { ok: true }
}
