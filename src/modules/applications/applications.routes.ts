import './applications.access.js'
import type { FastifyInstance } from 'fastify'
import { APPLICATION_POLICY } from '../../cache/policy.js'
import { publicRoute } from '../../cache/public-route.js'
import { clubOfficer, officerOf } from '../../http/access.js'
import { CodeParams, IdParams, Ok } from '../../http/params.js'
import { privateRoute } from '../../http/private-route.js'
import { Committee, Question } from '../../http/schemas.js'
import * as S from './applications.schema.js'
import * as svc from './applications.service.js'
import * as builder from './builder.service.js'
import * as ext from './extensions.service.js'

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
  /** session, application, role; update, extensions past a new release; the view */
  update: 11,
  /** session, application, role; delete */
  remove: 7,
  /** session, application, role, target cycle, structure; insert, copy the structure; the view */
  duplicate: 13,
  /** session, application, role; insert or update */
  committee: 7,
  /** session, application, role; ours and chosen?, delete */
  removeCommittee: 8,
  /** session, application, role, structure; insert, committee links (delete, insert), choices; the question */
  createQuestion: 12,
  /** session, application, role, structure, choices in use; update, committee links (delete, insert), choices (delete, park, relabel, insert); the question */
  updateQuestion: 15,
  /** session, application, role, structure; reorder; the questions */
  reorder: 9,
  /** session, application, role; ours and answered?, delete */
  removeQuestion: 8,
  /** session, application, role, list */
  extensions: 4,
  /** session, application, role, applicant; lock the dates, upsert */
  grantExtension: 9,
  /** session, application, role; delete */
  revokeExtension: 7,
} as const

export async function applicationRoutes(app: FastifyInstance) {
  const { db, write } = app.privateDeps
  const deps = { db, write }
  const tags = ['applications']
  const officers = officerOf('application')

  // ---------- public, shared by every viewer ----------
  publicRoute(app, {
    url: '/api/cycles',
    queryBudget: APPLICATION_BUDGETS.cycles,
    summary: 'Application cycles with their dates',
    tags,
    response: S.PublicCycleList,
    cache: APPLICATION_POLICY,
    keyBound: 'one entry',
    handler: svc.listCycles,
  })
  publicRoute(app, {
    url: '/api/applications',
    queryBudget: APPLICATION_BUDGETS.openList,
    summary: 'Applications open now (optionally of one cycle), each with its deadline; tz renders deadlines in that time zone',
    tags,
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
    tags,
    params: IdParams,
    querystring: S.PageQuery,
    response: S.PublicApplication,
    cache: APPLICATION_POLICY,
    keyBound: 'public applications × (IANA time zones + 1); unknown ids are 404s, never stored',
    normalize: svc.normalizeZone,
    handler: svc.publicPage,
  })

  // ---------- officers ----------
  privateRoute(app, {
    method: 'GET',
    url: '/api/clubs/:code/applications',
    summary: "Officers: the club's applications with draft and submission counts",
    tags,
    access: clubOfficer(),
    params: CodeParams,
    response: S.ClubApplicationList,
    queryBudget: APPLICATION_BUDGETS.clubList,
    errors: [],
    handler: ({ db: read, grant }) => svc.listClubApplications(read, grant.clubId),
  })
  privateRoute(app, {
    method: 'POST',
    url: '/api/clubs/:code/applications',
    summary: 'Officers: create an application, standalone or in a cycle (taking its dates)',
    tags,
    access: clubOfficer(),
    params: CodeParams,
    body: S.CreateApplicationBody,
    response: S.ManagedApplication,
    status: 201,
    queryBudget: APPLICATION_BUDGETS.create,
    errors: ['NOT_FOUND', 'CYCLE_ENDED', 'DATES_FROM_CYCLE', 'DATES_REQUIRED', 'INVALID_DATES', 'MAX_COMMITTEES_OVER_CAP', 'EXTERNAL_URL_REQUIRED', 'EXTERNAL_URL_NOT_ALLOWED'],
    handler: ({ viewer, grant, body, now }) => svc.createApplication(deps, viewer, grant.clubId, body, now),
  })
  privateRoute(app, {
    method: 'GET',
    url: '/api/applications/:id/manage',
    summary: "Officers: the application's full editable view",
    tags,
    access: officers,
    params: IdParams,
    response: S.ManagedApplication,
    queryBudget: APPLICATION_BUDGETS.manage,
    errors: [],
    handler: ({ db: read, grant, now }) => svc.renderManaged(read, grant.resource, now),
  })
  privateRoute(app, {
    method: 'PATCH',
    url: '/api/applications/:id',
    summary: 'Officers: edit an application (administrators: own deadline)',
    tags,
    access: officers,
    params: IdParams,
    body: S.UpdateApplicationBody,
    response: S.ManagedApplication,
    queryBudget: APPLICATION_BUDGETS.update,
    errors: ['FORBIDDEN', 'DATES_FROM_CYCLE', 'NOT_IN_CYCLE', 'INVALID_DATES', 'RELEASE_BEFORE_EXTENSION', 'COMMITTEES_FROZEN', 'MAX_COMMITTEES_OVER_CAP', 'EXTERNAL_URL_REQUIRED', 'EXTERNAL_URL_NOT_ALLOWED'],
    handler: ({ viewer, grant, body, now }) => svc.updateApplication(deps, viewer, grant.resource, body, now),
  })
  privateRoute(app, {
    method: 'DELETE',
    url: '/api/applications/:id',
    summary: 'Officers: delete an application nobody has started',
    tags,
    access: officers,
    params: IdParams,
    response: Ok,
    queryBudget: APPLICATION_BUDGETS.remove,
    errors: ['APPLICATION_HAS_SUBMISSIONS'],
    handler: ({ grant }) => svc.deleteApplication(deps, grant.resource),
  })
  privateRoute(app, {
    method: 'POST',
    url: '/api/applications/:id/duplicate',
    summary: 'Officers: copy the application (committees, questions, choices) into a cycle, with its dates; the copy starts inactive',
    tags,
    access: officers,
    params: IdParams,
    body: S.DuplicateBody,
    response: S.ManagedApplication,
    status: 201,
    queryBudget: APPLICATION_BUDGETS.duplicate,
    errors: ['NOT_FOUND', 'NO_CURRENT_CYCLE', 'SAME_CYCLE', 'CYCLE_ENDED', 'WORD_CAP_EXCEEDED'],
    handler: ({ grant, body, now }) => svc.duplicateApplication(deps, grant.resource, body ?? {}, now),
  })

  privateRoute(app, {
    method: 'POST',
    url: '/api/applications/:id/committees',
    summary: 'Officers: add a committee',
    tags,
    access: officers,
    params: IdParams,
    body: S.CommitteeBody,
    response: Committee,
    status: 201,
    queryBudget: APPLICATION_BUDGETS.committee,
    errors: ['COMMITTEES_FROZEN', 'COMMITTEE_EXISTS'],
    handler: ({ grant, body, now }) => builder.createCommittee(deps, grant.resource, body, now),
  })
  privateRoute(app, {
    method: 'PATCH',
    url: '/api/applications/:id/committees/:committeeId',
    summary: 'Officers: edit a committee',
    tags,
    access: officers,
    params: S.CommitteeParams,
    body: S.UpdateCommitteeBody,
    response: Committee,
    queryBudget: APPLICATION_BUDGETS.committee,
    errors: ['NOT_FOUND', 'COMMITTEES_FROZEN', 'COMMITTEE_EXISTS'],
    handler: ({ grant, params, body, now }) => builder.updateCommittee(deps, grant.resource, params.committeeId, body, now),
  })
  privateRoute(app, {
    method: 'DELETE',
    url: '/api/applications/:id/committees/:committeeId',
    summary: 'Officers: remove a committee nobody chose',
    tags,
    access: officers,
    params: S.CommitteeParams,
    response: Ok,
    queryBudget: APPLICATION_BUDGETS.removeCommittee,
    errors: ['NOT_FOUND', 'COMMITTEES_FROZEN', 'COMMITTEE_CHOSEN'],
    handler: ({ grant, params, now }) => builder.deleteCommittee(deps, grant.resource, params.committeeId, now),
  })

  privateRoute(app, {
    method: 'POST',
    url: '/api/applications/:id/questions',
    summary: 'Officers: add a question',
    tags,
    access: officers,
    params: IdParams,
    body: S.CreateQuestionBody,
    response: Question,
    status: 201,
    queryBudget: APPLICATION_BUDGETS.createQuestion,
    errors: ['INVALID_QUESTION', 'UNKNOWN_COMMITTEE', 'WORD_CAP_EXCEEDED'],
    handler: ({ grant, body }) => builder.createQuestion(deps, grant.resource, body),
  })
  privateRoute(app, {
    method: 'PUT',
    url: '/api/applications/:id/questions/order',
    summary: 'Officers: order the questions',
    tags,
    access: officers,
    params: IdParams,
    body: S.OrderBody,
    response: S.QuestionList,
    queryBudget: APPLICATION_BUDGETS.reorder,
    errors: ['ORDER_MISMATCH'],
    handler: ({ grant, body }) => builder.reorderQuestions(deps, grant.resource, body.question_ids),
  })
  privateRoute(app, {
    method: 'PATCH',
    url: '/api/applications/:id/questions/:questionId',
    summary: 'Officers: edit a question (its type is fixed)',
    tags,
    access: officers,
    params: S.QuestionParams,
    body: S.UpdateQuestionBody,
    response: Question,
    queryBudget: APPLICATION_BUDGETS.updateQuestion,
    errors: ['NOT_FOUND', 'INVALID_QUESTION', 'UNKNOWN_COMMITTEE', 'UNKNOWN_CHOICE', 'WORD_CAP_EXCEEDED', 'CHOICE_IN_USE', 'DUPLICATE_CHOICE'],
    handler: ({ grant, params, body }) => builder.updateQuestion(deps, grant.resource, params.questionId, body),
  })
  privateRoute(app, {
    method: 'DELETE',
    url: '/api/applications/:id/questions/:questionId',
    summary: 'Officers: remove a question no submission answers',
    tags,
    access: officers,
    params: S.QuestionParams,
    response: Ok,
    queryBudget: APPLICATION_BUDGETS.removeQuestion,
    errors: ['NOT_FOUND', 'QUESTION_HAS_RESPONSES'],
    handler: ({ grant, params }) => builder.deleteQuestion(deps, grant.resource, params.questionId),
  })

  privateRoute(app, {
    method: 'GET',
    url: '/api/applications/:id/extensions',
    summary: 'Officers: deadline extensions granted',
    tags,
    access: officers,
    params: IdParams,
    response: S.ExtensionList,
    queryBudget: APPLICATION_BUDGETS.extensions,
    errors: [],
    handler: ({ db: read, grant }) => ext.listExtensions(read, grant.resource),
  })
  privateRoute(app, {
    method: 'POST',
    url: '/api/applications/:id/extensions',
    summary: "Officers: grant or change the extension of someone who started the application (anyone else: 404)",
    tags,
    access: officers,
    params: IdParams,
    body: S.ExtensionBody,
    response: S.Extension,
    queryBudget: APPLICATION_BUDGETS.grantExtension,
    errors: ['NOT_FOUND', 'EXTERNAL_APPLICATION', 'EXTENSION_BEFORE_DEADLINE', 'EXTENSION_AFTER_RELEASE'],
    handler: ({ viewer, grant, body }) => ext.grantExtension(deps, viewer, grant.resource, body),
  })
  privateRoute(app, {
    method: 'DELETE',
    url: '/api/applications/:id/extensions/:userId',
    summary: 'Officers: revoke an extension',
    tags,
    access: officers,
    params: S.ExtensionParams,
    response: Ok,
    queryBudget: APPLICATION_BUDGETS.revokeExtension,
    errors: ['NOT_FOUND'],
    handler: ({ grant, params }) => ext.revokeExtension(deps, grant.resource, params.userId),
  })
}
