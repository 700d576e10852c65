import './submissions.overlay.js'
import type { FastifyInstance } from 'fastify'
import { IdParams } from '../../http/params.js'
import { privateRoute } from '../../http/private-route.js'
import * as S from './submissions.schema.js'
import * as svc from './submissions.service.js'

/**
 * Query budgets (asserted in tests), the worst case: the session and the form are read once per
 * instance (then kept in memory), an extension only past the application's end, the profile only
 * when the cycle requires it. Autosave is then one statement, start one, submit one (a retry reads
 * its receipt instead). test/write-costs.test.ts asserts the warm costs.
 */
export const SUBMISSION_BUDGETS = { start: 5, draft: 4, submit: 6, mine: 2, own: 2 } as const

/**
 * Deadlines are judged by `now`, when the request reached the server, not when it got a database
 * connection: queueing under deadline load never costs an applicant their submission.
 */
export async function submissionRoutes(app: FastifyInstance) {
  const { db } = app.privateDeps
  const deps = { db, forms: svc.formCache(app.cacheDeps.engine, db) }
  const tags = ['submissions']
  // A submit racing a deadline is never refused for load: a retry might arrive too late.
  app.cacheDeps.frontDoor.protect(/^\/api\/applications\/\d+\/submit(\?|$)/)

  privateRoute(app, {
    method: 'POST',
    url: '/api/applications/:id/start',
    summary: 'Start (or reopen) your application: creates your draft',
    tags,
    access: 'user',
    params: IdParams,
    response: S.Started,
    alsoStatus: [201],
    queryBudget: SUBMISSION_BUDGETS.start,
    errors: ['NOT_FOUND', 'EXTERNAL_APPLICATION', 'NOT_OPEN', 'DEADLINE_PASSED', 'PROFILE_INCOMPLETE'],
    async handler({ viewer, params, now, reply }) {
      const r = await svc.start(deps, viewer, params.id, now)
      if (r.created) reply.status(201)
      return r.body
    },
  })
  privateRoute(app, {
    method: 'GET',
    url: '/api/applications/:id/draft',
    summary: 'Your draft or submission of this application',
    tags,
    access: 'user',
    params: IdParams,
    response: S.OwnDraft,
    queryBudget: SUBMISSION_BUDGETS.own,
    errors: ['NOT_FOUND'],
    handler: ({ viewer, params, now }) => svc.ownDraft(deps, viewer, params.id, now),
  })
  privateRoute(app, {
    method: 'PUT',
    url: '/api/applications/:id/draft',
    summary: 'Autosave your draft (answers replace the saved ones; committees only when given)',
    tags,
    access: 'user',
    params: IdParams,
    body: S.ContentBody,
    response: S.DraftSaved,
    queryBudget: SUBMISSION_BUDGETS.draft,
    errors: ['NOT_FOUND', 'EXTERNAL_APPLICATION', 'NOT_OPEN', 'DEADLINE_PASSED', 'INVALID_ANSWERS', 'ALREADY_SUBMITTED'],
    handler: ({ viewer, params, body, now }) => svc.saveDraft(deps, viewer, params.id, body, now),
  })
  privateRoute(app, {
    method: 'POST',
    url: '/api/applications/:id/submit',
    summary: 'Submit, before the deadline (or your extension); idempotent per Idempotency-Key',
    tags,
    access: 'user',
    params: IdParams,
    headers: S.SubmitHeaders,
    body: S.ContentBody,
    response: S.Receipt,
    alsoStatus: [201],
    queryBudget: SUBMISSION_BUDGETS.submit,
    errors: ['NOT_FOUND', 'EXTERNAL_APPLICATION', 'NOT_OPEN', 'DEADLINE_PASSED', 'PROFILE_INCOMPLETE', 'INVALID_ANSWERS', 'ALREADY_SUBMITTED', 'IDEMPOTENCY_KEY_REUSED'],
    async handler({ viewer, params, body, headers, now, reply }) {
      const r = await svc.submit(deps, viewer, params.id, body, headers['idempotency-key'], now)
      if (r.replayed) reply.header('idempotent-replayed', 'true')
      else reply.status(201)
      return r.receipt
    },
  })
  privateRoute(app, {
    method: 'GET',
    url: '/api/me/applications',
    summary: 'Every application you started, with its state, deadline in your time zone and (after release) decision',
    tags,
    access: 'user',
    querystring: S.MyApplicationsQuery,
    response: S.MyApplications,
    queryBudget: SUBMISSION_BUDGETS.mine,
    errors: ['INVALID_TIME_ZONE'],
    handler: ({ db: read, viewer, query, now }) => svc.myApplications(read, viewer, now, query.tz),
  })
}
