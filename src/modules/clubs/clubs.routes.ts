import type { FastifyInstance } from 'fastify'
import { DIRECTORY_POLICY } from '../../cache/policy.js'
import { publicRoute } from '../../cache/public-route.js'
import { ClubCodeParams, ClubDetail, ClubListQuery, ClubListResponse } from './clubs.schema.js'
import { getClub, listClubs, normalizeListQuery } from './clubs.service.js'

/** Query budgets (asserted in tests): the list costs at most 3 queries, a club page at most 4. */
export const CLUB_BUDGETS = { list: 3, detail: 4 } as const

export async function clubRoutes(app: FastifyInstance) {
  publicRoute(app, {
    url: '/api/clubs',
    summary: 'The club directory: every active, approved club, filtered and ordered',
    tags: ['directory'],
    querystring: ClubListQuery,
    response: ClubListResponse,
    cache: DIRECTORY_POLICY,
    queryBudget: CLUB_BUDGETS.list,
    normalize: normalizeListQuery,
    handler: listClubs,
  })
  publicRoute(app, {
    url: '/api/clubs/:code',
    summary: 'A club page: description, public members, upcoming events, FAQ, open applications',
    tags: ['directory'],
    params: ClubCodeParams,
    response: ClubDetail,
    cache: DIRECTORY_POLICY,
    queryBudget: CLUB_BUDGETS.detail,
    handler: getClub,
  })
}
