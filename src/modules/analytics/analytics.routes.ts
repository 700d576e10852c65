import type { FastifyInstance } from 'fastify'
import { clubOfficer } from '../../http/access.js'
import { CodeParams } from '../../http/params.js'
import { privateRoute } from '../../http/private-route.js'
import { ClubViews, Days, SearchTerms } from './analytics.schema.js'
import { clubViews, searchTerms } from './analytics.service.js'
import { AnalyticsRecorder } from './recorder.js'

/** Query budgets (enforced in tests): session, club, role and the report; session and the report. */
export const ANALYTICS_BUDGETS = { club: 4, searchTerms: 2 } as const

export async function analyticsRoutes(app: FastifyInstance) {
  const { db } = app.privateDeps
  const log = app.runtime.log
  const recorder = new AnalyticsRecorder(db, 10_000, (err) => log.warn({ err }, 'analytics flush failed'))
  app.decorate('analytics', recorder)
  app.addHook('onClose', async () => recorder.close())

  // Counted after the response is sent, whether it came from the cache or not.
  app.addHook('onResponse', async (req, reply) => {
    if (req.method !== 'GET' || reply.statusCode !== 200) return
    const route = req.routeOptions.url
    if (route === '/api/clubs/:code') recorder.view((req.params as { code: string }).code)
    else if (route === '/api/clubs') {
      const q = (req.query as { q?: string }).q
      if (q) recorder.search(q)
    }
  })

  privateRoute(app, {
    method: 'GET',
    url: '/api/clubs/:code/analytics',
    summary: 'Page views of a club per day (officers)',
    tags: ['analytics'],
    access: clubOfficer(),
    params: CodeParams,
    querystring: Days,
    response: ClubViews,
    queryBudget: ANALYTICS_BUDGETS.club,
    errors: [],
    handler: ({ db: read, grant, query }) => clubViews(read, grant.clubId, query.days),
  })

  privateRoute(app, {
    method: 'GET',
    url: '/api/admin/search-terms',
    summary: 'Most searched terms (administrators)',
    tags: ['analytics'],
    access: 'admin',
    querystring: Days,
    response: SearchTerms,
    queryBudget: ANALYTICS_BUDGETS.searchTerms,
    errors: [],
    handler: ({ db: read, query }) => searchTerms(read, query.days),
  })
}

declare module 'fastify' {
  interface FastifyInstance {
    analytics: AnalyticsRecorder
  }
}
