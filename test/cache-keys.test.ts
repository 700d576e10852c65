import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { routeTable } from '../src/ops/budget.js'
import { RANDOM_BUCKETS } from '../src/modules/clubs/directory.service.js'
import { BACKENDS, createTestEnv, type QuadInstance, type TestEnv } from './helpers/quad.js'

/**
 * No client can grow the shared cache without bound: parameters outside a route's schema are
 * stripped before the key, free values are bucketed or served without storing, unknown ids and
 * codes store nothing. Each cached route gets 200 unique junk parameters, 200 unique search
 * strings and its own free values, and its shared entries are counted against the stated bound.
 */
const N = 200

interface Probe {
  /** Route pattern as registered. */
  route: string
  urls: (f: Fixture) => string[]
  /** The most shared entries this route may hold after the probes. */
  bound: (f: Fixture) => number
}

interface Fixture {
  club: string
  tag: string
  fair: number
  application: number
  cycle: number
}

const junk = (base: string) => [
  ...Array.from({ length: N }, (_, i) => `${base}${base.includes('?') ? '&' : '?'}utm_source=x${i}&fbclid=${i}abc`),
  ...Array.from({ length: N }, (_, i) => `${base}${base.includes('?') ? '&' : '?'}q=unique search ${i}`),
]
const spellings = ['America/New_York', 'america/new_york', 'AMERICA/NEW_YORK', 'America/new_York', 'Europe/Paris', 'europe/paris']

const PROBES: Probe[] = [
  {
    route: '/api/clubs',
    // Searches, filters, pages and seeds are per-instance variants; nothing is a shared entry.
    urls: (f) => [
      ...junk('/api/clubs'),
      ...Array.from({ length: N }, (_, i) => `/api/clubs?order=random&seed=${i * 7919}`),
      ...Array.from({ length: N }, (_, i) => `/api/clubs?page=${i + 1}&pageSize=${(i % 500) + 1}&tags=${f.tag}`),
    ],
    bound: () => 0,
  },
  { route: '/api/clubs/:code', urls: (f) => [...junk(`/api/clubs/${f.club}`), ...Array.from({ length: N }, (_, i) => `/api/clubs/no-such-club-${i}`)], bound: () => 1 },
  { route: '/api/tags', urls: () => junk('/api/tags'), bound: () => 1 },
  { route: '/api/badges', urls: () => junk('/api/badges'), bound: () => 1 },
  { route: '/api/fairs', urls: () => junk('/api/fairs'), bound: () => 1 },
  { route: '/api/fairs/:id', urls: (f) => [...junk(`/api/fairs/${f.fair}`), ...Array.from({ length: N }, (_, i) => `/api/fairs/${100_000 + i}`)], bound: () => 1 },
  {
    route: '/api/events',
    urls: (f) => [
      ...junk('/api/events'),
      ...Array.from({ length: N }, (_, i) => `/api/events?before=${new Date(Date.now() + i * 60_000).toISOString()}`),
      ...Array.from({ length: N }, (_, i) => `/api/events?limit=${(i % 500) + 1}`),
      ...Array.from({ length: 20 }, (_, i) => `/api/events?club=${i ? `no-club-${i}` : f.club}`),
      ...['recruitment', 'general', 'social', 'workshop', 'info_session', 'other'].map((t) => `/api/events?type=${t}`),
    ],
    bound: () => 7,
  },
  { route: '/api/cycles', urls: () => junk('/api/cycles'), bound: () => 1 },
  {
    route: '/api/applications',
    urls: (f) => [
      ...junk('/api/applications'),
      ...Array.from({ length: N }, (_, i) => `/api/applications?cycle=${100_000 + i}`),
      ...spellings.map((tz) => `/api/applications?tz=${encodeURIComponent(tz)}`),
      `/api/applications?cycle=${f.cycle}`,
    ],
    // No filter, two time zones (however spelled), and the one existing cycle asked for.
    bound: () => 4,
  },
  {
    route: '/api/applications/:id',
    urls: (f) => [
      ...junk(`/api/applications/${f.application}`),
      ...Array.from({ length: N }, (_, i) => `/api/applications/${100_000 + i}`),
      ...spellings.map((tz) => `/api/applications/${f.application}?tz=${encodeURIComponent(tz)}`),
    ],
    bound: () => 3,
  },
]

/** Shared entries per route: Redis entry keys, or the in-process cache's keys in embedded mode. */
async function sharedEntries(q: QuadInstance): Promise<Map<string, number>> {
  const { redis, prefix, engine } = q.runtime.cache
  const keys: string[] = []
  if (redis) {
    let cursor = '0'
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}e:*`, 'COUNT', 1000)
      cursor = next
      keys.push(...batch.map((k) => k.slice(`${prefix}e:`.length)))
    } while (cursor !== '0')
  } else keys.push(...engine.l1.keys())
  const per = new Map<string, number>()
  for (const k of keys) {
    const route = k.slice(0, k.indexOf('?'))
    per.set(route, (per.get(route) ?? 0) + 1)
  }
  return per
}

describe.each(BACKENDS)('shared cache keys are bounded on %s', (backend) => {
  let env: TestEnv
  let q: QuadInstance
  let f: Fixture

  beforeAll(async () => {
    env = await createTestEnv(backend, { seed: 'demo', redis: backend === 'postgres' })
    q = await env.start()
    const db = q.runtime.db
    const club = await db
      .selectFrom('clubs as c')
      .innerJoin('club_tags as ct', 'ct.club_id', 'c.id')
      .innerJoin('tags as t', 't.id', 'ct.tag_id')
      .where('c.status', '=', 'approved')
      .where('c.active', '=', true)
      .where('c.archived_at', 'is', null)
      .select(['c.code', 't.slug'])
      .orderBy('c.id')
      .executeTakeFirstOrThrow()
    const fair = await db.selectFrom('fairs').select('id').orderBy('id').executeTakeFirstOrThrow()
    const application = await db
      .selectFrom('club_applications as a')
      .innerJoin('clubs as c', 'c.id', 'a.club_id')
      .where('a.active', '=', true)
      .where('c.status', '=', 'approved')
      .where('c.archived_at', 'is', null)
      .select(['a.id', 'a.cycle_id'])
      .where('a.cycle_id', 'is not', null)
      .orderBy('a.id')
      .executeTakeFirstOrThrow()
    f = { club: club.code, tag: club.slug, fair: fair.id, application: application.id, cycle: application.cycle_id! }
  })
  afterAll(async () => env?.close())

  it('has a bound test for every cached route', () => {
    const cached = routeTable(q.app)
      .filter((r) => r.cached && r.method === 'GET')
      .map((r) => r.url)
    expect(new Set(cached)).toEqual(new Set(PROBES.map((p) => p.route)))
  })

  it.each(PROBES.map((p) => [p.route, p] as const))('%s stays within its bound', async (_route, probe) => {
    const urls = probe.urls(f)
    // A few at a time, retried when admission control sheds one: what is counted is keys, not speed.
    const send = async (url: string) => {
      for (let attempt = 0; ; attempt++) {
        const r = await q.app.inject({ url })
        if (r.statusCode !== 503 || attempt >= 20) return r
        await new Promise((ok) => setTimeout(ok, 50))
      }
    }
    for (let i = 0; i < urls.length; i += 8) {
      const res = await Promise.all(urls.slice(i, i + 8).map(send))
      for (const r of res) expect([200, 404], `${r.statusCode} ${r.body.slice(0, 200)}`).toContain(r.statusCode)
    }
    const entries = (await sharedEntries(q)).get(probe.route) ?? 0
    expect(entries).toBeLessThanOrEqual(probe.bound(f))
    if (q.runtime.cache.redis) {
      const prefix = q.runtime.cache.prefix!
      // Leases are released, and only the whole list's bounded slots hold shared encodings.
      expect(await q.runtime.cache.redis.keys(`${prefix}lease:*`)).toEqual([])
      expect((await q.runtime.cache.redis.keys(`${prefix}z:*`)).length).toBeLessThanOrEqual(3 + RANDOM_BUCKETS)
    }
  })
})
