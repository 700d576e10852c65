import './clubs.access.js'
import type { FastifyInstance } from 'fastify'
import { DIRECTORY_POLICY } from '../../cache/policy.js'
import { publicRoute } from '../../cache/public-route.js'
import { viewRoute } from '../../cache/view-route.js'
import { ClubCodeParams, ClubDetail, ClubListQuery, ClubListResponse } from './clubs.schema.js'
import { getClub } from './clubs.service.js'
import { normalizeListQuery, renderClubList, sharedListName } from './directory.service.js'

/**
 * Query budgets (asserted in tests): a list request runs SQL only when it leads the directory
 * model's catch-up (a changed club, or the first load: 2 statements); a club page costs 4.
 */
export const CLUB_BUDGETS = { list: 2, detail: 4 } as const

export async function clubRoutes(app: FastifyInstance) {
  const { directory } = app

  viewRoute(app, {
    url: '/api/clubs',
    summary: 'The club directory: every active, approved club as a card, searched, filtered and ordered',
    tags: ['directory'],
    querystring: ClubListQuery,
    response: ClubListResponse,
    cache: DIRECTORY_POLICY,
    queryBudget: CLUB_BUDGETS.list,
    model: directory,
    normalize: normalizeListQuery,
    shareAs: sharedListName,
    render: renderClubList,
  })
  publicRoute(app, {
    url: '/api/clubs/:code',
    summary: 'A club page: description, public members, upcoming events, FAQ, open applications',
    tags: ['directory'],
    params: ClubCodeParams,
    response: ClubDetail,
    cache: DIRECTORY_POLICY,
    queryBudget: CLUB_BUDGETS.detail,
    keyBound: 'one entry per public club; unknown codes are answered from the directory model',
    async exists({ code }, { ryw }) {
      const m = await directory.read({ ryw, budgetMs: DIRECTORY_POLICY.budgetMs, graceMs: DIRECTORY_POLICY.graceMs })
      return m.state.byCode.has(code)
    },
    handler: getClub,
  })
}
