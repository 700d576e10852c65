import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import { DIRECTORY_POLICY } from '../../cache/policy.js'
import { viewRoute } from '../../cache/view-route.js'
import type { Directory } from '../clubs/directory.model.js'

const TagList = Type.Object({
  tags: Type.Array(Type.Object({ slug: Type.String(), name: Type.String(), club_count: Type.Integer() })),
})
const BadgeList = Type.Object({
  badges: Type.Array(
    Type.Object({ slug: Type.String(), name: Type.String(), description: Type.String(), color: Type.String(), club_count: Type.Integer() }),
  ),
})

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)

/** Every tag with its number of public clubs, by name; counted in the directory model. */
export function renderTags(dir: Directory): { body: string; until: number } {
  const counts = dir.clubCounts().tags
  const tags = [...dir.lookups.tags].map(([id, t]) => ({ slug: t.slug, name: t.name, club_count: counts.get(id) ?? 0 })).sort(byName)
  return { body: JSON.stringify({ tags }), until: 0 }
}

/** Visible badges with their number of public clubs, by name. */
export function renderBadges(dir: Directory): { body: string; until: number } {
  const counts = dir.clubCounts().badges
  const badges = [...dir.lookups.badges]
    .map(([id, b]) => ({ slug: b.slug, name: b.name, description: dir.lookups.badgeDescriptions.get(id) ?? '', color: b.color, club_count: counts.get(id) ?? 0 }))
    .sort(byName)
  return { body: JSON.stringify({ badges }), until: 0 }
}

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
