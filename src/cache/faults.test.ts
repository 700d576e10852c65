import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../app.js'
import { loadConfig } from '../config.js'
import { openDatabase } from '../db/database.js'
import { migrateToLatest } from '../db/migrate.js'
import { createRuntime } from '../runtime.js'
import { seed } from '../seed/seed.js'
import { cacheStatus, getJson } from '../../test/helpers/http.js'
import { type QuadInstance, type TestEnv, twoInstancesWithOwnRedis } from '../../test/helpers/quad.js'
import { ThrowawayPostgres, ThrowawayRedis } from '../../bench/services.js'
import { Client } from '../../test/helpers/session.js'

async function until(fn: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const t0 = Date.now()
  while (Date.now() - t0 < timeoutMs) {
    if (await fn().catch(() => false)) return Date.now() - t0
    await new Promise((r) => setTimeout(r, 25))
  }
  throw new Error(`condition not met within ${timeoutMs} ms`)
}

const publicClubs = (q: QuadInstance) =>
  q.runtime.db.selectFrom('clubs').where('status', '=', 'approved').where('active', '=', true).where('archived_at', 'is', null).select(['id', 'code']).orderBy('id').limit(5).execute()

describe('Redis stopped and restarted under two instances', () => {
  let env: TestEnv
  let redis: ThrowawayRedis
  let a: QuadInstance
  let b: QuadInstance

  beforeAll(async () => {
    ;({ redis, env, a, b } = await twoInstancesWithOwnRedis())
  })
  afterAll(async () => {
    await env?.close()
    await redis?.destroy()
  })

  it('keeps answering from L1 and the database, and is correct again when Redis returns', async () => {
    const [x, y] = await publicClubs(a)
    for (const q of [a, b]) {
      await q.app.inject({ url: '/api/clubs' })
      await q.app.inject({ url: `/api/clubs/${x!.code}` })
    }
    await redis.stopServer()

    // Cached routes keep working: L1 copies (labelled) or the database through the limiter.
    const during = await Promise.all([
      a.app.inject({ url: '/api/clubs' }),
      b.app.inject({ url: `/api/clubs/${x!.code}` }),
      a.app.inject({ url: `/api/clubs/${y!.code}` }),
      b.app.inject({ url: '/api/tags' }),
    ])
    for (const r of during) expect(r.statusCode).toBe(200)
    expect(cacheStatus(during[0]!)).toMatch(/redis-unavailable/)
    expect(cacheStatus(during[2]!)).toMatch(/fwd=bypass; detail="redis-unavailable"/)

    // A write while Redis is down commits; it cannot be announced yet.
    await a.runtime.write((trx) => trx.updateTable('clubs').set({ subtitle: 'written during the outage' }).where('id', '=', x!.id).execute())
    expect((await getJson(a.app, `/api/clubs/${x!.code}`)).body.subtitle).toBe('written during the outage')

    await redis.startServer() // a restarted Redis has lost everything
    const recovered = await until(async () => {
      const [ra, rb] = await Promise.all([getJson(a.app, `/api/clubs/${x!.code}`), getJson(b.app, `/api/clubs/${x!.code}`)])
      // Recovered: real hits on both instances, not grace copies (also labelled "hit").
      const real = (r: typeof ra) => r.body.subtitle === 'written during the outage' && /^quad; hit; detail="l[12]"$/.test(cacheStatus(r.res))
      return real(ra) && real(rb)
    }, 10_000)
    expect(recovered).toBeLessThan(10_000)

    // Back to normal: shared entries, cross-instance invalidation.
    await b.runtime.write((trx) => trx.updateTable('clubs').set({ subtitle: 'after recovery' }).where('id', '=', x!.id).execute())
    expect((await getJson(a.app, `/api/clubs/${x!.code}`)).body.subtitle).toBe('after recovery')
    expect((await getJson(b.app, `/api/clubs/${x!.code}`)).body.subtitle).toBe('after recovery')
    // The directory models learned nothing while Redis was away: they reload, then follow again.
    for (const q of [a, b]) {
      const cards = (await getJson(q.app, '/api/clubs')).body.clubs as { code: string; subtitle: string }[]
      expect(cards.find((c) => c.code === x!.code)?.subtitle).toBe('after recovery')
    }
  })
})

describe('PostgreSQL down: grace copies for reads, fast 503 for the rest', () => {
  let pg: ThrowawayPostgres
  let q: QuadInstance

  beforeAll(async () => {
    pg = await ThrowawayPostgres.start()
    const env = { NODE_ENV: 'test', DATABASE_URL: pg.url, REDIS_URL: 'redis://127.0.0.1:6379', QUAD_SEED_DEMO: '0', QUAD_SECRET: 'x'.repeat(40) }
    const database = await openDatabase(loadConfig(env).db)
    await migrateToLatest(database.db)
    await seed(database.db, { scale: 'demo' })
    await database.close()
    const runtime = await createRuntime(loadConfig(env), { cache: { prefix: `quadt:${randomBytes(4).toString('hex')}:` } })
    const app = await buildApp(runtime)
    q = { app, runtime, close: async () => (await app.close(), await runtime.close()) }
  }, 120_000)
  afterAll(async () => {
    await q?.close()
    await pg?.destroy()
  })

  it('serves a stale copy within grace, refuses uncached work with 503 + Retry-After, and recovers', async () => {
    const [x] = await publicClubs(q)
    const url = `/api/clubs/${x!.code}`
    const before = await getJson(q.app, url)
    await q.runtime.write((trx) => trx.updateTable('clubs').set({ subtitle: 'not yet seen' }).where('id', '=', x!.id).execute())
    await pg.stopServer('fast')

    const grace = await getJson(q.app, url)
    expect(grace.res.statusCode).toBe(200)
    expect(cacheStatus(grace.res)).toMatch(/^quad; hit; ttl=-\d+; detail="database-unavailable"$/)
    expect(grace.body.subtitle).toBe(before.body.subtitle)

    // The directory model is in memory: any variant is computed from it, labelled as a grace copy.
    const search = await getJson(q.app, '/api/clubs?q=nothing-cached')
    expect(search.res.statusCode).toBe(200)
    expect(cacheStatus(search.res)).toMatch(/^quad; hit; ttl=-\d+; detail="database-unavailable"$/)

    const cold = await getJson(q.app, '/api/events?type=info_session')
    expect(cold.res.statusCode).toBe(503)
    expect(cold.res.headers['retry-after']).toBeDefined()
    expect(cold.body.error.code).toBe('UNAVAILABLE')

    const c = new Client(q.app)
    await c.get('/api/me').catch(() => undefined)
    const t0 = performance.now()
    const write = await c.post('/api/auth/signup', { email: 'down@example.org', password: 'a long enough password', name: 'Down' })
    expect(write.statusCode).toBe(503)
    expect(performance.now() - t0).toBeLessThan(2000)

    await pg.startServer()
    await until(async () => (await getJson(q.app, url)).body.subtitle === 'not yet seen', 15_000)
  }, 60_000)
})
