import { randomBytes } from 'node:crypto'
import type { TrafficClass } from './types.js'

/** Classes the benchmark itself uses (baseline comparison, drills); not part of the mix. */
export const cachedList: TrafficClass = {
  name: 'cached-list',
  summary: 'GET /api/clubs as a browser asks for it, the same bytes every time (the baseline comparison)',
  requires: ['GET /api/clubs'],
  defaults: { connections: 0, rate: 0 },
  build: () => [{ route: 'GET /api/clubs', method: 'GET', next: () => ({ path: '/api/clubs' }) }],
}

/** Directory searches nobody asked before: every one is a cache miss that needs the database. */
export const uncachedSearch: TrafficClass = {
  name: 'uncached-search',
  summary: 'GET /api/clubs with a search nobody sent before (cache miss, database work)',
  requires: ['GET /api/clubs'],
  defaults: { connections: 0, rate: 0 },
  build({ fx, rng }) {
    return [
      {
        route: 'GET /api/clubs (uncached search)',
        method: 'GET',
        next: () => ({
          // Small pages: the work is the database's, not serializing and compressing big bodies.
          path: `/api/clubs?q=${encodeURIComponent(rng.pick(fx.words).slice(0, rng.int(3, 6)))}&page=${rng.int(1, 3)}&pageSize=${rng.int(5, 40)}&order=${rng.pick(['alpha', 'bookmarks', 'updated'])}`,
        }),
      },
    ]
  },
}

/** New accounts: an acknowledged write whose durability the PostgreSQL drill checks. */
export const signup: TrafficClass = {
  name: 'signup',
  summary: 'POST /api/auth/signup with a new address each time',
  requires: ['POST /api/auth/signup'],
  defaults: { connections: 0, rate: 0 },
  build({ ledger }) {
    const tag = randomBytes(4).toString('hex')
    let n = 0
    return [
      {
        route: 'POST /api/auth/signup',
        method: 'POST',
        ok: [201],
        next: (conn) => {
          const email = `bench-${tag}-${++n}@example.org`
          conn.email = email
          return { path: '/api/auth/signup', body: { email, password: 'bench password, long enough', name: 'Bench Student' } }
        },
        done: (res, conn) => {
          if (res.status === 201) ledger.ack('signup', conn.email as string)
        },
      },
    ]
  },
}

export const INTERNAL_CLASSES: Record<string, TrafficClass> = Object.fromEntries([cachedList, uncachedSearch, signup].map((c) => [c.name, c]))
