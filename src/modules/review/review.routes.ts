import './review.access.js'
import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import { officerOf } from '../../http/access.js'
import { IdParams } from '../../http/params.js'
import { privateRoute } from '../../http/private-route.js'
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
  /** session, submission (with its club), role, the submission with its answers, structure */
  one: 5,
  exportStart: 5,
  /** session, application, role; update them all */
  bulkStatus: 7,
  /** session, submission (with its club), role; update */
  status: 7,
  /** session, submission (with its club), role; insert */
  note: 7,
  /** session, application, role; candidates, queue the emails, add the accepted as members (a dry run: candidates) */
  send: 9,
  /** session, application, role, candidates; the same transaction as send */
  resend: 10,
} as const

/** Reviewing is for the club's officers (umbrella officers and administrators included); approvers are not reviewers. */
export async function reviewRoutes(app: FastifyInstance) {
  const { db, write } = app.privateDeps
  const mail = app.mail
  // The embedded database has one connection: it must not stay pinned by a cursor while a slow client downloads.
  const cursor = app.runtime.config.db.kind === 'postgres'
  const tags = ['review']
  const application = officerOf('application')
  const submission = officerOf('submission')

  privateRoute(app, {
    method: 'GET',
    url: '/api/applications/:id/submissions',
    summary: 'Officers: submitted applications with every answer, committee choice and note; filter by committee and status',
    tags,
    access: application,
    params: IdParams,
    querystring: S.ReviewQuery,
    response: S.ReviewList,
    queryBudget: REVIEW_BUDGETS.list,
    errors: ['NOT_FOUND'],
    handler: ({ db: read, grant, query }) => svc.listSubmissions(read, grant.resource, query),
  })
  privateRoute(app, {
    method: 'GET',
    url: '/api/applications/:id/submissions.csv',
    summary: 'Officers: CSV export, one row per submission and one column per question (streamed)',
    tags,
    access: application,
    params: IdParams,
    querystring: S.ExportQuery,
    response: Type.String(),
    produces: 'text/csv',
    queryBudget: REVIEW_BUDGETS.exportStart,
    errors: ['NOT_FOUND'],
    async handler({ db: read, grant, query, reply }) {
      const { file, stream } = await exportCsv({ db: read, cursor }, grant.resource, query)
      return reply.send('text/csv; charset=utf-8', stream, { filename: file })
    },
  })
  privateRoute(app, {
    method: 'POST',
    url: '/api/applications/:id/submissions/status',
    summary: 'Officers: set the status of many submissions at once (all or nothing)',
    tags,
    access: application,
    params: IdParams,
    body: S.BulkStatusBody,
    response: S.BulkResult,
    queryBudget: REVIEW_BUDGETS.bulkStatus,
    errors: ['UNKNOWN_SUBMISSIONS'],
    handler: ({ grant, body }) => svc.bulkSetStatus({ write }, grant.resource, body),
  })
  privateRoute(app, {
    method: 'GET',
    url: '/api/submissions/:id',
    summary: 'Officers: one submitted application',
    tags,
    access: submission,
    params: IdParams,
    response: S.ReviewSubmission,
    queryBudget: REVIEW_BUDGETS.one,
    errors: [],
    handler: ({ db: read, grant }) => svc.getSubmission(read, grant.resource),
  })
  privateRoute(app, {
    method: 'PATCH',
    url: '/api/submissions/:id',
    summary: 'Officers: set a status with an optional reason',
    tags,
    access: submission,
    params: IdParams,
    body: S.StatusBody,
    response: S.StatusResult,
    queryBudget: REVIEW_BUDGETS.status,
    errors: [],
    handler: ({ grant, body }) => svc.setStatus({ write }, grant.resource, body),
  })
  privateRoute(app, {
    method: 'POST',
    url: '/api/submissions/:id/notes',
    summary: 'Officers: add a reviewer note and/or score',
    tags,
    access: submission,
    params: IdParams,
    body: S.NoteBody,
    response: S.NoteCreated,
    status: 201,
    queryBudget: REVIEW_BUDGETS.note,
    errors: ['EMPTY_NOTE'],
    handler: ({ viewer, grant, body }) => svc.addNote({ write }, viewer, grant.resource, body),
  })

  privateRoute(app, {
    method: 'POST',
    url: '/api/applications/:id/decisions/send',
    summary: 'Officers: email decisions (once per applicant) after results release; dry_run (default) shows exactly who gets what',
    tags,
    access: application,
    params: IdParams,
    body: S.SendBody,
    response: S.DecisionPlan,
    queryBudget: REVIEW_BUDGETS.send,
    errors: ['RESULTS_NOT_RELEASED'],
    handler: ({ grant, body, now }) => decisions.sendDecisions({ db, write, mail }, grant.resource, body.dry_run, now),
  })
  privateRoute(app, {
    method: 'POST',
    url: '/api/applications/:id/decisions/resend',
    summary: 'Officers: email the current decision again to applicants already emailed',
    tags,
    access: application,
    params: IdParams,
    body: S.ResendBody,
    response: S.DecisionPlan,
    queryBudget: REVIEW_BUDGETS.resend,
    errors: ['RESULTS_NOT_RELEASED', 'CANNOT_RESEND'],
    handler: ({ grant, body, now }) => decisions.resendDecisions({ db, write, mail }, grant.resource, body.submission_ids, body.dry_run, now),
  })
}
