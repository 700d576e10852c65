import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import { DIRECTORY_POLICY } from '../../cache/policy.js'
import { publicRoute } from '../../cache/public-route.js'
import { notFound } from '../../errors.js'
import { DateTime, Nullable } from '../../http/schemas.js'
import { publicClubs } from '../clubs/clubs.repository.js'

const FairSummary = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  organization: Type.String(),
  description: Type.String(),
  location: Type.String(),
  starts_at: DateTime,
  ends_at: DateTime,
  registration_opens_at: DateTime,
  registration_closes_at: DateTime,
})
const FairDetail = Type.Object({
  ...FairSummary.properties,
  questions: Type.Array(Type.Object({ id: Type.String(), prompt: Type.String() })),
  clubs: Type.Array(
    Type.Object({
      code: Type.String(),
      name: Type.String(),
      subtitle: Type.String(),
      image_url: Nullable(Type.String()),
      booth_label: Nullable(Type.String()),
      booth_starts_at: Nullable(DateTime),
      booth_ends_at: Nullable(DateTime),
    }),
  ),
})
const FAIR_COLUMNS = ['id', 'name', 'organization', 'description', 'location', 'starts_at', 'ends_at', 'registration_opens_at', 'registration_closes_at'] as const

/** Query budgets (asserted in tests): the list is one query, a fair two (fair, then its clubs). */
export const FAIR_BUDGETS = { list: 1, detail: 2 } as const

export async function fairRoutes(app: FastifyInstance) {
  publicRoute(app, {
    url: '/api/fairs',
    summary: 'Club fairs, newest first',
    tags: ['fairs'],
    response: Type.Object({ fairs: Type.Array(FairSummary) }),
    cache: DIRECTORY_POLICY,
    queryBudget: FAIR_BUDGETS.list,
    keyBound: 'one entry',
    async handler(ctx) {
      const fairs = await ctx.db.selectFrom('fairs').select(FAIR_COLUMNS).orderBy('starts_at', 'desc').execute()
      return { fairs }
    },
  })
  publicRoute(app, {
    url: '/api/fairs/:id',
    summary: 'A fair with its registered public clubs and booth times',
    tags: ['fairs'],
    params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2 ** 31 - 1 }) }),
    response: FairDetail,
    cache: DIRECTORY_POLICY,
    queryBudget: FAIR_BUDGETS.detail,
    keyBound: 'one entry per fair; unknown ids are 404s, never stored',
    async handler(ctx) {
      const fair = await ctx.db.selectFrom('fairs').where('id', '=', ctx.params.id).select([...FAIR_COLUMNS, 'questions']).executeTakeFirst()
      if (!fair) throw notFound('Fair')
      const clubs = await publicClubs(ctx.db)
        .innerJoin('fair_registrations as r', 'r.club_id', 'c.id')
        .where('r.fair_id', '=', ctx.params.id)
        .select(['c.code', 'c.name', 'c.subtitle', 'c.image_url', 'r.booth_label', 'r.booth_starts_at', 'r.booth_ends_at'])
        .orderBy('c.name')
        .execute()
      return { ...fair, clubs }
    },
  })
}
