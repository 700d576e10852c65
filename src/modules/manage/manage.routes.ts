import type { FastifyInstance } from 'fastify'
import { clubOfficer, clubOwner } from '../../http/access.js'
import { CodeIdParams, CodeParams, Ok } from '../../http/params.js'
import { privateRoute } from '../../http/private-route.js'
import { requireChanges } from '../../http/schemas.js'
import { ClubCreate, ClubPatch, CONTENT, ContentItem, type ContentKind, contentCreate, contentPatch, EditResult, ManageView } from './manage.schema.js'
import * as svc from './manage.service.js'

/**
 * Query budgets, asserted in tests. The page is session + club + role + one statement. Writes:
 * session, club and role (officers), the reference checks (tags, category), then one transaction
 * counted with its begin, own-outbox read and commit.
 */
export const MANAGE_BUDGETS = {
  manage: 4,
  /** session, tags, category; club, owner, tags lookup, tags delete, tags insert */
  create: 11,
  /** session, club, role, tags, category; lock club, its tags, then either the whole patch (club, tags lookup, delete, insert) or immediate fields, pending revision, supersede, new revision */
  edit: 14,
  /** session, club, role; club, pending revisions */
  archive: 8,
  /** session, club, role; insert */
  addItem: 7,
  /** session, club, role; event times (events), update */
  editItem: 8,
  /** session, club, role; delete */
  removeItem: 7,
} as const

export async function manageRoutes(app: FastifyInstance) {
  const { db, write } = app.privateDeps
  const deps = { db, write }
  const tags = ['club management']

  privateRoute(app, {
    method: 'POST',
    url: '/api/clubs',
    summary: 'Create a club (you become its owner; it waits for approval)',
    tags,
    access: 'user',
    body: ClubCreate,
    response: EditResult,
    status: 201,
    queryBudget: MANAGE_BUDGETS.create,
    errors: ['UNKNOWN_TAG', 'UNKNOWN_CATEGORY', 'INVALID_VALUE', 'CODE_TAKEN'],
    handler: ({ viewer, body, now }) => svc.createClub(deps, viewer, body, now),
  })
  privateRoute(app, {
    method: 'PATCH',
    url: '/api/clubs/:code',
    summary: 'Edit a club (officers): reviewed fields of an approved club wait for an approver, the rest applies at once',
    tags,
    access: clubOfficer(),
    params: CodeParams,
    body: ClubPatch,
    response: EditResult,
    queryBudget: MANAGE_BUDGETS.edit,
    errors: ['UNKNOWN_TAG', 'UNKNOWN_CATEGORY', 'INVALID_VALUE'],
    handler: ({ viewer, grant, body, now }) => svc.editClub(deps, viewer, grant.resource, requireChanges(body), now),
  })
  privateRoute(app, {
    method: 'DELETE',
    url: '/api/clubs/:code',
    summary: 'Archive a club (owners): it disappears from every public page',
    tags,
    access: clubOwner(),
    params: CodeParams,
    response: Ok,
    queryBudget: MANAGE_BUDGETS.archive,
    errors: [],
    handler: ({ grant, now }) => svc.archiveClub(deps, grant.clubId, now),
  })
  privateRoute(app, {
    method: 'GET',
    url: '/api/clubs/:code/manage',
    summary: 'Officer and approver view: every field, non-public items and the pending revision with its diff',
    tags,
    access: clubOfficer('code', { approvers: true }),
    params: CodeParams,
    response: ManageView,
    queryBudget: MANAGE_BUDGETS.manage,
    errors: [],
    handler: ({ db: read, grant }) => svc.manageView(read, grant),
  })

  for (const kind of Object.keys(CONTENT) as ContentKind[]) {
    privateRoute(app, {
      method: 'POST',
      url: `/api/clubs/:code/${kind}`,
      summary: `Add to the club's ${kind} (officers; public at once)`,
      tags,
      access: clubOfficer(),
      params: CodeParams,
      body: contentCreate(kind),
      response: ContentItem,
      status: 201,
      queryBudget: MANAGE_BUDGETS.addItem,
      errors: ['INVALID_VALUE'],
      handler: ({ grant, body }) => svc.createContent(deps, grant.clubId, kind, body),
    })
    privateRoute(app, {
      method: 'PATCH',
      url: `/api/clubs/:code/${kind}/:id`,
      summary: `Change one of the club's ${kind} (officers)`,
      tags,
      access: clubOfficer(),
      params: CodeIdParams,
      body: contentPatch(kind),
      response: ContentItem,
      queryBudget: MANAGE_BUDGETS.editItem,
      errors: ['NOT_FOUND', 'INVALID_VALUE'],
      handler: ({ grant, params, body, now }) => svc.updateContent(deps, grant.clubId, kind, params.id, requireChanges(body), now),
    })
    privateRoute(app, {
      method: 'DELETE',
      url: `/api/clubs/:code/${kind}/:id`,
      summary: `Remove one of the club's ${kind} (officers)`,
      tags,
      access: clubOfficer(),
      params: CodeIdParams,
      response: Ok,
      queryBudget: MANAGE_BUDGETS.removeItem,
      errors: ['NOT_FOUND'],
      handler: ({ grant, params }) => svc.deleteContent(deps, grant.clubId, kind, params.id),
    })
  }
}
