import type { FastifyInstance } from 'fastify'
import { CodeIdParams, IdParams, Ok } from '../../http/params.js'
import { privateRoute } from '../../http/private-route.js'
import * as S from './cycles.schema.js'
import * as svc from './cycles.service.js'

/**
 * Query budgets (asserted in tests): the progress report is three queries whatever the cycle's
 * size. Changes are session, what they check first, then one transaction counted with its begin,
 * own-outbox read and commit.
 */
export const CYCLE_BUDGETS = {
  list: 2,
  one: 2,
  progress: 3,
  /** session, organizer club; insert; the cycle */
  create: 7,
  /** session, cycle, organizer club; update, move applications, extensions past the release, cap committees; the cycle */
  update: 11,
  /** session; any application?, delete */
  remove: 6,
  /** session, cycle, clubs; insert the applications */
  attach: 7,
  /** session, club; started?, delete */
  detach: 7,
} as const

export async function cycleRoutes(app: FastifyInstance) {
  const { db, write } = app.privateDeps
  const deps = { db, write }
  const tags = ['cycles']

  privateRoute(app, {
    method: 'GET',
    url: '/api/admin/cycles',
    summary: 'Administrators: every cycle',
    tags,
    access: 'admin',
    response: S.CycleList,
    queryBudget: CYCLE_BUDGETS.list,
    errors: [],
    handler: ({ db: read }) => svc.listCycles(read),
  })
  privateRoute(app, {
    method: 'POST',
    url: '/api/admin/cycles',
    summary: 'Administrators: create a cycle and its umbrella rules',
    tags,
    access: 'admin',
    body: S.CreateCycleBody,
    response: S.Cycle,
    status: 201,
    queryBudget: CYCLE_BUDGETS.create,
    errors: ['INVALID_DATES', 'UNKNOWN_CLUB', 'CYCLE_NAME_TAKEN'],
    handler: ({ body }) => svc.createCycle(deps, body),
  })
  privateRoute(app, {
    method: 'GET',
    url: '/api/admin/cycles/:id',
    summary: 'Administrators: one cycle',
    tags,
    access: 'admin',
    params: IdParams,
    response: S.Cycle,
    queryBudget: CYCLE_BUDGETS.one,
    errors: ['NOT_FOUND'],
    handler: ({ db: read, params }) => svc.getCycle(read, params.id),
  })
  privateRoute(app, {
    method: 'PATCH',
    url: '/api/admin/cycles/:id',
    summary: 'Administrators: edit a cycle; new dates move its applications (except those with their own deadline)',
    tags,
    access: 'admin',
    params: IdParams,
    body: S.UpdateCycleBody,
    response: S.CycleUpdated,
    queryBudget: CYCLE_BUDGETS.update,
    errors: ['NOT_FOUND', 'INVALID_DATES', 'RELEASE_BEFORE_EXTENSION', 'UNKNOWN_CLUB', 'CYCLE_NAME_TAKEN'],
    handler: ({ params, body }) => svc.updateCycle(deps, params.id, body),
  })
  privateRoute(app, {
    method: 'DELETE',
    url: '/api/admin/cycles/:id',
    summary: 'Administrators: delete a cycle without applications',
    tags,
    access: 'admin',
    params: IdParams,
    response: Ok,
    queryBudget: CYCLE_BUDGETS.remove,
    errors: ['NOT_FOUND', 'CYCLE_HAS_APPLICATIONS'],
    handler: ({ params }) => svc.deleteCycle(deps, params.id),
  })
  privateRoute(app, {
    method: 'POST',
    url: '/api/admin/cycles/:id/clubs',
    summary: 'Administrators: attach clubs (each gets an inactive application with the cycle dates to fill in)',
    tags,
    access: 'admin',
    params: IdParams,
    body: S.AttachBody,
    response: S.AttachResult,
    queryBudget: CYCLE_BUDGETS.attach,
    errors: ['NOT_FOUND', 'UNKNOWN_CLUB'],
    handler: ({ params, body }) => svc.attachClubs(deps, params.id, body.clubs),
  })
  privateRoute(app, {
    method: 'DELETE',
    url: '/api/admin/cycles/:id/clubs/:code',
    summary: 'Administrators: detach a club (its applications, if nobody started them)',
    tags,
    access: 'admin',
    params: CodeIdParams,
    response: Ok,
    queryBudget: CYCLE_BUDGETS.detach,
    errors: ['NOT_FOUND', 'APPLICATION_HAS_SUBMISSIONS'],
    handler: ({ params }) => svc.detachClub(deps, params.id, params.code),
  })
  privateRoute(app, {
    method: 'GET',
    url: '/api/admin/cycles/:id/progress',
    summary: 'Administrators: per-club progress (applications, drafts, submissions, decisions)',
    tags,
    access: 'admin',
    params: IdParams,
    response: S.Progress,
    queryBudget: CYCLE_BUDGETS.progress,
    errors: ['NOT_FOUND'],
    handler: ({ db: read, params, now }) => svc.cycleProgress(read, params.id, now),
  })
}
