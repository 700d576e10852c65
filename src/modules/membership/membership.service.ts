import { createHash, randomBytes } from 'node:crypto'
import type { QuadDb } from '../../db/database.js'
import type { Role } from '../../db/types.js'
import type { Trx } from '../../db/write.js'
import { fail, forbidden, notFound } from '../../errors.js'
import { atLeast, type Grant, RANK } from '../../http/access.js'
import type { SessionUser } from '../auth/session.js'
import * as repo from './membership.repository.js'

export const INVITE_DAYS = 14
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex')

export interface MembershipDeps {
  db: QuadDb
  write<T>(fn: (trx: Trx) => Promise<T>): Promise<T>
}

/** The club's grant as privateRoute hands it to club-role routes. */
type ClubGrant = Grant<'club'>

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

export async function requestToJoin(deps: MembershipDeps, user: SessionUser, code: string, message: string) {
  const club = await repo.joinableClub(deps.db, code)
  if (!club) throw notFound('Club')
  if (!club.accepting_members) throw fail('NOT_ACCEPTING', 'This club is not accepting members right now')
  if (await repo.findMembership(deps.db, club.id, user.id)) throw fail('ALREADY_MEMBER', 'You are already a member of this club')
  const row = await deps.write((trx) => repo.insertRequest(trx, club.id, user.id, message.trim()))
  if (!row) throw fail('REQUEST_PENDING', 'You already asked to join this club')
  return row
}

export async function cancelMyRequest(deps: MembershipDeps, user: SessionUser, code: string, now: Date) {
  const clubId = await repo.anyClubId(deps.db, code)
  if (clubId === undefined) throw notFound('Club')
  const n = await deps.write((trx) => repo.cancelPendingRequest(trx, clubId, user.id, now, user.id))
  if (n === 0) throw notFound('Pending request')
  return { ok: true }
}

export async function listRequests(db: QuadDb, clubId: number) {
  const rows = await repo.pendingRequests(db, clubId)
  return rows.map((r) => ({
    id: r.id,
    message: r.message,
    created_at: r.created_at,
    user: { id: r.user_id, name: r.name, email: r.email, graduation_year: r.graduation_year, school: r.school, major: r.major },
  }))
}

export async function decideRequest(deps: MembershipDeps, user: SessionUser, clubId: number, id: number, accept: boolean, now: Date) {
  const status = accept ? 'accepted' : 'declined'
  return deps.write(async (trx) => {
    // Only one decision wins: the row lock makes a double click see "already decided".
    const req = await repo.decidePendingRequest(trx, id, clubId, status, now, user.id)
    if (!req) {
      const exists = await repo.requestStatus(trx, id, clubId)
      if (!exists) throw notFound('Request')
      throw fail('REQUEST_DECIDED', `This request was already ${exists.status}`)
    }
    if (accept) await repo.upsertMembership(trx, clubId, req.user_id, 'member', '')
    return { id, status }
  })
}

export async function createInvite(
  deps: MembershipDeps & { publicUrl: string },
  user: SessionUser,
  grant: ClubGrant,
  body: { email: string; role?: Role; title?: string },
  now: Date,
) {
  const { resource: club } = grant
  const actor = grant.role!
  const role = body.role ?? 'member'
  checkRoleChange(actor, null, role)
  if (role === 'owner' && actor !== 'owner') throw fail('OWNERS_ONLY', 'Only owners invite owners')
  const email = body.email.trim().toLowerCase()
  const existing = await repo.userAndRole(deps.db, email, club.id)
  if (existing?.role) throw fail('ALREADY_MEMBER', `${email} is already a member; change their role instead`)
  const token = randomBytes(32).toString('base64url')
  const expires = new Date(now.getTime() + INVITE_DAYS * 86_400_000)
  const link = `${deps.publicUrl}/invites/${token}`
  const invite = await deps.write(async (trx) => {
    await repo.revokeExpiredInvites(trx, club.id, email, now)
    const row = await repo.insertInvite(trx, { clubId: club.id, email, role, title: (body.title ?? '').trim(), tokenHash: hashToken(token), invitedBy: user.id, expiresAt: expires })
    if (!row) throw fail('INVITE_PENDING', `${email} already has an open invite to this club`)
    // The token exists only in this message and the link.
    await repo.queueEmail(trx, {
      kind: 'invite',
      dedupeKey: `invite:${row.id}`,
      to: email,
      userId: existing?.id ?? null,
      subject: `You are invited to join ${club.name} on Quad`,
      body:
        `${user.name || user.email} invited you to join ${club.name} as ${role}${row.title ? ` (${row.title})` : ''}.\n\n` +
        `Accept the invitation: ${link}\n\nThe link works once and expires on ${expires.toUTCString()}.\n` +
        `If you did not expect this email, ignore it.\n`,
    })
    return row
  })
  return { ...invite, invited_by: user.name }
}

export const listInvites = (db: QuadDb, clubId: number, now: Date) => repo.openInvites(db, clubId, now)

export async function revokeInvite(deps: MembershipDeps, grant: ClubGrant, id: number, now: Date) {
  await deps.write(async (trx) => {
    const inv = await repo.lockedInvite(trx, id, grant.clubId)
    if (!inv) throw notFound('Invite')
    if (inv.role === 'owner' && grant.role !== 'owner') throw fail('OWNERS_ONLY', 'Only owners manage owner invites')
    if (inv.used_at) throw fail('INVITE_USED', 'This invite was already accepted')
    if (!inv.revoked_at) await repo.revokeInvite(trx, id, now)
  })
  return { ok: true }
}

const inviteState = (i: { used_at: Date | null; revoked_at: Date | null; expires_at: Date }, now: Date): 'used' | 'revoked' | 'expired' | 'open' =>
  i.used_at ? 'used' : i.revoked_at ? 'revoked' : new Date(i.expires_at) <= now ? 'expired' : 'open'

export async function previewInvite(db: QuadDb, token: string, now: Date) {
  const inv = await repo.inviteByHash(db, hashToken(token))
  if (!inv) throw notFound('Invite')
  return { club: { code: inv.code, name: inv.name }, role: inv.role, title: inv.title, expires_at: inv.expires_at, state: inviteState(inv, now) }
}

export async function acceptInvite(deps: MembershipDeps, user: SessionUser, token: string, now: Date) {
  return deps.write(async (trx) => {
    const inv = await repo.inviteByHash(trx, hashToken(token))
    if (!inv) throw notFound('Invite')
    await repo.lockInvite(trx, inv.id)
    const fresh = (await repo.inviteByHash(trx, hashToken(token)))!
    const state = inviteState(fresh, now)
    if (state !== 'open') throw fail(state === 'used' ? 'INVITE_USED' : state === 'revoked' ? 'INVITE_REVOKED' : 'INVITE_EXPIRED', `This invite is ${state}`)
    if (fresh.email !== user.email) throw fail('INVITE_EMAIL_MISMATCH', `This invite is for ${fresh.email}; sign in with that address`)
    await repo.markInviteUsed(trx, inv.id, user.id, now)
    await repo.upsertMembership(trx, inv.club_id, user.id, fresh.role, fresh.title)
    await repo.cancelPendingRequest(trx, inv.club_id, user.id, now)
    const m = (await repo.findMembership(trx, inv.club_id, user.id))!
    return { club: inv.code, user_id: user.id, role: m.role, title: m.title, is_public: m.is_public }
  })
}

export async function leave(deps: MembershipDeps, user: SessionUser, code: string) {
  const clubId = await repo.activeClubId(deps.db, code)
  if (clubId === undefined) throw notFound('Club')
  await deps.write(async (trx) => {
    await repo.lockClub(trx, clubId)
    const m = await repo.findMembership(trx, clubId, user.id)
    if (!m) throw notFound('Membership')
    if (m.role === 'owner' && (await repo.otherOwners(trx, clubId, user.id)) === 0) throw lastOwner()
    await repo.deleteMembership(trx, m.id)
  })
  return { ok: true }
}

/** Every member; emails only to officers, approvers and administrators. */
export async function listMembers(db: QuadDb, user: SessionUser, grant: ClubGrant) {
  const seeEmails = atLeast(grant.role, 'officer') || user.isApprover || user.isAdmin
  const rows = await repo.members(db, grant.clubId)
  return rows.map((m) => ({ ...m, email: seeEmails ? m.email : null }))
}

export async function updateMember(
  deps: MembershipDeps,
  user: SessionUser,
  grant: ClubGrant,
  targetId: number,
  patch: { role?: Role; title?: string; is_public?: boolean },
) {
  const actor = grant.role!
  const clubId = grant.clubId
  const self = targetId === user.id
  // Members may only hide or show themselves; everything else is officers' business.
  const officerChange = !self || patch.role !== undefined || patch.title !== undefined
  if (officerChange && !atLeast(actor, 'officer')) throw forbidden('Officers manage members')
  return deps.write(async (trx) => {
    await repo.lockClub(trx, clubId)
    const m = await repo.findMembership(trx, clubId, targetId)
    if (!m) throw notFound('Membership')
    if (officerChange) {
      checkRoleChange(actor, self ? null : m.role, patch.role)
      if (m.role === 'owner' && patch.role && patch.role !== 'owner' && (await repo.otherOwners(trx, clubId, targetId)) === 0) throw lastOwner()
    }
    const row = await repo.updateMembership(trx, m.id, {
      ...(patch.role ? { role: patch.role } : {}),
      ...(patch.title !== undefined ? { title: patch.title.trim() } : {}),
      ...(patch.is_public !== undefined ? { is_public: patch.is_public } : {}),
    })
    return { club: grant.resource.code, ...row }
  })
}

export async function removeMember(deps: MembershipDeps, user: SessionUser, grant: ClubGrant, targetId: number) {
  const actor = grant.role!
  const clubId = grant.clubId
  await deps.write(async (trx) => {
    await repo.lockClub(trx, clubId)
    const m = await repo.findMembership(trx, clubId, targetId)
    if (!m) throw notFound('Membership')
    if (targetId !== user.id) checkRoleChange(actor, m.role, undefined)
    if (m.role === 'owner' && (await repo.otherOwners(trx, clubId, targetId)) === 0) throw lastOwner()
    await repo.deleteMembership(trx, m.id)
  })
  return { ok: true }
}
