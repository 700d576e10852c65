import type { FastifyInstance } from 'fastify'
import { IdParams, Ok } from '../../http/params.js'
import { privateRoute } from '../../http/private-route.js'
import { requireChanges } from '../../http/schemas.js'
import {
  ApproverBody, BadgeBody, BadgeList, BadgePatch, BadgeView, ClubBadgeParams, TagBody, TagList, TagPatch, TagView, UserList, UserQuery, UserView,
} from './admin.schema.js'
import * as svc from './admin.service.js'

/**
 * Query budgets, asserted in tests: lists are session + one statement; a change is session + one
 * transaction (begin, statement, own-outbox read, commit); awarding a badge also reads the club
 * and the badge first.
 */
export const ADMIN_BUDGETS = { tags: 2, badges: 2, users: 2, change: 5, clubBadge: 7 } as const

/** Administrators only: taxonomy, badges and who approves. */
export async function adminRoutes(app: FastifyInstance) {
  const { db, write } = app.privateDeps
  const deps = { db, write }
  const tags = ['admin']
  privateRoute(app, {
    method: 'GET',
    url: '/api/admin/tags',
    summary: 'Every tag with ids and usage',
    tags,
    access: 'admin',
    response: TagList,
    queryBudget: ADMIN_BUDGETS.tags,
    errors: [],
    handler: async ({ db: read }) => ({ tags: await svc.listTags(read) }),
  })
  privateRoute(app, {
    method: 'POST',
    url: '/api/admin/tags',
    summary: 'Create a tag',
    tags,
    access: 'admin',
    body: TagBody,
    response: TagView,
    status: 201,
    queryBudget: ADMIN_BUDGETS.change,
    errors: ['TAG_EXISTS'],
    handler: ({ body }) => svc.createTag(deps, body),
  })
  privateRoute(app, {
    method: 'PATCH',
    url: '/api/admin/tags/:id',
    summary: 'Rename a tag',
    tags,
    access: 'admin',
    params: IdParams,
    body: TagPatch,
    response: TagView,
    queryBudget: ADMIN_BUDGETS.change,
    errors: ['NOT_FOUND', 'TAG_EXISTS'],
    handler: ({ params, body }) => svc.updateTag(deps, params.id, requireChanges(body)),
  })
  privateRoute(app, {
    method: 'DELETE',
    url: '/api/admin/tags/:id',
    summary: 'Delete a tag (removed from every club)',
    tags,
    access: 'admin',
    params: IdParams,
    response: Ok,
    queryBudget: ADMIN_BUDGETS.change,
    errors: ['NOT_FOUND'],
    handler: ({ params }) => svc.deleteTag(deps, params.id),
  })

  privateRoute(app, {
    method: 'GET',
    url: '/api/admin/badges',
    summary: 'Every badge, hidden ones included',
    tags,
    access: 'admin',
    response: BadgeList,
    queryBudget: ADMIN_BUDGETS.badges,
    errors: [],
    handler: async ({ db: read }) => ({ badges: await svc.listBadges(read) }),
  })
  privateRoute(app, {
    method: 'POST',
    url: '/api/admin/badges',
    summary: 'Create a badge',
    tags,
    access: 'admin',
    body: BadgeBody,
    response: BadgeView,
    status: 201,
    queryBudget: ADMIN_BUDGETS.change,
    errors: ['BADGE_EXISTS', 'UNKNOWN_REFERENCE'],
    handler: ({ body }) => svc.createBadge(deps, body),
  })
  privateRoute(app, {
    method: 'PATCH',
    url: '/api/admin/badges/:id',
    summary: 'Change a badge (e.g. hide it)',
    tags,
    access: 'admin',
    params: IdParams,
    body: BadgePatch,
    response: BadgeView,
    queryBudget: ADMIN_BUDGETS.change,
    errors: ['NOT_FOUND', 'BADGE_EXISTS', 'UNKNOWN_REFERENCE'],
    handler: ({ params, body }) => svc.updateBadge(deps, params.id, requireChanges(body)),
  })
  privateRoute(app, {
    method: 'DELETE',
    url: '/api/admin/badges/:id',
    summary: 'Delete a badge',
    tags,
    access: 'admin',
    params: IdParams,
    response: Ok,
    queryBudget: ADMIN_BUDGETS.change,
    errors: ['NOT_FOUND'],
    handler: ({ params }) => svc.deleteBadge(deps, params.id),
  })
  for (const on of [true, false]) {
    privateRoute(app, {
      method: on ? 'PUT' : 'DELETE',
      url: '/api/admin/clubs/:code/badges/:slug',
      summary: on ? 'Award a badge to a club' : 'Withdraw a badge from a club',
      tags,
      access: 'admin',
      params: ClubBadgeParams,
      response: Ok,
      queryBudget: ADMIN_BUDGETS.clubBadge,
      errors: ['NOT_FOUND'],
      handler: ({ params }) => svc.setClubBadge(deps, params.code, params.slug, on),
    })
  }

  privateRoute(app, {
    method: 'GET',
    url: '/api/admin/users',
    summary: 'Find users by email or name (50 at most)',
    tags,
    access: 'admin',
    querystring: UserQuery,
    response: UserList,
    queryBudget: ADMIN_BUDGETS.users,
    errors: [],
    handler: async ({ db: read, query }) => ({ users: await svc.findUsers(read, query.q, query.staff) }),
  })
  privateRoute(app, {
    method: 'PUT',
    url: '/api/admin/users/:id/approver',
    summary: 'Grant or withdraw the approver role',
    tags,
    access: 'admin',
    params: IdParams,
    body: ApproverBody,
    response: UserView,
    queryBudget: ADMIN_BUDGETS.change,
    errors: ['NOT_FOUND'],
    handler: ({ params, body, now }) => svc.setApprover(deps, params.id, body.is_approver, now),
  })
}
