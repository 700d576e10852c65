import { type Static, Type } from '@sinclair/typebox'
import type { FastifyInstance, FastifyReply } from 'fastify'
import { DateTime, ErrorResponse, Nullable } from '../../http/schemas.js'
import { requireApprover } from '../auth/guard.js'
import { DiffEntry, Comment, RequiredComment } from '../manage/manage.schema.js'
import { CodeParams, IdParam } from '../membership/membership.schema.js'
import { decideClub, decideRevision, queue } from './approvals.service.js'

/**
 * Query budgets, asserted in tests: the queue is session + pending clubs + pending revisions.
 * Decisions are session + one transaction counted with its begin, own-outbox read and commit.
 */
export const APPROVAL_BUDGETS = {
  queue: 3,
  /** session; lock club, update */
  club: 6,
  /** session; revision's club, lock club, its tags, lock revision, apply (club, tags lookup, delete, insert), update revision */
  approveRevision: 13,
  /** the same without applying */
  rejectRevision: 9,
} as const

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse }
const priv = (reply: FastifyReply) => reply.header('cache-control', 'private, no-store')
const Item = Type.Object({
  kind: Type.Union([Type.Literal('club'), Type.Literal('revision')]),
  id: Type.Integer(),
  club: Type.Object({ code: Type.String(), name: Type.String(), status: Type.String() }),
  proposed_by: Nullable(Type.String()),
  proposed_at: DateTime,
  diff: Type.Array(DiffEntry),
})
const Decision = Type.Object({ code: Type.String(), status: Type.String(), revision_id: Type.Optional(Type.Integer()) })
const RevisionParams = Type.Object({ id: IdParam })

export async function approvalRoutes(app: FastifyInstance) {
  const rt = app.runtime
  const tags = ['approvals']
  app.get(
    '/api/admin/approvals',
    { config: { queryBudget: APPROVAL_BUDGETS.queue }, schema: { summary: 'Approval queue: new clubs and pending edits with a field-by-field diff (approvers)', tags, response: { 200: Type.Object({ items: Type.Array(Item) }), ...errors } } },
    async (req, reply) => {
      await requireApprover(req)
      return priv(reply).send({ items: await queue(rt.db) })
    },
  )
  for (const approve of [true, false]) {
    const verb = approve ? 'approve' : 'reject'
    const body = approve ? Comment : RequiredComment
    app.post<{ Params: Static<typeof CodeParams>; Body: { comment?: string } }>(
      `/api/admin/approvals/clubs/:code/${verb}`,
      { config: { queryBudget: APPROVAL_BUDGETS.club }, schema: { summary: `${approve ? 'Approve' : 'Reject'} a new club (approvers)`, tags, params: CodeParams, body, response: { 200: Decision, ...errors } } },
      async (req, reply) => {
        const user = await requireApprover(req)
        return priv(reply).send(await decideClub(rt, user, req.params.code, approve, req.body?.comment))
      },
    )
    app.post<{ Params: Static<typeof RevisionParams>; Body: { comment?: string } }>(
      `/api/admin/approvals/revisions/:id/${verb}`,
      { config: { queryBudget: approve ? APPROVAL_BUDGETS.approveRevision : APPROVAL_BUDGETS.rejectRevision }, schema: { summary: `${approve ? 'Approve' : 'Reject'} a pending club edit (approvers)`, tags, params: RevisionParams, body, response: { 200: Decision, ...errors } } },
      async (req, reply) => {
        const user = await requireApprover(req)
        return priv(reply).send(await decideRevision(rt, user, req.params.id, approve, req.body?.comment))
      },
    )
  }
}
