import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import zlib from 'node:zlib'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD } from '../seed/generate.js'
import { cacheStatus, getJson, queryCount } from '../../test/helpers/http.js'
import { createTestEnv, type QuadInstance, type TestEnv } from '../../test/helpers/quad.js'
import { Client } from '../../test/helpers/session.js'

const run = promisify(execFile)

async function firstPublicClub(q: QuadInstance, offset = 0) {
  return q.runtime.db
    .selectFrom('clubs')
    .where('status', '=', 'approved')
    .where('active', '=', true)
    .where('archived_at', 'is', null)
    .select(['id', 'code', 'name'])
    .orderBy('id')
    .offset(offset)
    .limit(1)
    .executeTakeFirstOrThrow()
}

async function until(fn: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const t0 = Date.now()
  while (Date.now() - t0 < timeoutMs) {
    if (await fn()) return Date.now() - t0
    await new Promise((r) => setTimeout(r, 10))
  }
  throw new Error(`condition not met within ${timeoutMs} ms`)
}

describe('response cache on PostgreSQL + Redis, two instances', () => {
  let env: TestEnv
  let a: QuadInstance
  let b: QuadInstance

  beforeAll(async () => {
    env = await createTestEnv('postgres', { seed: 'demo', redis: true })
    a = await env.start()
    b = await env.start()
  })
  afterAll(async () => env?.close())

  it('stores ready-to-send bytes: identity, gzip and brotli variants of one body with a strong ETag', async () => {
    const raw = await a.app.inject({ url: '/api/clubs' })
    const gz = await a.app.inject({ url: '/api/clubs', headers: { 'accept-encoding': 'gzip' } })
    const br = await a.app.inject({ url: '/api/clubs', headers: { 'accept-encoding': 'gzip, deflate, br' } })
    expect(raw.headers['content-encoding']).toBeUndefined()
    expect(gz.headers['content-encoding']).toBe('gzip')
    expect(br.headers['content-encoding']).toBe('br')
    expect(zlib.gunzipSync(gz.rawPayload).equals(raw.rawPayload)).toBe(true)
    expect(zlib.brotliDecompressSync(br.rawPayload).equals(raw.rawPayload)).toBe(true)
    expect(br.rawPayload.length).toBeLessThan(raw.rawPayload.length / 4)
    expect(raw.headers.etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/)
    expect(gz.headers.etag).toBe(raw.headers.etag)
    expect(raw.headers.vary).toBe('accept-encoding')
  })

  it('answers If-None-Match with 304 without touching the database', async () => {
    const first = await b.app.inject({ url: '/api/tags' })
    const res = await b.app.inject({ url: '/api/tags', headers: { 'if-none-match': String(first.headers.etag) } })
    expect(res.statusCode).toBe(304)
    expect(res.body).toBe('')
    expect(queryCount(res)).toBe(0)
    expect(cacheStatus(res)).toContain('hit')
  })

  it('labels Cache-Status: miss, then L1 hit, then L2 hit on the other instance', async () => {
    const url = '/api/events?type=social'
    const m = await a.app.inject({ url })
    expect(cacheStatus(m)).toBe('quad; fwd=miss; stored')
    expect(queryCount(m)).toBeGreaterThan(0)
    const h1 = await a.app.inject({ url })
    expect(cacheStatus(h1)).toBe('quad; hit; detail="l1"')
    expect(queryCount(h1)).toBe(0)
    const h2 = await b.app.inject({ url })
    expect(cacheStatus(h2)).toBe('quad; hit; detail="l2"')
    expect(h2.body).toBe(m.body)
  })

  it('makes a write visible to every client on both instances as soon as the write returns', async () => {
    const club = await firstPublicClub(a)
    const url = `/api/clubs/${club.code}`
    for (const q of [a, b, a, b]) await q.app.inject({ url }) // warm L1 on both
    await a.runtime.write((trx) => trx.updateTable('clubs').set({ subtitle: 'Rewritten subtitle one' }).where('id', '=', club.id).execute())
    const onA = await getJson(a.app, url)
    const onB = await getJson(b.app, url)
    expect(onA.body.subtitle).toBe('Rewritten subtitle one')
    expect(onB.body.subtitle).toBe('Rewritten subtitle one')
    const list = await getJson(b.app, '/api/clubs')
    expect(list.body.clubs.find((c: any) => c.code === club.code).subtitle).toBe('Rewritten subtitle one')
  })

  it('invalidates within 1 s after a change made with plain SQL through psql', async () => {
    const club = await firstPublicClub(a, 1)
    const url = `/api/clubs/${club.code}`
    await a.app.inject({ url })
    expect(cacheStatus(await a.app.inject({ url }))).toContain('hit')
    const dbName = new URL(env.env.DATABASE_URL!).pathname.slice(1)
    const t0 = Date.now()
    await run('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', dbName, '-c', `update clubs set name = 'Renamed Outside' where id = ${club.id}`])
    const lag = await until(async () => (await getJson(a.app, url)).body.name === 'Renamed Outside' && (await getJson(b.app, url)).body.name === 'Renamed Outside', 1000)
    expect(Date.now() - t0).toBeLessThan(1500)
    expect(lag).toBeLessThan(1000)
  })

  it('does not lose a change committed late with a lower outbox id', async () => {
    const [x, y] = [await firstPublicClub(a, 2), await firstPublicClub(a, 3)]
    const conn = await a.runtime.database.pool.connect()
    try {
      // T1 takes an outbox id first but commits last.
      await conn.query('begin')
      await conn.query(`update clubs set subtitle = 'late committer' where id = $1`, [x.id])
      await a.runtime.write((trx) => trx.updateTable('clubs').set({ subtitle: 'early committer' }).where('id', '=', y.id).execute())
      const before = await getJson(b.app, `/api/clubs/${x.code}`)
      expect(before.body.subtitle).not.toBe('late committer')
      await conn.query('commit')
    } finally {
      conn.release()
    }
    await until(async () => (await getJson(b.app, `/api/clubs/${x.code}`)).body.subtitle === 'late committer', 1000)
  })

  it('gives the writer a signed read-your-writes token that every instance honours', async () => {
    const c = new Client(b.app)
    await c.login('student@quad.local', DEMO_PASSWORD)
    const club = await firstPublicClub(a, 4)
    const res = await c.post('/api/auth/logout') // any request; tokens only come from writes
    expect(res.headers['set-cookie'] ?? '').not.toContain('quad_ryw')
    let token = ''
    await a.app.inject({ url: `/api/clubs/${club.code}` })
    // A write made inside a request: issue it through a request scope on instance a.
    const { newScope, runInScope } = await import('../db/scope.js')
    const scope = newScope()
    await runInScope(scope, () => a.runtime.write((trx) => trx.updateTable('clubs').set({ subtitle: 'token write' }).where('id', '=', club.id).execute()))
    expect(scope.wroteClock).toBeGreaterThan(0)
    token = a.runtime.cache.ryw.sign(scope.wroteClock)
    expect(b.runtime.cache.ryw.verify(token)).toBe(scope.wroteClock)
    expect(b.runtime.cache.ryw.verify(token.replace(/.$/, (ch) => (ch === 'A' ? 'B' : 'A')))).toBeNull()
    const fresh = await b.app.inject({ url: `/api/clubs/${club.code}`, headers: { cookie: `quad_ryw=${token}` } })
    expect(JSON.parse(fresh.body).subtitle).toBe('token write')
  })

  it('serves soft staleness (bookmark counters) within the budget while refreshing once', async () => {
    const club = await firstPublicClub(a, 5)
    const url = `/api/clubs/${club.code}`
    const before = (await getJson(a.app, url)).body.favorite_count
    await a.runtime.write((trx) => trx.insertInto('bookmarks').values({ user_id: 4, club_id: club.id }).onConflict((oc) => oc.doNothing()).execute())
    const served = await a.app.inject({ url })
    expect(cacheStatus(served)).toMatch(/^quad; hit; ttl=-\d+; detail="stale-while-revalidate"$/)
    expect(JSON.parse(served.body).favorite_count).toBe(before)
    await until(async () => (await getJson(a.app, url)).body.favorite_count === before + 1, 2000)
  })

  it('keeps pages whose rows did not change fresh: a bookmark or edit elsewhere is no invalidation', async () => {
    const [x, y] = [await firstPublicClub(a, 8), await firstPublicClub(a, 9)]
    const app = await a.runtime.db.selectFrom('club_applications').where('club_id', '<>', y.id).where('active', '=', true).select('id').orderBy('id').executeTakeFirstOrThrow()
    await a.app.inject({ url: `/api/clubs/${x.code}` })
    await a.app.inject({ url: `/api/applications/${app.id}` })
    await a.runtime.write(async (trx) => {
      await trx.insertInto('bookmarks').values({ user_id: 4, club_id: y.id }).onConflict((oc) => oc.doNothing()).execute()
      await trx.updateTable('clubs').set({ subtitle: 'elsewhere' }).where('id', '=', y.id).execute()
    })
    expect(cacheStatus(await a.app.inject({ url: `/api/clubs/${x.code}` }))).toBe('quad; hit; detail="l1"')
    expect(cacheStatus(await a.app.inject({ url: `/api/applications/${app.id}` }))).toBe('quad; hit; detail="l1"')
  })

  it('serves logged-in users from the shared cache with bytes identical to anonymous ones', async () => {
    const alice = await new Client(a.app).login('student@quad.local', DEMO_PASSWORD)
    const bob = await new Client(a.app).login('officer@quad.local', DEMO_PASSWORD)
    const anon = new Client(a.app)
    const club = await firstPublicClub(a, 6)
    const fair = await a.runtime.db.selectFrom('fairs').select('id').orderBy('id').executeTakeFirstOrThrow()
    const routes = ['/api/clubs', `/api/clubs/${club.code}`, '/api/tags', '/api/badges', '/api/events', '/api/fairs', `/api/fairs/${fair.id}`, '/api/clubs/not-a-club', '/api/clubs?q=chess']
    const cacheable = a.app.printRoutes({ commonPrefix: false })
    for (const r of ['/api/clubs', '/api/tags', '/api/badges', '/api/events', '/api/fairs']) expect(cacheable).toContain(r)
    for (const url of routes) {
      const ra = await alice.get(url)
      const rb = await bob.get(url)
      const rn = await anon.get(url)
      expect(rb.rawPayload.equals(ra.rawPayload), url).toBe(true)
      expect(rn.rawPayload.equals(ra.rawPayload), url).toBe(true)
      expect(cacheStatus(rb), url).toMatch(url.endsWith('not-a-club') ? /fwd=uri-miss/ : /hit/)
      for (const r of [ra, rb, rn]) {
        expect(r.headers['set-cookie'], url).toBeUndefined()
        expect(r.headers['cache-control'], url).toBe('public, no-cache')
      }
    }
    // Nothing in Redis mentions a session or a user's email.
    const redis = a.runtime.cache.redis!
    const keys = await redis.keys(`${a.runtime.cache.prefix}e:*`)
    expect(keys.length).toBeGreaterThan(0)
    for (const k of keys) {
      const raw = await redis.hget(k, 'raw')
      expect(raw).not.toMatch(/student@quad\.local|officer@quad\.local|quad_session/)
    }
  })

  it('collapses a herd: 500 concurrent requests on a cold key cost one database recompute across two instances', async () => {
    const url = '/api/events?type=workshop'
    const fillsBefore = a.runtime.cache.events.fills + b.runtime.cache.events.fills
    const res = await Promise.all(Array.from({ length: 500 }, (_, i) => (i % 2 ? a : b).app.inject({ url })))
    expect(res.every((r) => r.statusCode === 200)).toBe(true)
    expect(new Set(res.map((r) => r.body)).size).toBe(1)
    expect(a.runtime.cache.events.fills + b.runtime.cache.events.fills - fillsBefore).toBe(1)
  })

  it('collapses a herd on a just-invalidated key too', async () => {
    const club = await firstPublicClub(a, 7)
    const url = `/api/clubs/${club.code}`
    await a.app.inject({ url })
    await b.app.inject({ url })
    await a.runtime.write((trx) => trx.updateTable('clubs').set({ subtitle: 'herd' }).where('id', '=', club.id).execute())
    const fillsBefore = a.runtime.cache.events.fills + b.runtime.cache.events.fills
    const res = await Promise.all(Array.from({ length: 500 }, (_, i) => (i % 2 ? a : b).app.inject({ url })))
    expect(res.every((r) => JSON.parse(r.body).subtitle === 'herd')).toBe(true)
    expect(a.runtime.cache.events.fills + b.runtime.cache.events.fills - fillsBefore).toBe(1)
  })

  it('keeps one small version key per touched dependency and no dependency-to-keys index', async () => {
    const redis = a.runtime.cache.redis!
    const prefix = a.runtime.cache.prefix!
    const all = await redis.keys(`${prefix}*`)
    const kinds = new Set(all.map((k) => k.slice(prefix.length).split(':')[0]))
    expect([...kinds].every((k) => ['v', 'e', 'z', 'applied', 'clock', 'epoch', 'cursor', 'lease', 'rl'].includes(k!))).toBe(true)
    const versions = all.filter((k) => k.startsWith(`${prefix}v:`))
    for (const k of versions.slice(0, 50)) expect(await redis.type(k)).toBe('string')
  })

  it('counts hits, misses, stale serves, fills and invalidation lag', async () => {
    const ev = a.runtime.cache.events
    expect(ev.count('GET /api/clubs', 'computed')).toBeGreaterThan(0)
    expect(ev.count('GET /api/events', 'miss') + ev.count('GET /api/events', 'collapsed')).toBeGreaterThan(0)
    expect(ev.count('GET /api/clubs/:code', 'hit-l1')).toBeGreaterThan(0)
    expect(ev.count('GET /api/clubs/:code', 'stale-served')).toBeGreaterThan(0)
    expect(ev.fills).toBeGreaterThan(0)
    expect(ev.lastLagMs).toBeGreaterThan(0)
    const n = await sql<{ n: number }>`select count(*)::int as n from cache_outbox`.execute(a.runtime.db)
    expect(n.rows[0]!.n).toBeGreaterThan(0)
  })
})
