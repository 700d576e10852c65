import type { FastifyInstance } from 'fastify'
import { DIRECTORY_POLICY } from '../../cache/policy.js'
import { publicRoute } from '../../cache/public-route.js'
import { IdParams } from '../../http/params.js'
import { FairDetail, FairList } from './fairs.schema.js'
import { fairDetail, listFairs } from './fairs.service.js'

/** Query budgets (asserted in tests): the list is one query, a fair two (fair, then its clubs). */
export const FAIR_BUDGETS = { list: 1, detail: 2 } as const

export async function fairRoutes(app: FastifyInstance) {
  publicRoute(app, {
    url: '/api/fairs',
    summary: 'Club fairs, newest first',
    tags: ['fairs'],
    response: FairList,
    cache: DIRECTORY_POLICY,
    queryBudget: FAIR_BUDGETS.list,
    keyBound: 'one entry',
    handler: (ctx) => listFairs(ctx.db),
  })
  publicRoute(app, {
    url: '/api/fairs/:id',
    summary: 'A fair with its registered public clubs and booth times',
    tags: ['fairs'],
    params: IdParams,
    response: FairDetail,
    cache: DIRECTORY_POLICY,
    queryBudget: FAIR_BUDGETS.detail,
    keyBound: 'one entry per fair; unknown ids are 404s, never stored',
    handler: (ctx) => fairDetail(ctx.db, ctx.params.id),
  })
}
