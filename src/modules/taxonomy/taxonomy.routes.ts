import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { DIRECTORY_POLICY } from '../../cache/policy.js'
import { publicRoute } from '../../cache/public-route.js'
import type { QuadDb } from '../../db/database.js'

const TagList = Type.Object({
  tags: Type.Array(Type.Object({ slug: Type.String(), name: Type.String(), club_count: Type.Integer() })),
})
const BadgeList = Type.Object({
  badges: Type.Array(
    Type.Object({ slug: Type.String(), name: Type.String(), description: Type.String(), color: Type.String(), club_count: Type.Integer() }),
  ),
})

/** Public clubs per tag/badge id, one grouped scan. */
const publicCount = (db: QuadDb, link: 'club_tags' | 'club_badges', col: 'tag_id' | 'badge_id') =>
  db
    .selectFrom(`${link} as l` as 'club_tags as l')
    .innerJoin('clubs as c', 'c.id', 'l.club_id')
    .where('c.status', '=', 'approved')
    .where('c.active', '=', true)
    .where('c.archived_at', 'is', null)
    .select([sql<number>`l.${sql.raw(col)}`.as('id'), sql<number>`count(*)::int`.as('n')])
    .groupBy(sql`l.${sql.raw(col)}`)

/** Query budgets (asserted in tests): each list is one scan plus one grouped count. */
export const TAXONOMY_BUDGETS = { tags: 2, badges: 2 } as const

export async function taxonomyRoutes(app: FastifyInstance) {
  publicRoute(app, {
    url: '/api/tags',
    summary: 'Every tag with the number of public clubs carrying it',
    tags: ['directory'],
    response: TagList,
    cache: DIRECTORY_POLICY,
    queryBudget: TAXONOMY_BUDGETS.tags,
    keyBound: 'one entry',
    async handler(ctx) {
      const [tags, counts] = await Promise.all([
        ctx.db.selectFrom('tags').select(['id', 'slug', 'name']).orderBy('name').execute(),
        publicCount(ctx.db, 'club_tags', 'tag_id').execute(),
      ])
      const n = new Map(counts.map((c) => [Number(c.id), Number(c.n)]))
      return { tags: tags.map((t) => ({ slug: t.slug, name: t.name, club_count: n.get(t.id) ?? 0 })) }
    },
  })
  publicRoute(app, {
    url: '/api/badges',
    summary: 'Visible badges with the number of public clubs carrying each',
    tags: ['directory'],
    response: BadgeList,
    cache: DIRECTORY_POLICY,
    queryBudget: TAXONOMY_BUDGETS.badges,
    keyBound: 'one entry',
    async handler(ctx) {
      const [badges, counts] = await Promise.all([
        ctx.db.selectFrom('badges').where('hidden', '=', false).select(['id', 'slug', 'name', 'description', 'color']).orderBy('name').execute(),
        publicCount(ctx.db, 'club_badges', 'badge_id').execute(),
      ])
      const n = new Map(counts.map((c) => [Number(c.id), Number(c.n)]))
      return { badges: badges.map(({ id, ...b }) => ({ ...b, club_count: n.get(id) ?? 0 })) }
    },
  })
}
