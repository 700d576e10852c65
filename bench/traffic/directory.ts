import type { Random } from '../../src/seed/random.js'
import type { Fixtures } from '../fixtures.js'
import type { TrafficClass } from './types.js'

/**
 * The queries a campus sends on deadline day: a few hundred popular ones (tag and size filters,
 * orders, first pages, common words), repeated by everyone, in a stable order for a given seed.
 */
export function popularQueries(fx: Fixtures, rng: Random, n = 240): string[] {
  const out = new Set<string>()
  const sizes = ['small', 'medium', 'large', 'very_large']
  const orders = ['alpha', 'bookmarks', 'updated']
  let guard = 0
  while (out.size < n && guard++ < n * 20) {
    const p = new URLSearchParams()
    const kind = rng.int(0, 5)
    if (kind === 0 && fx.tags.length) p.set('tags', fx.tags[rng.skewed(fx.tags.length)]!)
    if (kind === 1) p.set('q', fx.words[rng.skewed(fx.words.length)]!)
    if (kind === 2) p.set('size', rng.pick(sizes))
    if (kind === 3) p.set('recruiting', 'true')
    if (kind === 4 && fx.badges.length) p.set('badges', rng.pick(fx.badges))
    if (kind === 5) {
      p.set('order', 'random')
      p.set('seed', String(rng.int(0, 99)))
    } else p.set('order', rng.pick(orders))
    p.set('page', String(1 + rng.skewed(3)))
    p.set('pageSize', '24')
    out.add(p.toString())
  }
  return [...out]
}

/** A search few others type: a word and a tag together, any page. Mostly cache misses. */
function longTail(fx: Fixtures, rng: Random): string {
  const p = new URLSearchParams({ q: rng.pick(fx.words).slice(0, rng.int(4, 8)), page: String(rng.int(1, 4)), pageSize: '24' })
  if (fx.tags.length && rng.chance(0.7)) p.set('tags', rng.pick(fx.tags))
  return p.toString()
}

export const directory: TrafficClass = {
  name: 'directory',
  summary: 'Students open the directory: the full list (what the web app loads), popular filters and orders, and long-tail searches',
  requires: ['GET /api/clubs'],
  defaults: { connections: 8, rate: 0 },
  build({ fx, rng }) {
    const popular = popularQueries(fx, rng)
    return [
      {
        route: 'GET /api/clubs',
        method: 'GET',
        next: () => {
          const roll = rng.next()
          const query = roll < 0.5 ? '' : roll < 0.93 ? `?${popular[rng.skewed(popular.length)]}` : `?${longTail(fx, rng)}`
          return { path: `/api/clubs${query}`, as: rng.chance(0.8) ? rng.pick(fx.students) : null }
        },
      },
    ]
  },
}
