import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import { DIRECTORY_POLICY } from '../../cache/policy.js'
import { publicRoute } from '../../cache/public-route.js'
import { publicClubs } from '../clubs/clubs.repository.js'
import { EventSchema } from '../clubs/clubs.schema.js'

const DEFAULT_LIMIT = 100
const EventsQuery = Type.Object(
  {
    club: Type.Optional(Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,63}$' })),
    type: Type.Optional(Type.Union(['recruitment', 'general', 'social', 'workshop', 'info_session', 'other'].map((t) => Type.Literal(t)))),
    before: Type.Optional(Type.String({ format: 'date-time', description: 'Only events starting before this time' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: DEFAULT_LIMIT })),
  },
  { additionalProperties: false },
)
const EventList = Type.Object({
  events: Type.Array(Type.Object({ ...EventSchema.properties, club: Type.Object({ code: Type.String(), name: Type.String() }) })),
})

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
    async handler(ctx) {
      const { club, type, before, limit = DEFAULT_LIMIT } = ctx.query
      let q = publicClubs(ctx.db)
        .innerJoin('events as e', 'e.club_id', 'c.id')
        .where('e.ends_at', '>', ctx.now)
        .select(['e.id', 'c.code', 'c.name as club_name', 'e.name', 'e.description', 'e.location', 'e.link', 'e.starts_at', 'e.ends_at', 'e.image_url', 'e.type', 'e.pinned'])
        .orderBy('e.starts_at')
        .orderBy('e.id')
        .limit(limit)
      if (club) q = q.where('c.code', '=', club)
      if (type) q = q.where('e.type', '=', type as never)
      if (before) q = q.where('e.starts_at', '<', new Date(before))
      const rows = await q.execute()
      for (const r of rows) ctx.validUntil(r.ends_at)
      return { events: rows.map(({ code, club_name, ...e }) => ({ ...e, club: { code, name: club_name } })) }
    },
  })
}
