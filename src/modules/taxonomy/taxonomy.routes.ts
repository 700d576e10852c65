import type { FastifyInstance } from 'fastify'
import { DIRECTORY_POLICY } from '../../cache/policy.js'
import { viewRoute } from '../../cache/view-route.js'
import { BadgeList, TagList } from './taxonomy.schema.js'
import { renderBadges, renderTags } from './taxonomy.service.js'

/** Query budgets (asserted in tests): SQL only when leading the directory model's catch-up. */
export const TAXONOMY_BUDGETS = { tags: 2, badges: 2 } as const

export async function taxonomyRoutes(app: FastifyInstance) {
  viewRoute(app, {
    url: '/api/tags',
    summary: 'Every tag with the number of public clubs carrying it',
    tags: ['directory'],
    response: TagList,
    cache: DIRECTORY_POLICY,
    queryBudget: TAXONOMY_BUDGETS.tags,
    model: app.directory,
    render: renderTags,
  })
  viewRoute(app, {
    url: '/api/badges',
    summary: 'Visible badges with the number of public clubs carrying each',
    tags: ['directory'],
    response: BadgeList,
    cache: DIRECTORY_POLICY,
    queryBudget: TAXONOMY_BUDGETS.badges,
    model: app.directory,
    render: renderBadges,
  })
}
