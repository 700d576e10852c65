import type { Static } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import { APPLICATION_POLICY } from '../../cache/policy.js'
import { publicRoute } from '../../cache/public-route.js'
import { requireUser } from '../auth/guard.js'
import { requireApplicationRole } from './access.js'
import * as S from './applications.schema.js'
import * as svc from './applications.service.js'
import * as builder from './builder.service.js'
import * as ext from './extensions.service.js'
import { ERRORS, privateByDefault } from '../../http/private.js'

/**
 * Query budgets (asserted in tests). Officers' routes start with session, application (or club)
 * and role; a change is then one transaction counted with its begin, own-outbox read and commit,
 * and the officer's view after it is application, structure and counts.
 */
export const APPLICATION_BUDGETS = {
  openList: 1,
  /** the application with its cycle, its club, its structure */
  page: 3,
  cycles: 1,
  /** session, application, role, structure, counts */
  manage: 5,
  /** session, club, role, list */
  clubList: 4,
  /** session, club, role, cycle; insert; the view */
  create: 11,
  /** session, application, role; update; the view */
  update: 10,
  /** session, application, role; delete */
  remove: 7,
  /** session, application, role, target cycle, structure; insert, copy the structure; the view */
  duplicate: 13,
  /** session, application, role; insert or update */
  committee: 7,
  /** session, application, role; chosen?, delete */
  removeCommittee: 8,
  /** session, application, role, structure; insert, committee links (delete, insert), choices; the question */
  createQuestion: 12,
  /** session, application, role, structure, choices in use; update, committee links (delete, insert), choices (delete, park, relabel, insert); the question */
  updateQuestion: 15,
  /** session, application, role, structure; reorder; the questions */
  reorder: 9,
  /** session, application, role, answered?; delete */
  removeQuestion: 8,
  /** session, application, role, list */
  extensions: 4,
  /** session, application, role, user; upsert */
  grantExtension: 8,
  /** session, application, role; delete */
  revokeExtension: 7,
} as const

type Id = { Params: Static<typeof S.IdParams> }

export async function applicationRoutes(app: FastifyInstance) {
  privateByDefault(app)
  const rt = app.runtime

  // ---------- public, shared by every viewer ----------
  publicRoute(app, {
    url: '/api/cycles',
    queryBudget: APPLICATION_BUDGETS.cycles,
    summary: 'Application cycles with their dates',
    tags: ['applications'],
    response: S.PublicCycleList,
    cache: APPLICATION_POLICY,
    keyBound: 'one entry',
    handler: svc.listCycles,
  })
  publicRoute(app, {
    url: '/api/applications',
    queryBudget: APPLICATION_BUDGETS.openList,
    summary: 'Applications open now (optionally of one cycle), each with its deadline; tz renders deadlines in that time zone',
    tags: ['applications'],
    querystring: S.OpenListQuery,
    response: S.OpenList,
    cache: APPLICATION_POLICY,
    keyBound: '(existing cycles + 1) × (IANA time zones + 1); an unknown cycle is a 404, never stored',
    normalize: svc.normalizeZone,
    handler: svc.listOpen,
  })
  publicRoute(app, {
    url: '/api/applications/:id',
    queryBudget: APPLICATION_BUDGETS.page,
    summary: 'A public application page: dates, committees and ordered questions',
    tags: ['applications'],
    params: S.IdParams,
    querystring: S.PageQuery,
    response: S.PublicApplication,
    cache: APPLICATION_POLICY,
    keyBound: 'public applications × (IANA time zones + 1); unknown ids are 404s, never stored',
    normalize: svc.normalizeZone,
    handler: svc.publicPage,
  })

  // ---------- officers ----------
  app.get<{ Params: Static<typeof S.ClubParams> }>(
    '/api/clubs/:code/applications',
    { config: { queryBudget: APPLICATION_BUDGETS.clubList }, schema: { summary: "Officers: the club's applications with draft and submission counts", tags: ['applications'], params: S.ClubParams, response: { 200: S.ClubApplicationList, ...ERRORS } } },
    async (req) => svc.listClubApplications(rt.db, await requireUser(req), req.params.code),
  )
  app.post<{ Params: Static<typeof S.ClubParams>; Body: S.CreateApplicationBody }>(
    '/api/clubs/:code/applications',
    {
      config: { queryBudget: APPLICATION_BUDGETS.create },
      schema: {
        summary: 'Officers: create an application, standalone or in a cycle (taking its dates)',
        tags: ['applications'],
        params: S.ClubParams,
        body: S.CreateApplicationBody,
        response: { 201: S.ManagedApplication, ...ERRORS },
      },
    },
    async (req, reply) => reply.code(201).send(await svc.createApplication(rt, await requireUser(req), req.params.code, req.body)),
  )
  app.get<Id>(
    '/api/applications/:id/manage',
    { config: { queryBudget: APPLICATION_BUDGETS.manage }, schema: { summary: "Officers: the application's full editable view", tags: ['applications'], params: S.IdParams, response: { 200: S.ManagedApplication, ...ERRORS } } },
    async (req) => {
      const { app: a } = await requireApplicationRole(rt.db, await requireUser(req), req.params.id)
      return svc.renderManaged(rt.db, a, new Date())
    },
  )
  app.patch<Id & { Body: S.UpdateApplicationBody }>(
    '/api/applications/:id',
    { config: { queryBudget: APPLICATION_BUDGETS.update }, schema: { summary: 'Officers: edit an application (administrators: own deadline)', tags: ['applications'], params: S.IdParams, body: S.UpdateApplicationBody, response: { 200: S.ManagedApplication, ...ERRORS } } },
    async (req) => svc.updateApplication(rt, await requireUser(req), req.params.id, req.body),
  )
  app.delete<Id>(
    '/api/applications/:id',
    { config: { queryBudget: APPLICATION_BUDGETS.remove }, schema: { summary: 'Officers: delete an application nobody has started', tags: ['applications'], params: S.IdParams, response: { 200: S.Ok, ...ERRORS } } },
    async (req) => svc.deleteApplication(rt, await requireUser(req), req.params.id),
  )
  app.post<Id & { Body: Static<typeof S.DuplicateBody> }>(
    '/api/applications/:id/duplicate',
    {
      config: { queryBudget: APPLICATION_BUDGETS.duplicate },
      schema: {
        summary: 'Officers: copy the application (committees, questions, choices) into a cycle, with its dates; the copy starts inactive',
        tags: ['applications'],
        params: S.IdParams,
        body: S.DuplicateBody,
        response: { 201: S.ManagedApplication, ...ERRORS },
      },
    },
    async (req, reply) => reply.code(201).send(await svc.duplicateApplication(rt, await requireUser(req), req.params.id, req.body ?? {})),
  )

  app.post<Id & { Body: Static<typeof S.CommitteeBody> }>(
    '/api/applications/:id/committees',
    { config: { queryBudget: APPLICATION_BUDGETS.committee }, schema: { summary: 'Officers: add a committee', tags: ['applications'], params: S.IdParams, body: S.CommitteeBody, response: { 201: S.Committee, ...ERRORS } } },
    async (req, reply) => reply.code(201).send(await builder.createCommittee(rt, await requireUser(req), req.params.id, req.body)),
  )
  app.patch<{ Params: Static<typeof S.CommitteeParams>; Body: Static<typeof S.UpdateCommitteeBody> }>(
    '/api/applications/:id/committees/:committeeId',
    { config: { queryBudget: APPLICATION_BUDGETS.committee }, schema: { summary: 'Officers: edit a committee', tags: ['applications'], params: S.CommitteeParams, body: S.UpdateCommitteeBody, response: { 200: S.Committee, ...ERRORS } } },
    async (req) => builder.updateCommittee(rt, await requireUser(req), req.params.id, req.params.committeeId, req.body),
  )
  app.delete<{ Params: Static<typeof S.CommitteeParams> }>(
    '/api/applications/:id/committees/:committeeId',
    { config: { queryBudget: APPLICATION_BUDGETS.removeCommittee }, schema: { summary: 'Officers: remove a committee nobody chose', tags: ['applications'], params: S.CommitteeParams, response: { 200: S.Ok, ...ERRORS } } },
    async (req) => builder.deleteCommittee(rt, await requireUser(req), req.params.id, req.params.committeeId),
  )

  app.post<Id & { Body: S.CreateQuestionBody }>(
    '/api/applications/:id/questions',
    { config: { queryBudget: APPLICATION_BUDGETS.createQuestion }, schema: { summary: 'Officers: add a question', tags: ['applications'], params: S.IdParams, body: S.CreateQuestionBody, response: { 201: S.Question, ...ERRORS } } },
    async (req, reply) => reply.code(201).send(await builder.createQuestion(rt, await requireUser(req), req.params.id, req.body)),
  )
  app.put<Id & { Body: Static<typeof S.OrderBody> }>(
    '/api/applications/:id/questions/order',
    {
      config: { queryBudget: APPLICATION_BUDGETS.reorder },
      schema: {
        summary: 'Officers: order the questions',
        tags: ['applications'],
        params: S.IdParams,
        body: S.OrderBody,
        response: { 200: { type: 'object', properties: { questions: { type: 'array', items: S.Question } } }, ...ERRORS },
      },
    },
    async (req) => builder.reorderQuestions(rt, await requireUser(req), req.params.id, req.body.question_ids),
  )
  app.patch<{ Params: Static<typeof S.QuestionParams>; Body: S.UpdateQuestionBody }>(
    '/api/applications/:id/questions/:questionId',
    { config: { queryBudget: APPLICATION_BUDGETS.updateQuestion }, schema: { summary: 'Officers: edit a question (its type is fixed)', tags: ['applications'], params: S.QuestionParams, body: S.UpdateQuestionBody, response: { 200: S.Question, ...ERRORS } } },
    async (req) => builder.updateQuestion(rt, await requireUser(req), req.params.id, req.params.questionId, req.body),
  )
  app.delete<{ Params: Static<typeof S.QuestionParams> }>(
    '/api/applications/:id/questions/:questionId',
    { config: { queryBudget: APPLICATION_BUDGETS.removeQuestion }, schema: { summary: 'Officers: remove a question no submission answers', tags: ['applications'], params: S.QuestionParams, response: { 200: S.Ok, ...ERRORS } } },
    async (req) => builder.deleteQuestion(rt, await requireUser(req), req.params.id, req.params.questionId),
  )

  app.get<Id>(
    '/api/applications/:id/extensions',
    { config: { queryBudget: APPLICATION_BUDGETS.extensions }, schema: { summary: 'Officers: deadline extensions granted', tags: ['applications'], params: S.IdParams, response: { 200: S.ExtensionList, ...ERRORS } } },
    async (req) => ext.listExtensions(rt, await requireUser(req), req.params.id),
  )
  app.post<Id & { Body: Static<typeof S.ExtensionBody> }>(
    '/api/applications/:id/extensions',
    { config: { queryBudget: APPLICATION_BUDGETS.grantExtension }, schema: { summary: "Officers: grant or change one applicant's extension", tags: ['applications'], params: S.IdParams, body: S.ExtensionBody, response: { 200: S.Extension, ...ERRORS } } },
    async (req) => ext.grantExtension(rt, await requireUser(req), req.params.id, req.body),
  )
  app.delete<{ Params: Static<typeof S.ExtensionParams> }>(
    '/api/applications/:id/extensions/:userId',
    { config: { queryBudget: APPLICATION_BUDGETS.revokeExtension }, schema: { summary: 'Officers: revoke an extension', tags: ['applications'], params: S.ExtensionParams, response: { 200: S.Ok, ...ERRORS } } },
    async (req) => ext.revokeExtension(rt, await requireUser(req), req.params.id, req.params.userId),
  )
}
