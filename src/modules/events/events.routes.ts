import type { FastifyInstance } from 'fastify'
import { DIRECTORY_POLICY } from '../../cache/policy.js'
import { publicRoute } from '../../cache/public-route.js'
import { DEFAULT_LIMIT, EventList, EventsQuery } from './events.schema.js'
import { upcomingEvents } from './events.service.js'

/** Query budget (asserted in tests): one joined query. */
export const EVENT_BUDGETS = { list: 1 } as const

export async function eventRoutes(app: FastifyInstance) {
  publicRoute(app, {
    url: '/api/events',
    summary: 'Upcoming events of public clubs, soonest first',
    tags: ['directory'],
    querystring: EventsQuery,
    response: EventList,
    cache: DIRECTORY_POLICY,
    queryBudget: EVENT_BUDGETS.list,
    keyBound: 'event types + 1 (the default limit, no club, no before); other variants are computed per request and never stored',
    share: (q) => q.club === undefined && q.before === undefined && (q.limit ?? DEFAULT_LIMIT) === DEFAULT_LIMIT,
    handler: (ctx) => upcomingEvents(ctx, ctx.query),
  })
}
