import { type Static, Type } from '@sinclair/typebox'
import type { FastifyInstance, FastifyReply } from 'fastify'
import { ErrorResponse, requireChanges } from '../../http/schemas.js'
import { requireUser } from '../auth/guard.js'
import {
  AcceptInviteBody, CodeIdParams, CodeParams, CodeUserParams, InviteBody, InvitePreview, InviteView, JoinBody, MemberPatch,
  MemberView, MembershipView, Ok, RequestCreated, RequestView, TokenParams,
} from './membership.schema.js'
import * as svc from './membership.service.js'

/**
 * Query budgets, asserted in tests. Reads: session + club + role + list (the invite preview reads
 * only the invite). Writes: what they check first, then one transaction counted with its begin,
 * own-outbox read and commit.
 */
export const MEMBERSHIP_BUDGETS = {
  requests: 4,
  invites: 4,
  members: 4,
  invitePreview: 1,
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

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse }
const priv = (reply: FastifyReply) => reply.header('cache-control', 'private, no-store')
type P = Static<typeof CodeParams>
type PI = Static<typeof CodeIdParams>
type PU = Static<typeof CodeUserParams>

export async function membershipRoutes(app: FastifyInstance) {
  const rt = app.runtime
  const tags = ['membership']

  app.post<{ Params: P; Body: Static<typeof JoinBody> }>(
    '/api/clubs/:code/requests',
    { config: { queryBudget: MEMBERSHIP_BUDGETS.join }, schema: { summary: 'Ask to join a club', tags, params: CodeParams, body: JoinBody, response: { 201: RequestCreated, ...errors } } },
    async (req, reply) => {
      const user = await requireUser(req)
      const row = await svc.requestToJoin(rt, user, req.params.code, req.body?.message ?? '')
      return priv(reply).code(201).send(row)
    },
  )
  app.delete<{ Params: P }>(
    '/api/clubs/:code/requests/mine',
    { config: { queryBudget: MEMBERSHIP_BUDGETS.cancelRequest }, schema: { summary: 'Withdraw my pending request to join', tags, params: CodeParams, response: { 200: Ok, ...errors } } },
    async (req, reply) => priv(reply).send(await svc.cancelMyRequest(rt, await requireUser(req), req.params.code)),
  )
  app.get<{ Params: P }>(
    '/api/clubs/:code/requests',
    { config: { queryBudget: MEMBERSHIP_BUDGETS.requests }, schema: { summary: 'Pending requests to join (officers)', tags, params: CodeParams, response: { 200: Type.Object({ requests: Type.Array(RequestView) }), ...errors } } },
    async (req, reply) => priv(reply).send({ requests: await svc.listRequests(rt.db, await requireUser(req), req.params.code) }),
  )
  for (const decision of ['accept', 'decline'] as const) {
    app.post<{ Params: PI }>(
      `/api/clubs/:code/requests/:id/${decision}`,
      { config: { queryBudget: MEMBERSHIP_BUDGETS[decision] }, schema: { summary: `${decision === 'accept' ? 'Accept' : 'Decline'} a request to join (officers)`, tags, params: CodeIdParams, response: { 200: RequestCreated, ...errors } } },
      async (req, reply) => priv(reply).send(await svc.decideRequest(rt, await requireUser(req), req.params.code, req.params.id, decision === 'accept')),
    )
  }

  app.get<{ Params: P }>(
    '/api/clubs/:code/invites',
    { config: { queryBudget: MEMBERSHIP_BUDGETS.invites }, schema: { summary: 'Open invites (officers)', tags, params: CodeParams, response: { 200: Type.Object({ invites: Type.Array(InviteView) }), ...errors } } },
    async (req, reply) => priv(reply).send({ invites: await svc.listInvites(rt.db, await requireUser(req), req.params.code) }),
  )
  app.post<{ Params: P; Body: Static<typeof InviteBody> }>(
    '/api/clubs/:code/invites',
    { config: { queryBudget: MEMBERSHIP_BUDGETS.invite }, schema: { summary: 'Invite someone by email with a role and title (officers); the email is queued', tags, params: CodeParams, body: InviteBody, response: { 201: InviteView, ...errors } } },
    async (req, reply) => priv(reply).code(201).send(await svc.createInvite(rt, await requireUser(req), req.params.code, req.body)),
  )
  app.delete<{ Params: PI }>(
    '/api/clubs/:code/invites/:id',
    { config: { queryBudget: MEMBERSHIP_BUDGETS.revokeInvite }, schema: { summary: 'Revoke an invite (officers)', tags, params: CodeIdParams, response: { 200: Ok, ...errors } } },
    async (req, reply) => priv(reply).send(await svc.revokeInvite(rt, await requireUser(req), req.params.code, req.params.id)),
  )
  app.get<{ Params: Static<typeof TokenParams> }>(
    '/api/invites/:token',
    { config: { queryBudget: MEMBERSHIP_BUDGETS.invitePreview }, schema: { summary: 'What an invite link offers (the token is the secret)', tags, params: TokenParams, response: { 200: InvitePreview, ...errors } } },
    async (req, reply) => priv(reply).send(await svc.previewInvite(rt.db, req.params.token)),
  )
  app.post<{ Body: Static<typeof AcceptInviteBody> }>(
    '/api/invites/accept',
    { config: { queryBudget: MEMBERSHIP_BUDGETS.acceptInvite }, schema: { summary: 'Accept an invite (single use, for the invited email)', tags, body: AcceptInviteBody, response: { 200: MembershipView, ...errors } } },
    async (req, reply) => priv(reply).send(await svc.acceptInvite(rt, await requireUser(req), req.body.token)),
  )

  app.delete<{ Params: P }>(
    '/api/clubs/:code/membership',
    { config: { queryBudget: MEMBERSHIP_BUDGETS.leave }, schema: { summary: 'Leave a club (an owner cannot leave it ownerless)', tags, params: CodeParams, response: { 200: Ok, ...errors } } },
    async (req, reply) => priv(reply).send(await svc.leave(rt, await requireUser(req), req.params.code)),
  )
  app.get<{ Params: P }>(
    '/api/clubs/:code/members',
    { config: { queryBudget: MEMBERSHIP_BUDGETS.members }, schema: { summary: 'Every member, public or not (members, officers, approvers)', tags, params: CodeParams, response: { 200: Type.Object({ members: Type.Array(MemberView) }), ...errors } } },
    async (req, reply) => priv(reply).send({ members: await svc.listMembers(rt.db, await requireUser(req), req.params.code) }),
  )
  app.patch<{ Params: PU; Body: Static<typeof MemberPatch> }>(
    '/api/clubs/:code/members/:userId',
    { config: { queryBudget: MEMBERSHIP_BUDGETS.changeMember }, schema: { summary: "Change a member's role, title or visibility", tags, params: CodeUserParams, body: MemberPatch, response: { 200: MembershipView, ...errors } } },
    async (req, reply) => priv(reply).send(await svc.updateMember(rt, await requireUser(req), req.params.code, req.params.userId, requireChanges(req.body))),
  )
  app.delete<{ Params: PU }>(
    '/api/clubs/:code/members/:userId',
    { config: { queryBudget: MEMBERSHIP_BUDGETS.changeMember }, schema: { summary: 'Remove a member (officers; owners for officers and owners)', tags, params: CodeUserParams, response: { 200: Ok, ...errors } } },
    async (req, reply) => priv(reply).send(await svc.removeMember(rt, await requireUser(req), req.params.code, req.params.userId)),
  )
}
