import type { FastifyInstance } from 'fastify'
import { CodeParams, IdParams } from '../../http/params.js'
import { privateRoute } from '../../http/private-route.js'
import { Comment, Decision, Queue, RequiredComment } from './approvals.schema.js'
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

export async function approvalRoutes(app: FastifyInstance) {
  const { write } = app.privateDeps
  const deps = { write }
  const tags = ['approvals']

  privateRoute(app, {
    method: 'GET',
    url: '/api/admin/approvals',
    summary: 'Approval queue: new clubs and pending edits with a field-by-field diff (approvers)',
    tags,
    access: 'approver',
    response: Queue,
    queryBudget: APPROVAL_BUDGETS.queue,
    errors: [],
    handler: async ({ db: read }) => ({ items: await queue(read) }),
  })
  for (const approve of [true, false]) {
    const verb = approve ? 'approve' : 'reject'
    privateRoute(app, {
      method: 'POST',
      url: `/api/admin/approvals/clubs/:code/${verb}`,
      summary: `${approve ? 'Approve' : 'Reject'} a new club (approvers)`,
      tags,
      access: 'approver',
      params: CodeParams,
      body: approve ? Comment : RequiredComment,
      response: Decision,
      queryBudget: APPROVAL_BUDGETS.club,
      errors: ['NOT_FOUND', 'NOT_PENDING'],
      handler: ({ viewer, params, body, now }) => decideClub(deps, viewer, params.code, approve, body?.comment, now),
    })
    privateRoute(app, {
      method: 'POST',
      url: `/api/admin/approvals/revisions/:id/${verb}`,
      summary: `${approve ? 'Approve' : 'Reject'} a pending club edit (approvers)`,
      tags,
      access: 'approver',
      params: IdParams,
      body: approve ? Comment : RequiredComment,
      response: Decision,
      queryBudget: approve ? APPROVAL_BUDGETS.approveRevision : APPROVAL_BUDGETS.rejectRevision,
      errors: approve ? ['NOT_FOUND', 'REVISION_DECIDED', 'REVISION_STALE'] : ['NOT_FOUND', 'REVISION_DECIDED'],
      handler: ({ viewer, params, body, now }) => decideRevision(deps, viewer, params.id, approve, body?.comment, now),
    })
  }
}
