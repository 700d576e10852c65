import type { FastifyInstance } from 'fastify'
import { clubMember, clubOfficer } from '../../http/access.js'
import { CodeIdParams, CodeParams, CodeUserParams, Ok } from '../../http/params.js'
import { privateRoute } from '../../http/private-route.js'
import { requireChanges } from '../../http/schemas.js'
import {
  AcceptInviteBody, InviteBody, InviteList, InvitePreview, InviteView, JoinBody, MemberList, MemberPatch, MembershipView, RequestCreated, RequestList,
  TokenParams,
} from './membership.schema.js'
import * as svc from './membership.service.js'

/**
 * Query budgets, asserted in tests. Reads: session + club + role + list. Writes: what they check
 * first, then one transaction counted with its begin, own-outbox read and commit.
 */
export const MEMBERSHIP_BUDGETS = {
  requests: 4,
  invites: 4,
  members: 4,
  /** the session (when a cookie comes with the request; anyone may look), the invite */
  invitePreview: 2,
  /** session, club, membership; insert */
  join: 7,
  /** session, club; update */
  cancelRequest: 6,
  /** session, club, role; update, membership upsert */
  accept: 8,
  /** session, club, role; update (and, when already decided, its status) */
  decline: 7,
  /** session, club, role, existing member; expire old invite, insert invite, queue email */
  invite: 10,
  /** session, club, role; lock invite, update */
  revokeInvite: 8,
  /** session; invite, lock, invite again, mark used, membership upsert, cancel requests, membership */
  acceptInvite: 11,
  /** session, club; lock club, membership, other owners, delete */
  leave: 9,
  /** session, club, role; lock club, membership, other owners, update or delete */
  changeMember: 10,
} as const

export async function membershipRoutes(app: FastifyInstance) {
  const { db, write } = app.privateDeps
  const deps = { db, write }
  const publicUrl = app.runtime.config.publicUrl
  const tags = ['membership']

  privateRoute(app, {
    method: 'POST',
    url: '/api/clubs/:code/requests',
    summary: 'Ask to join a club',
    tags,
    access: 'user',
    params: CodeParams,
    body: JoinBody,
    response: RequestCreated,
    status: 201,
    queryBudget: MEMBERSHIP_BUDGETS.join,
    errors: ['NOT_FOUND', 'NOT_ACCEPTING', 'ALREADY_MEMBER', 'REQUEST_PENDING'],
    handler: ({ viewer, params, body }) => svc.requestToJoin(deps, viewer, params.code, body?.message ?? ''),
  })
  privateRoute(app, {
    method: 'DELETE',
    url: '/api/clubs/:code/requests/mine',
    summary: 'Withdraw my pending request to join',
    tags,
    access: 'user',
    params: CodeParams,
    response: Ok,
    queryBudget: MEMBERSHIP_BUDGETS.cancelRequest,
    errors: ['NOT_FOUND'],
    handler: ({ viewer, params, now }) => svc.cancelMyRequest(deps, viewer, params.code, now),
  })
  privateRoute(app, {
    method: 'GET',
    url: '/api/clubs/:code/requests',
    summary: 'Pending requests to join (officers)',
    tags,
    access: clubOfficer(),
    params: CodeParams,
    response: RequestList,
    queryBudget: MEMBERSHIP_BUDGETS.requests,
    errors: [],
    handler: async ({ db: read, grant }) => ({ requests: await svc.listRequests(read, grant.clubId) }),
  })
  for (const decision of ['accept', 'decline'] as const) {
    privateRoute(app, {
      method: 'POST',
      url: `/api/clubs/:code/requests/:id/${decision}`,
      summary: `${decision === 'accept' ? 'Accept' : 'Decline'} a request to join (officers)`,
      tags,
      access: clubOfficer(),
      params: CodeIdParams,
      response: RequestCreated,
      queryBudget: MEMBERSHIP_BUDGETS[decision],
      errors: ['NOT_FOUND', 'REQUEST_DECIDED'],
      handler: ({ viewer, grant, params, now }) => svc.decideRequest(deps, viewer, grant.clubId, params.id, decision === 'accept', now),
    })
  }

  privateRoute(app, {
    method: 'GET',
    url: '/api/clubs/:code/invites',
    summary: 'Open invites (officers)',
    tags,
    access: clubOfficer(),
    params: CodeParams,
    response: InviteList,
    queryBudget: MEMBERSHIP_BUDGETS.invites,
    errors: [],
    handler: async ({ db: read, grant, now }) => ({ invites: await svc.listInvites(read, grant.clubId, now) }),
  })
  privateRoute(app, {
    method: 'POST',
    url: '/api/clubs/:code/invites',
    summary: 'Invite someone by email with a role and title (officers); the email is queued',
    tags,
    access: clubOfficer(),
    params: CodeParams,
    body: InviteBody,
    response: InviteView,
    status: 201,
    queryBudget: MEMBERSHIP_BUDGETS.invite,
    errors: ['ROLE_ABOVE_OWN', 'OWNERS_ONLY', 'ALREADY_MEMBER', 'INVITE_PENDING'],
    handler: ({ viewer, grant, body, now }) => svc.createInvite({ ...deps, publicUrl }, viewer, grant, body, now),
  })
  privateRoute(app, {
    method: 'DELETE',
    url: '/api/clubs/:code/invites/:id',
    summary: 'Revoke an invite (officers)',
    tags,
    access: clubOfficer(),
    params: CodeIdParams,
    response: Ok,
    queryBudget: MEMBERSHIP_BUDGETS.revokeInvite,
    errors: ['NOT_FOUND', 'OWNERS_ONLY', 'INVITE_USED'],
    handler: ({ grant, params, now }) => svc.revokeInvite(deps, grant, params.id, now),
  })
  privateRoute(app, {
    method: 'GET',
    url: '/api/invites/:token',
    summary: 'What an invite link offers (the token is the secret)',
    tags,
    access: 'anyone',
    params: TokenParams,
    response: InvitePreview,
    queryBudget: MEMBERSHIP_BUDGETS.invitePreview,
    errors: ['NOT_FOUND'],
    handler: ({ db: read, params, now }) => svc.previewInvite(read, params.token, now),
  })
  privateRoute(app, {
    method: 'POST',
    url: '/api/invites/accept',
    summary: 'Accept an invite (single use, for the invited email)',
    tags,
    access: 'user',
    body: AcceptInviteBody,
    response: MembershipView,
    queryBudget: MEMBERSHIP_BUDGETS.acceptInvite,
    errors: ['NOT_FOUND', 'INVITE_USED', 'INVITE_REVOKED', 'INVITE_EXPIRED', 'INVITE_EMAIL_MISMATCH'],
    handler: ({ viewer, body, now }) => svc.acceptInvite(deps, viewer, body.token, now),
  })

  privateRoute(app, {
    method: 'DELETE',
    url: '/api/clubs/:code/membership',
    summary: 'Leave a club (an owner cannot leave it ownerless)',
    tags,
    access: 'user',
    params: CodeParams,
    response: Ok,
    queryBudget: MEMBERSHIP_BUDGETS.leave,
    errors: ['NOT_FOUND', 'LAST_OWNER'],
    handler: ({ viewer, params }) => svc.leave(deps, viewer, params.code),
  })
  privateRoute(app, {
    method: 'GET',
    url: '/api/clubs/:code/members',
    summary: 'Every member, public or not (members, officers, approvers)',
    tags,
    access: clubMember('code', { approvers: true }),
    params: CodeParams,
    response: MemberList,
    queryBudget: MEMBERSHIP_BUDGETS.members,
    errors: [],
    handler: async ({ db: read, viewer, grant }) => ({ members: await svc.listMembers(read, viewer, grant) }),
  })
  // Members reach this route to hide or show themselves; the service leaves the rest to officers.
  privateRoute(app, {
    method: 'PATCH',
    url: '/api/clubs/:code/members/:userId',
    summary: "Change a member's role, title or visibility",
    tags,
    access: clubMember(),
    params: CodeUserParams,
    body: MemberPatch,
    response: MembershipView,
    queryBudget: MEMBERSHIP_BUDGETS.changeMember,
    errors: ['NOT_FOUND', 'ROLE_ABOVE_OWN', 'OWNERS_ONLY', 'LAST_OWNER'],
    handler: ({ viewer, grant, params, body }) => svc.updateMember(deps, viewer, grant, params.userId, requireChanges(body)),
  })
  privateRoute(app, {
    method: 'DELETE',
    url: '/api/clubs/:code/members/:userId',
    summary: 'Remove a member (officers; owners for officers and owners)',
    tags,
    access: clubOfficer(),
    params: CodeUserParams,
    response: Ok,
    queryBudget: MEMBERSHIP_BUDGETS.changeMember,
    errors: ['NOT_FOUND', 'OWNERS_ONLY', 'LAST_OWNER'],
    handler: ({ viewer, grant, params }) => svc.removeMember(deps, viewer, grant, params.userId),
  })
}
