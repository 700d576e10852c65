import type { ClubItem, Directory } from './directory.model.js'
import type { ClubListQuery } from './clubs.schema.js'

const csv = (s: string | undefined) => (s ? [...new Set(s.split(','))] : [])

/** Random orders are bucketed so every visitor gets a stable shuffle and the variants stay few. */
export const RANDOM_BUCKETS = 100

/** One key per distinct list: defaults spelled out, seeds bucketed, lists sorted. */
export function normalizeListQuery(q: ClubListQuery): ClubListQuery {
  const order = q.order ?? (q.q?.trim() ? 'relevance' : 'alpha')
  const sorted = (s: string | undefined) => (s ? csv(s).sort().join(',') : undefined)
  return {
    tags: sorted(q.tags),
    badges: sorted(q.badges),
    size: sorted(q.size),
    recruiting: q.recruiting,
    q: q.q?.trim() ? q.q.trim().replace(/\s+/g, ' ').toLowerCase() : undefined,
    order: order === 'relevance' && !q.q?.trim() ? 'alpha' : order,
    seed: order === 'random' ? (q.seed ?? 0) % RANDOM_BUCKETS : undefined,
    page: q.page,
    pageSize: q.pageSize,
  }
}

/** The whole list in one order is what the web app loads: instances share its compressed bytes. */
export function sharedListName(q: ClubListQuery): string | null {
  const filtered = q.tags || q.badges || q.size || q.recruiting !== undefined || q.q || q.page !== undefined || q.pageSize !== undefined
  return filtered ? null : `clubs:${q.order}${q.order === 'random' ? `:${q.seed}` : ''}`
}

const byName = (a: ClubItem, b: ClubItem) => (a.sortName < b.sortName ? -1 : a.sortName > b.sortName ? 1 : a.id - b.id)

/** A stable pseudo-random rank of a club for a seed (no state, same on every instance). */
function shuffleRank(id: number, seed: number): number {
  let h = Math.imul(id ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(seed + 1, 0xc2b2ae35)
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d)
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b)
  return (h ^ (h >>> 16)) >>> 0
}

function ordered(dir: Directory, order: string, seed: number): ClubItem[] {
  const key = order === 'random' ? `random:${seed}` : order
  let list = dir.orders.get(key)
  if (list) return list
  list = [...dir.items.values()]
  if (order === 'bookmarks') list.sort((a, b) => b.bookmarks - a.bookmarks || byName(a, b))
  else if (order === 'updated') list.sort((a, b) => (a.updatedDay < b.updatedDay ? 1 : a.updatedDay > b.updatedDay ? -1 : byName(a, b)))
  else if (order === 'random') {
    const rank = new Map(list.map((c) => [c.id, shuffleRank(c.id, seed)]))
    list.sort((a, b) => rank.get(a.id)! - rank.get(b.id)! || a.id - b.id)
  } else list.sort(byName)
  dir.orders.set(key, list)
  return list
}

/**
 * One variant of GET /api/clubs from the model, with no SQL: the search ranking (when q is set),
 * any-of filters, the order, the page. Cards are pre-serialized; only "open" is decided here,
 * so the body stays true until the next time an application opens or closes.
 */
export function renderClubList(dir: Directory, q: ClubListQuery, now: Date): { body: string; until: number } {
  const t = now.getTime()
  const lk = dir.lookups
  const tagIds = new Set(csv(q.tags).map((s) => lk.tagBySlug.get(s) ?? -1))
  const badgeIds = new Set(csv(q.badges).map((s) => lk.badgeBySlug.get(s) ?? -1))
  const sizes = new Set(csv(q.size))
  const scores = q.q ? dir.search.search(q.q) : null
  const order = q.order ?? 'alpha'
  let list = ordered(dir, order === 'relevance' ? 'alpha' : order, q.seed ?? 0)
  const keep = (c: ClubItem) =>
    (!scores || scores.has(c.id)) &&
    (!tagIds.size || c.tagIds.some((id) => tagIds.has(id))) &&
    (!badgeIds.size || c.badgeIds.some((id) => badgeIds.has(id))) &&
    (!sizes.size || sizes.has(c.size)) &&
    (q.recruiting === undefined || c.accepting === q.recruiting)
  if (scores || tagIds.size || badgeIds.size || sizes.size || q.recruiting !== undefined) list = list.filter(keep)
  if (scores && order === 'relevance') list = [...list].sort((a, b) => scores.get(b.id)! - scores.get(a.id)! || byName(a, b))
  const total = list.length
  const paged = q.page !== undefined || q.pageSize !== undefined
  const pageSize = paged ? (q.pageSize ?? 50) : null
  const page = paged ? (q.page ?? 1) : null
  if (pageSize !== null && page !== null) list = list.slice((page - 1) * pageSize, page * pageSize)

  const cards: string[] = []
  const tags = new Set<number>()
  const badges = new Set<number>()
  for (const c of list) {
    const open = c.windows.some(([s, e]) => s <= t && t < e)
    cards.push(open ? `${c.head},"open":true${c.tail}` : c.head + c.tail)
    for (const id of c.tagIds) tags.add(id)
    for (const id of c.badgeIds) badges.add(id)
  }
  const tagRefs = [...tags].sort((a, b) => a - b).map((id) => ({ id, ...lk.tags.get(id)! }))
  const badgeRefs = [...badges].sort((a, b) => a - b).map((id) => ({ id, ...lk.badges.get(id)! }))
  const body = `{"clubs":[${cards.join(',')}],"tags":${JSON.stringify(tagRefs)},"badges":${JSON.stringify(badgeRefs)},"total":${total},"page":${page},"pageSize":${pageSize}}`
  return { body, until: dir.nextBoundary(t) }
}
