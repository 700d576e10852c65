import type { Static } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import { requireUser } from '../auth/guard.js'
import { ERRORS, privateByDefault } from '../../http/private.js'
import * as decisions from './decisions.service.js'
import { exportCsv } from './export.js'
import * as S from './review.schema.js'
import * as svc from './review.service.js'

/**
 * Query budgets (asserted in tests), independent of the number of submissions: the review list
 * is session, application, role, structure and one page query; the export adds its stream.
 * Changes are one transaction, counted with its begin, own-outbox read and commit.
 */
export const REVIEW_BUDGETS = {
  list: 5,
  one: 5,
  exportStart: 5,
  /** session, application, role; update them all */
  bulkStatus: 7,
  /** session, submission, application, role; update or insert */
  status: 8,
  note: 8,
  /** session, application, role; candidates, queue the emails, add the accepted as members (a dry run: candidates) */
  send: 9,
  /** session, application, role, candidates; the same transaction as send */
  resend: 10,
} as const

type AppId = { Params: Static<typeof S.AppParams> }
type SubId = { Params: Static<typeof S.SubmissionParams> }

export async function reviewRoutes(app: FastifyInstance) {
  privateByDefault(app)
  const rt = app.runtime
  const tags = ['review']

  app.get<AppId & { Querystring: Static<typeof S.ReviewQuery> }>(
    '/api/applications/:id/submissions',
    {
      config: { queryBudget: REVIEW_BUDGETS.list },
      schema: {
        summary: 'Officers: submitted applications with every answer, committee choice and note; filter by committee and status',
        tags,
        params: S.AppParams,
        querystring: S.ReviewQuery,
        response: { 200: S.ReviewList, ...ERRORS },
      },
    },
    async (req) => svc.listSubmissions(rt, await requireUser(req), req.params.id, req.query),
  )
  app.get<AppId & { Querystring: Static<typeof S.ExportQuery> }>(
    '/api/applications/:id/submissions.csv',
    {
      config: { queryBudget: REVIEW_BUDGETS.exportStart },
      schema: {
        summary: 'Officers: CSV export, one row per submission and one column per question (streamed)',
        tags,
        params: S.AppParams,
        querystring: S.ExportQuery,
        produces: ['text/csv'],
        response: ERRORS,
      },
    },
    async (req, reply) => {
      const { file, stream } = await exportCsv(rt, await requireUser(req), req.params.id, req.query)
      reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${file}"`)
      return reply.send(stream)
    },
  )
  app.post<AppId & { Body: Static<typeof S.BulkStatusBody> }>(
    '/api/applications/:id/submissions/status',
    {
      config: { queryBudget: REVIEW_BUDGETS.bulkStatus },
      schema: {
        summary: 'Officers: set the status of many submissions at once (all or nothing)',
        tags,
        params: S.AppParams,
        body: S.BulkStatusBody,
        response: { 200: S.BulkResult, ...ERRORS },
      },
    },
    async (req) => svc.bulkSetStatus(rt, await requireUser(req), req.params.id, req.body),
  )
  app.get<SubId>(
    '/api/submissions/:id',
    { config: { queryBudget: REVIEW_BUDGETS.one }, schema: { summary: 'Officers: one submitted application', tags, params: S.SubmissionParams, response: { 200: S.ReviewSubmission, ...ERRORS } } },
    async (req) => svc.getSubmission(rt, await requireUser(req), req.params.id),
  )
  app.patch<SubId & { Body: Static<typeof S.StatusBody> }>(
    '/api/submissions/:id',
    { config: { queryBudget: REVIEW_BUDGETS.status }, schema: { summary: 'Officers: set a status with an optional reason', tags, params: S.SubmissionParams, body: S.StatusBody, response: { 200: S.StatusResult, ...ERRORS } } },
    async (req) => svc.setStatus(rt, await requireUser(req), req.params.id, req.body),
  )
  app.post<SubId & { Body: Static<typeof S.NoteBody> }>(
    '/api/submissions/:id/notes',
    {
      config: { queryBudget: REVIEW_BUDGETS.note },
      schema: {
        summary: 'Officers: add a reviewer note and/or score',
        tags,
        params: S.SubmissionParams,
        body: S.NoteBody,
        response: {
          201: {
            type: 'object',
            properties: {
              id: { type: 'integer' },
              author_id: { type: ['integer', 'null'] },
              author_name: { type: 'string' },
              body: { type: 'string' },
              score: { type: ['number', 'null'] },
              created_at: { type: 'string', format: 'date-time' },
            },
          },
          ...ERRORS,
        },
      },
    },
    async (req, reply) => reply.code(201).send(await svc.addNote(rt, await requireUser(req), req.params.id, req.body)),
  )

  app.post<AppId & { Body: Static<typeof S.SendBody> }>(
    '/api/applications/:id/decisions/send',
    {
      config: { queryBudget: REVIEW_BUDGETS.send },
      schema: {
        summary: 'Officers: email decisions (once per applicant) after results release; dry_run (default) shows exactly who gets what',
        tags,
        params: S.AppParams,
        body: S.SendBody,
        response: { 200: S.DecisionPlan, ...ERRORS },
      },
    },
    async (req) => decisions.sendDecisions(rt, await requireUser(req), req.params.id, req.body.dry_run, app.mail),
  )
  app.post<AppId & { Body: Static<typeof S.ResendBody> }>(
    '/api/applications/:id/decisions/resend',
    {
      config: { queryBudget: REVIEW_BUDGETS.resend },
      schema: {
        summary: 'Officers: email the current decision again to applicants already emailed',
        tags,
        params: S.AppParams,
        body: S.ResendBody,
        response: { 200: S.DecisionPlan, ...ERRORS },
      },
    },
    async (req) => decisions.resendDecisions(rt, await requireUser(req), req.params.id, req.body.submission_ids, req.body.dry_run, app.mail),
  )
}
