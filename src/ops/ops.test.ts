import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD } from '../seed/generate.js'
import { createTestDatabase, type TestDatabase } from '../../test/helpers/db.js'
import { startOwn, type OwnInstance } from '../../test/helpers/instance.js'
import { createTestEnv, type TestEnv } from '../../test/helpers/quad.js'
import { Client } from '../../test/helpers/session.js'
import { readiness } from './health.js'
import { shutdown } from './shutdown.js'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** The value of one Prometheus sample, e.g. sample(text, 'quad_x_total{route="/a"}'). */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `))
  return line === undefined ? undefined : Number(line.slice(series.length + 1))
}

describe('metrics, logs and the ops summary (PostgreSQL + Redis)', () => {
  let env: TestEnv
  let q: OwnInstance

  beforeAll(async () => {
    env = await createTestEnv('postgres', { seed: 'demo', redis: true })
    q = await startOwn(env, {
      env: { QUAD_SLOW_REQUEST_MS: '150', QUAD_SLOW_QUERY_MS: '100', QUAD_METRICS_TOKEN: 'scrape-token' },
      routes(app) {
        app.get('/api/test/sleep', { config: { queryBudget: 1 } }, async () => {
          await sql`select pg_sleep(0.2), ${'a literal'}::text`.execute(app.runtime.db)
          return { ok: true }
        })
      },
    })
  })
  afterAll(async () => {
    await q?.close()
    await env?.close()
  })

  it('returns a request id on every response, keeping a sane incoming one', async () => {
    const gen = await q.app.inject({ method: 'GET', url: '/api/tags' })
    expect(gen.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/)
    const kept = await q.app.inject({ method: 'GET', url: '/api/tags', headers: { 'x-request-id': 'lb-7f3a.42' } })
    expect(kept.headers['x-request-id']).toBe('lb-7f3a.42')
    for (const bad of ['has space', 'x'.repeat(200), 'quote"s', '']) {
      const res = await q.app.inject({ method: 'GET', url: '/api/tags', headers: { 'x-request-id': bad } })
      expect(res.headers['x-request-id'], bad).toMatch(/^[0-9a-f-]{36}$/)
    }
    const notFound = await q.app.inject({ method: 'GET', url: '/api/nope' })
    expect(notFound.statusCode).toBe(404)
    expect(notFound.headers['x-request-id']).toBeTruthy()
    const line = q.logs.find((l) => l.reqId === 'lb-7f3a.42' && l.msg === 'request completed')
    expect(line).toMatchObject({ route: '/api/tags', method: 'GET', status: 200, queries: 0, cache: expect.stringContaining('hit') })
  })

  it('logs slow requests and slow queries with route, request id and fingerprint', async () => {
    const res = await q.app.inject({ method: 'GET', url: '/api/test/sleep', headers: { 'x-request-id': 'slow-1' } })
    expect(res.statusCode).toBe(200)
    const slowReq = q.logs.find((l) => l.reqId === 'slow-1' && l.msg === 'slow request')
    expect(slowReq).toMatchObject({ level: 40, route: '/api/test/sleep', status: 200, queries: 1 })
    expect(slowReq!.ms).toBeGreaterThanOrEqual(150)
    const slowQuery = q.logs.find((l) => l.reqId === 'slow-1' && l.msg === 'slow query')
    expect(slowQuery).toMatchObject({ level: 40, route: '/api/test/sleep', pool: 'web', query: 'select pg_sleep(?), ?::text', fingerprint: expect.stringMatching(/^[0-9a-f]{12}$/) })
    expect(JSON.stringify(slowQuery)).not.toContain('a literal')
  })

  it('exposes Prometheus metrics: requests, latency, cache outcomes, queries, pools, lag, process', async () => {
    const denied = await q.app.inject({ method: 'GET', url: '/metrics' })
    expect(denied.statusCode).toBe(401)
    const scrape = async () => {
      const res = await q.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer scrape-token' } })
      expect(res.statusCode).toBe(200)
      expect(res.headers['content-type']).toMatch(/^text\/plain/)
      return res.body
    }
    const before = await scrape()
    const miss0 = sample(before, 'quad_cache_requests_total{route="GET /api/fairs",outcome="miss"}') ?? 0
    await q.app.inject({ method: 'GET', url: '/api/fairs' })
    await q.app.inject({ method: 'GET', url: '/api/fairs' })
    await q.app.inject({ method: 'GET', url: '/api/clubs/no-such-club' })
    // A write from outside Quad (psql, a job): the invalidator picks it up and reports its lag.
    const lagCount = () => q.runtime.ops.metrics.invalidationLagSeconds.get().then((m) => m.values.find((v) => v.metricName?.endsWith('_count'))?.value ?? 0)
    const lag0 = await lagCount()
    await sql`update fairs set name = name || '' where id = (select min(id) from fairs)`.execute(q.runtime.db)
    for (let i = 0; i < 100 && (await lagCount()) === lag0; i++) await sleep(50)
    await q.app.inject({ method: 'GET', url: '/api/fairs' })

    const text = await scrape()
    expect(sample(text, 'quad_cache_requests_total{route="GET /api/fairs",outcome="miss"}')).toBe(miss0 + 1)
    expect(sample(text, 'quad_cache_requests_total{route="GET /api/fairs",outcome="hit-l1"}')).toBeGreaterThanOrEqual(1)
    expect(sample(text, 'quad_cache_requests_total{route="GET /api/fairs",outcome="stale-refresh"}')).toBe(1)
    expect(sample(text, 'quad_cache_fills_total{route="GET /api/fairs",stored="fresh"}')).toBeGreaterThanOrEqual(2)
    expect(sample(text, 'quad_http_requests_total{method="GET",route="/api/fairs",status="200"}')).toBeGreaterThanOrEqual(3)
    expect(sample(text, 'quad_http_requests_total{method="GET",route="/api/clubs/:code",status="404"}')).toBe(1)
    expect(sample(text, 'quad_http_request_duration_seconds_count{method="GET",route="/api/fairs"}')).toBeGreaterThanOrEqual(3)
    expect(text).toMatch(/quad_http_request_duration_seconds_bucket\{le="0.005",method="GET",route="\/api\/fairs"\} \d+/)
    expect(sample(text, 'quad_db_queries_per_request_bucket{le="0",route="/api/fairs"}')).toBeGreaterThanOrEqual(1)
    expect(sample(text, 'quad_db_queries_per_request_sum{route="/api/test/sleep"}')).toBe(1)
    expect(sample(text, 'quad_http_slow_requests_total{route="/api/test/sleep"}')).toBe(1)
    expect(sample(text, 'quad_db_slow_queries_total{pool="web"}')).toBeGreaterThanOrEqual(1)
    expect(sample(text, 'quad_cache_invalidation_lag_seconds_count')).toBeGreaterThanOrEqual(1)
    expect(sample(text, 'quad_db_pool_in_use{pool="report"}')).toBe(0)
    expect(sample(text, 'quad_db_pool_max{pool="report"}')).toBe(2)
    expect(sample(text, 'quad_cache_l1_entries')).toBeGreaterThanOrEqual(1)
    expect(text).toMatch(/^nodejs_eventloop_lag_p99_seconds [\d.e-]+$/m)
    expect(text).toMatch(/^process_resident_memory_bytes \d+$/m)
    expect(text).toMatch(/^quad_watchdog_leader 0$/m)
  })

  it('serves the ops summary to administrators only', async () => {
    expect((await q.app.inject({ method: 'GET', url: '/api/admin/ops' })).statusCode).toBe(401)
    const student = await new Client(q.app).login('student@quad.local', DEMO_PASSWORD)
    expect((await student.get('/api/admin/ops')).statusCode).toBe(403)
    const admin = await new Client(q.app).login('admin@quad.local', DEMO_PASSWORD)
    for (let i = 0; i < 5; i++) await q.app.inject({ method: 'GET', url: '/api/tags' })
    const res = await admin.get('/api/admin/ops')
    expect(res.statusCode).toBe(200)
    expect(res.headers['cache-control']).toBe('private, no-store')
    const s = res.json()
    expect(s.instance).toMatchObject({ database: 'postgres', cache: 'redis', env: 'test' })
    expect(s.requests.count).toBeGreaterThan(10)
    expect(s.requests.rate_per_s).toBeGreaterThan(0)
    expect(s.requests.by_status['2xx']).toBeGreaterThan(0)
    expect(s.requests.slow).toBeGreaterThanOrEqual(1)
    const tags = s.routes.find((r: any) => r.route === 'GET /api/tags')
    expect(tags.count).toBeGreaterThanOrEqual(5)
    expect(tags.cache.hits).toBeGreaterThanOrEqual(5)
    expect(tags.cache.hit_ratio).toBeGreaterThan(0.5)
    expect(tags.p50_ms).toBeGreaterThan(0)
    expect(tags.p99_ms).toBeGreaterThanOrEqual(tags.p50_ms)
    const sleepRoute = s.routes.find((r: any) => r.route === 'GET /api/test/sleep')
    expect(sleepRoute.p50_ms).toBeGreaterThanOrEqual(190)
    expect(sleepRoute.queries_avg).toBe(1)
    expect(s.pools.map((p: any) => p.name)).toEqual(['web', 'report'])
    expect(s.pools[0]).toMatchObject({ max: 10, waiting: 0, shed_total: 0 })
    expect(s.pools[0].in_use).toBeLessThanOrEqual(2) // this request's lookups, the invalidator's poll
    expect(s.cache.hit_ratio).toBeGreaterThan(0)
    expect(s.watchdog).toMatchObject({ enabled: false, cancels: 0 })
    expect(s.process.rss_bytes).toBeGreaterThan(10_000_000)
  })
})

describe('health and graceful shutdown', () => {
  let env: TestEnv
  let extra: TestDatabase | null = null
  const started: OwnInstance[] = []
  const start = async (e: NodeJS.ProcessEnv = {}, slow = false) => {
    const q = await startOwn(env, {
      env: e,
      routes: slow
        ? (app) =>
            app.get('/api/test/slow', { config: { queryBudget: 1 } }, async (req) => {
              await sql`select pg_sleep(${Number((req.query as { s: string }).s)})`.execute(app.runtime.db)
              return { ok: true }
            })
        : undefined,
    })
    started.push(q)
    return q
  }

  beforeAll(async () => {
    env = await createTestEnv('postgres', { redis: true })
  })
  afterAll(async () => {
    for (const q of started) await q.close().catch(() => {})
    await env?.close()
    await extra?.drop()
  })

  it('is alive and ready when the database, migrations and Redis are', async () => {
    const q = await start()
    const live = await q.app.inject({ method: 'GET', url: '/healthz' })
    expect(live.statusCode).toBe(200)
    expect(live.json()).toEqual({ status: 'alive' })
    const ready = await q.app.inject({ method: 'GET', url: '/readyz' })
    expect(ready.statusCode).toBe(200)
    expect(ready.json()).toMatchObject({ status: 'ready', checks: { database: { ok: true }, migrations: { ok: true }, redis: { ok: true } } })
    // Probes are not access-logged at info level.
    expect(q.logs.some((l) => l.route === '/readyz' && l.msg === 'request completed')).toBe(false)
  })

  it('is not ready when Redis is configured but down, or migrations are missing', async () => {
    const noRedis = await start({ REDIS_URL: 'redis://127.0.0.1:1' })
    const r = await noRedis.app.inject({ method: 'GET', url: '/readyz' })
    expect(r.statusCode).toBe(503)
    expect(r.headers['retry-after']).toBeTruthy()
    expect(r.json()).toMatchObject({ status: 'not_ready', checks: { database: { ok: true }, migrations: { ok: true }, redis: { ok: false } } })
    expect((await noRedis.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200)

    extra = await createTestDatabase()
    const bare = await start({ DATABASE_URL: extra.url, REDIS_URL: '' })
    const m = await bare.app.inject({ method: 'GET', url: '/readyz' })
    expect(m.statusCode).toBe(503)
    expect(m.json()).toMatchObject({ status: 'not_ready', checks: { database: { ok: true }, migrations: { ok: false, error: expect.stringMatching(/quad migrate/) }, redis: null } })
  })

  it('finishes in-flight requests, refuses new connections, then closes pools and the watchdog', async () => {
    const q = await start({ QUAD_WATCHDOG_INTERVAL_MS: '200' }, true)
    const base = await q.listen()
    await sleep(300) // the watchdog has connected
    const inflight = fetch(`${base}/api/test/slow?s=0.6`).then(async (r) => ({ status: r.status, body: await r.json() }))
    await sleep(100)
    const stopping = shutdown(q.app, q.runtime, 5000)
    await sleep(50)
    expect((await readiness(q.runtime)).status).toBe('shutting_down')
    await expect(fetch(`${base}/healthz`)).rejects.toThrow()
    expect(await inflight).toEqual({ status: 200, body: { ok: true } })
    const result = await stopping
    expect(result.forced).toBe(false)
    expect(q.runtime.database.pool.totalCount).toBe(0)
    expect(q.runtime.ops.watchdog!.stats().enabled).toBe(false)
    await expect(sql`select 1`.execute(q.runtime.db)).rejects.toThrow()
  })

  it('cuts requests that outlive the shutdown limit', async () => {
    const q = await start({}, true)
    const base = await q.listen()
    const inflight = fetch(`${base}/api/test/slow?s=1.5`).then(
      (r) => r.status,
      () => 'cut',
    )
    await sleep(100)
    const result = await shutdown(q.app, q.runtime, 300)
    expect(result.forced).toBe(true)
    // The limit, then the pools close once the cut request's statement ends (bounded by its timeout).
    expect(result.ms).toBeLessThan(300 + 2000 + 500)
    expect(await inflight).toBe('cut')
  })
})
