import type { Static } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import { requireAdmin } from '../auth/guard.js'
import { ERRORS, privateByDefault } from '../../http/private.js'
import { Ok } from '../applications/applications.schema.js'
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
  /** session, cycle, organizer club; update, move applications, cap committees; the cycle */
  update: 10,
  /** session; any application?, delete */
  remove: 6,
  /** session, cycle, clubs; insert the applications */
  attach: 7,
  /** session, club; started?, delete */
  detach: 7,
} as const

type Id = { Params: Static<typeof S.CycleParams> }

export async function cycleRoutes(app: FastifyInstance) {
  privateByDefault(app)
  const rt = app.runtime
  const tags = ['cycles']

  app.get('/api/admin/cycles', { config: { queryBudget: CYCLE_BUDGETS.list }, schema: { summary: 'Administrators: every cycle', tags, response: { 200: S.CycleList, ...ERRORS } } }, async (req) => {
    await requireAdmin(req)
    return svc.listCycles(rt)
  })
  app.post<{ Body: S.CreateCycleBody }>(
    '/api/admin/cycles',
    { config: { queryBudget: CYCLE_BUDGETS.create }, schema: { summary: 'Administrators: create a cycle and its umbrella rules', tags, body: S.CreateCycleBody, response: { 201: S.Cycle, ...ERRORS } } },
    async (req, reply) => {
      await requireAdmin(req)
      return reply.code(201).send(await svc.createCycle(rt, req.body))
    },
  )
  app.get<Id>('/api/admin/cycles/:id', { config: { queryBudget: CYCLE_BUDGETS.one }, schema: { summary: 'Administrators: one cycle', tags, params: S.CycleParams, response: { 200: S.Cycle, ...ERRORS } } }, async (req) => {
    await requireAdmin(req)
    return svc.getCycle(rt, req.params.id)
  })
  app.patch<Id & { Body: S.UpdateCycleBody }>(
    '/api/admin/cycles/:id',
    {
      config: { queryBudget: CYCLE_BUDGETS.update },
      schema: {
        summary: "Administrators: edit a cycle; new dates move its applications (except those with their own deadline)",
        tags,
        params: S.CycleParams,
        body: S.UpdateCycleBody,
        response: { 200: S.CycleUpdated, ...ERRORS },
      },
    },
    async (req) => {
      await requireAdmin(req)
      return svc.updateCycle(rt, req.params.id, req.body)
    },
  )
  app.delete<Id>('/api/admin/cycles/:id', { config: { queryBudget: CYCLE_BUDGETS.remove }, schema: { summary: 'Administrators: delete a cycle without applications', tags, params: S.CycleParams, response: { 200: Ok, ...ERRORS } } }, async (req) => {
    await requireAdmin(req)
    return svc.deleteCycle(rt, req.params.id)
  })
  app.post<Id & { Body: Static<typeof S.AttachBody> }>(
    '/api/admin/cycles/:id/clubs',
    {
      config: { queryBudget: CYCLE_BUDGETS.attach },
      schema: {
        summary: 'Administrators: attach clubs (each gets an inactive application with the cycle dates to fill in)',
        tags,
        params: S.CycleParams,
        body: S.AttachBody,
        response: { 200: S.AttachResult, ...ERRORS },
      },
    },
    async (req) => {
      await requireAdmin(req)
      return svc.attachClubs(rt, req.params.id, req.body.clubs)
    },
  )
  app.delete<{ Params: Static<typeof S.CycleClubParams> }>(
    '/api/admin/cycles/:id/clubs/:code',
    { config: { queryBudget: CYCLE_BUDGETS.detach }, schema: { summary: "Administrators: detach a club (its applications, if nobody started them)", tags, params: S.CycleClubParams, response: { 200: Ok, ...ERRORS } } },
    async (req) => {
      await requireAdmin(req)
      return svc.detachClub(rt, req.params.id, req.params.code)
    },
  )
  app.get<Id>(
    '/api/admin/cycles/:id/progress',
    { config: { queryBudget: CYCLE_BUDGETS.progress }, schema: { summary: 'Administrators: per-club progress (applications, drafts, submissions, decisions)', tags, params: S.CycleParams, response: { 200: S.Progress, ...ERRORS } } },
    async (req) => {
      await requireAdmin(req)
      return svc.cycleProgress(rt, req.params.id)
    },
  )
}
