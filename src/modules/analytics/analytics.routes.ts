import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { ErrorResponse } from '../../http/schemas.js'
import { requireAdmin, requireUser } from '../auth/guard.js'
import { requireClubRole } from '../clubs/permissions.js'
import { AnalyticsRecorder } from './recorder.js'

const Days = Type.Object({ days: Type.Optional(Type.Integer({ minimum: 1, maximum: 365, default: 30 })) }, { additionalProperties: false })
const errors = { 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse }

export async function analyticsRoutes(app: FastifyInstance) {
  const { runtime } = app
  const recorder = new AnalyticsRecorder(runtime.db, 10_000, (err) => runtime.log.warn({ err }, 'analytics flush failed'))
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

  app.get<{ Params: { code: string }; Querystring: { days?: number } }>(
    '/api/clubs/:code/analytics',
    {
      schema: {
        summary: 'Page views of a club per day (officers)',
        tags: ['analytics'],
        params: Type.Object({ code: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,63}$' }) }),
        querystring: Days,
        response: { 200: Type.Object({ views: Type.Array(Type.Object({ day: Type.String(), views: Type.Integer() })), total: Type.Integer() }), ...errors },
      },
    },
    async (req, reply) => {
      const user = await requireUser(req)
      const { club } = await requireClubRole(runtime.db, user, req.params.code, 'officer')
      reply.header('cache-control', 'private, no-store')
      const rows = await runtime.db
        .selectFrom('club_visits')
        .where('club_id', '=', club.id)
        .where('day', '>=', sql<Date>`current_date - ${req.query.days ?? 30}::int`)
        .select([sql<string>`to_char(day, 'YYYY-MM-DD')`.as('day'), 'views'])
        .orderBy('day')
        .execute()
      return { views: rows, total: rows.reduce((n, r) => n + r.views, 0) }
    },
  )

  app.get<{ Querystring: { days?: number } }>(
    '/api/admin/search-terms',
    {
      schema: {
        summary: 'Most searched terms (administrators)',
        tags: ['analytics'],
        querystring: Days,
        response: { 200: Type.Object({ terms: Type.Array(Type.Object({ term: Type.String(), count: Type.Integer() })) }), ...errors },
      },
    },
    async (req, reply) => {
      await requireAdmin(req)
      reply.header('cache-control', 'private, no-store')
      const terms = await runtime.db
        .selectFrom('search_terms')
        .where('day', '>=', sql<Date>`current_date - ${req.query.days ?? 30}::int`)
        .groupBy('term')
        .select(['term', sql<number>`sum(count)::int`.as('count')])
        .orderBy('count', 'desc')
        .limit(100)
        .execute()
      return { terms }
    },
  )
}

declare module 'fastify' {
  interface FastifyInstance {
    analytics: AnalyticsRecorder
  }
}
