import './submissions.overlay.js'
import type { Static } from '@sinclair/typebox'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { requireUser } from '../auth/guard.js'
import { ERRORS, privateByDefault } from '../../http/private.js'
import { ErrorResponse } from '../../http/schemas.js'
import * as S from './submissions.schema.js'
import * as svc from './submissions.service.js'

/**
 * Query budgets (asserted in tests). Autosave and submit: session, form, then one transaction
 * (begin, upsert, answers, committees x2, own-outbox read, commit); a submit that fails or finds
 * the application submitted reads the idempotency key's receipt instead and stays below. Start:
 * session, form, then begin, upsert, own-outbox read, commit.
 */
export const SUBMISSION_BUDGETS = { start: 6, draft: 9, submit: 9, mine: 2, own: 2 } as const

type Id = { Params: Static<typeof S.AppParams> }
type Content = { Body: Static<typeof S.ContentBody> }

export async function submissionRoutes(app: FastifyInstance) {
  privateByDefault(app)
  const rt = app.runtime
  const tags = ['submissions']

  // Deadlines are judged by when a request reached the server, not when it got a database
  // connection: queueing under deadline load never costs an applicant their submission.
  const received = new WeakMap<FastifyRequest, Date>()
  app.addHook('onRequest', async (req) => {
    received.set(req, new Date())
  })
  const at = (req: FastifyRequest) => received.get(req) ?? new Date()

  app.post<Id>(
    '/api/applications/:id/start',
    { config: { queryBudget: SUBMISSION_BUDGETS.start }, schema: { summary: 'Start (or reopen) your application: creates your draft', tags, params: S.AppParams, response: { 200: S.Started, 201: S.Started, ...ERRORS } } },
    async (req, reply) => {
      const r = await svc.start(rt, await requireUser(req), req.params.id, at(req))
      return reply.code(r.created ? 201 : 200).send(r.body)
    },
  )
  app.get<Id>(
    '/api/applications/:id/draft',
    { config: { queryBudget: SUBMISSION_BUDGETS.own }, schema: { summary: 'Your draft or submission of this application', tags, params: S.AppParams, response: { 200: S.OwnDraft, ...ERRORS } } },
    async (req) => svc.ownDraft(rt, await requireUser(req), req.params.id, at(req)),
  )
  app.put<Id & Content>(
    '/api/applications/:id/draft',
    {
      config: { queryBudget: SUBMISSION_BUDGETS.draft },
      schema: {
        summary: 'Autosave your draft (answers replace the saved ones; committees only when given)',
        tags,
        params: S.AppParams,
        body: S.ContentBody,
        response: { 200: S.DraftSaved, ...ERRORS },
      },
    },
    async (req) => svc.saveDraft(rt, await requireUser(req), req.params.id, req.body, at(req)),
  )
  app.post<Id & Content & { Headers: Static<typeof S.SubmitHeaders> }>(
    '/api/applications/:id/submit',
    {
      config: { queryBudget: SUBMISSION_BUDGETS.submit },
      schema: {
        summary: 'Submit, before the deadline (or your extension); idempotent per Idempotency-Key',
        tags,
        params: S.AppParams,
        headers: S.SubmitHeaders,
        body: S.ContentBody,
        response: { 200: S.Receipt, 201: S.Receipt, 422: ErrorResponse, ...ERRORS },
      },
    },
    async (req, reply) => {
      const user = await requireUser(req)
      const r = await svc.submit(rt, user, req.params.id, req.body, req.headers['idempotency-key'], at(req))
      if (r.replayed) reply.header('idempotent-replayed', 'true')
      return reply.code(r.replayed ? 200 : 201).send(r.receipt)
    },
  )
  app.get<{ Querystring: Static<typeof S.MyApplicationsQuery> }>(
    '/api/me/applications',
    {
      config: { queryBudget: SUBMISSION_BUDGETS.mine },
      schema: {
        summary: 'Every application you started, with its state, deadline in your time zone and (after release) decision',
        tags,
        querystring: S.MyApplicationsQuery,
        response: { 200: S.MyApplications, ...ERRORS },
      },
    },
    async (req) => svc.myApplications(rt, await requireUser(req), at(req), req.query.tz),
  )
}
