import { type Static, Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import { ErrorResponse, requireChanges } from '../../http/schemas.js'
import { requireAdmin } from '../auth/guard.js'
import { Ok } from '../membership/membership.schema.js'
import {
  ApproverBody, BadgeBody, BadgePatch, BadgeView, ClubBadgeParams, IdParams, TagBody, TagPatch, TagView, UserQuery, UserView,
} from './admin.schema.js'
import * as svc from './admin.service.js'

/**
 * Query budgets, asserted in tests: lists are session + one statement; a change is session + one
 * transaction (begin, statement, own-outbox read, commit); awarding a badge also reads the club
 * and the badge first.
 */
export const ADMIN_BUDGETS = { tags: 2, badges: 2, users: 2, change: 5, clubBadge: 7 } as const

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse }
type Id = Static<typeof IdParams>

/** Administrators only: taxonomy, badges and who approves. */
export async function adminRoutes(app: FastifyInstance) {
  const rt = app.runtime
  const tags = ['admin']
  // Before body validation: a non-administrator learns nothing about the expected input.
  app.addHook('preValidation', async (req, reply) => {
    await requireAdmin(req)
    reply.header('cache-control', 'private, no-store')
  })

  app.get('/api/admin/tags', { config: { queryBudget: ADMIN_BUDGETS.tags }, schema: { summary: 'Every tag with ids and usage', tags, response: { 200: Type.Object({ tags: Type.Array(TagView) }), ...errors } } }, async () => ({
    tags: await svc.listTags(rt.db),
  }))
  app.post<{ Body: Static<typeof TagBody> }>('/api/admin/tags', { config: { queryBudget: ADMIN_BUDGETS.change }, schema: { summary: 'Create a tag', tags, body: TagBody, response: { 201: TagView, ...errors } } }, async (req, reply) =>
    reply.code(201).send(await svc.createTag(rt, req.body)),
  )
  app.patch<{ Params: Id; Body: Static<typeof TagPatch> }>(
    '/api/admin/tags/:id',
    { config: { queryBudget: ADMIN_BUDGETS.change }, schema: { summary: 'Rename a tag', tags, params: IdParams, body: TagPatch, response: { 200: TagView, ...errors } } },
    async (req) => svc.updateTag(rt, req.params.id, requireChanges(req.body)),
  )
  app.delete<{ Params: Id }>('/api/admin/tags/:id', { config: { queryBudget: ADMIN_BUDGETS.change }, schema: { summary: 'Delete a tag (removed from every club)', tags, params: IdParams, response: { 200: Ok, ...errors } } }, async (req) =>
    svc.deleteTag(rt, req.params.id),
  )

  app.get('/api/admin/badges', { config: { queryBudget: ADMIN_BUDGETS.badges }, schema: { summary: 'Every badge, hidden ones included', tags, response: { 200: Type.Object({ badges: Type.Array(BadgeView) }), ...errors } } }, async () => ({
    badges: await svc.listBadges(rt.db),
  }))
  app.post<{ Body: Static<typeof BadgeBody> }>('/api/admin/badges', { config: { queryBudget: ADMIN_BUDGETS.change }, schema: { summary: 'Create a badge', tags, body: BadgeBody, response: { 201: BadgeView, ...errors } } }, async (req, reply) =>
    reply.code(201).send(await svc.createBadge(rt, req.body)),
  )
  app.patch<{ Params: Id; Body: Static<typeof BadgePatch> }>(
    '/api/admin/badges/:id',
    { config: { queryBudget: ADMIN_BUDGETS.change }, schema: { summary: 'Change a badge (e.g. hide it)', tags, params: IdParams, body: BadgePatch, response: { 200: BadgeView, ...errors } } },
    async (req) => svc.updateBadge(rt, req.params.id, requireChanges(req.body)),
  )
  app.delete<{ Params: Id }>('/api/admin/badges/:id', { config: { queryBudget: ADMIN_BUDGETS.change }, schema: { summary: 'Delete a badge', tags, params: IdParams, response: { 200: Ok, ...errors } } }, async (req) =>
    svc.deleteBadge(rt, req.params.id),
  )
  for (const on of [true, false]) {
    const opts = { config: { queryBudget: ADMIN_BUDGETS.clubBadge }, schema: { summary: on ? 'Award a badge to a club' : 'Withdraw a badge from a club', tags, params: ClubBadgeParams, response: { 200: Ok, ...errors } } }
    const handler = async (req: { params: Static<typeof ClubBadgeParams> }) => svc.setClubBadge(rt, req.params.code, req.params.slug, on)
    if (on) app.put<{ Params: Static<typeof ClubBadgeParams> }>('/api/admin/clubs/:code/badges/:slug', opts, handler)
    else app.delete<{ Params: Static<typeof ClubBadgeParams> }>('/api/admin/clubs/:code/badges/:slug', opts, handler)
  }

  app.get<{ Querystring: Static<typeof UserQuery> }>(
    '/api/admin/users',
    { config: { queryBudget: ADMIN_BUDGETS.users }, schema: { summary: 'Find users by email or name (50 at most)', tags, querystring: UserQuery, response: { 200: Type.Object({ users: Type.Array(UserView) }), ...errors } } },
    async (req) => ({ users: await svc.findUsers(rt.db, req.query.q, req.query.staff) }),
  )
  app.put<{ Params: Id; Body: Static<typeof ApproverBody> }>(
    '/api/admin/users/:id/approver',
    { config: { queryBudget: ADMIN_BUDGETS.change }, schema: { summary: 'Grant or withdraw the approver role', tags, params: IdParams, body: ApproverBody, response: { 200: UserView, ...errors } } },
    async (req) => svc.setApprover(rt, req.params.id, req.body.is_approver),
  )
}
