import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newScope, runInScope } from '../db/scope.js'
import { burst, percentile, startOwn, type OwnInstance } from '../../test/helpers/instance.js'
import { cacheStatus, queryCount } from '../../test/helpers/http.js'
import { createTestEnv, type TestEnv } from '../../test/helpers/quad.js'
import { AdmissionGate, OverloadedError } from './admission.js'
import { opsSummary } from './summary.js'

const asRequest = <T>(fn: () => T): T => runInScope(newScope(), fn)
const tick = () => new Promise((r) => setImmediate(r))

describe('admission gate', () => {
  it('admits up to max, queues FIFO, and hands a released slot to the oldest waiter', async () => {
    const gate = new AdmissionGate({ name: 't', max: 2, queueMax: 3, waitMs: 1000 })
    const r1 = await asRequest(() => gate.acquire())
    const r2 = await asRequest(() => gate.acquire())
    const order: number[] = []
    const waiting = [3, 4, 5].map((n) => asRequest(() => gate.acquire()).then((release) => (order.push(n), release)))
    await tick()
    expect(gate.stats()).toMatchObject({ inUse: 2, waiting: 3 })
    r1()
    r1() // releasing twice must not free a second slot
    const r3 = await waiting[0]!
    expect(gate.stats()).toMatchObject({ inUse: 2, waiting: 2 })
    r2()
    r3()
    const rest = await Promise.all(waiting.slice(1))
    expect(order).toEqual([3, 4, 5])
    rest.forEach((r) => r())
    expect(gate.stats()).toMatchObject({ inUse: 0, waiting: 0, peakInUse: 2, admitted: 5 })
  })

  it('sheds at once when the queue is full and after the deadline when waiting too long', async () => {
    const shed: string[] = []
    const gate = new AdmissionGate({ name: 't', max: 1, queueMax: 1, waitMs: 100, onShed: (r) => shed.push(r) })
    const held = await asRequest(() => gate.acquire())
    const queued = asRequest(() => gate.acquire())
    const t0 = performance.now()
    const full = await asRequest(() => gate.acquire()).catch((e) => e)
    expect(full).toBeInstanceOf(OverloadedError)
    expect(full).toMatchObject({ status: 503, code: 'OVERLOADED', reason: 'queue_full', headers: { 'retry-after': '1' } })
    expect(performance.now() - t0).toBeLessThan(20)
    const late = await queued.catch((e) => e)
    expect(late).toMatchObject({ code: 'OVERLOADED', reason: 'deadline' })
    expect(performance.now() - t0).toBeGreaterThanOrEqual(95)
    expect(shed).toEqual(['queue_full', 'deadline'])
    held()
    expect(gate.stats()).toMatchObject({ inUse: 0, waiting: 0, shed: { queue_full: 1, deadline: 1 } })
  })

  it("lets a request that already ran a query finish before new requests, even with the queue full", async () => {
    const gate = new AdmissionGate({ name: 't', max: 1, queueMax: 1, waitMs: 1000 })
    const started = newScope()
    const first = await runInScope(started, () => gate.acquire())
    first() // its first query is done; the request goes on
    const other = await asRequest(() => gate.acquire())
    const order: string[] = []
    const queued = asRequest(() => gate.acquire()).then((r) => (order.push('new'), r))
    await expect(asRequest(() => gate.acquire())).rejects.toMatchObject({ reason: 'queue_full' })
    const second = runInScope(started, () => gate.acquire()).then((r) => (order.push('continuing'), r))
    await tick()
    expect(gate.stats()).toMatchObject({ inUse: 1, waiting: 2, shed: { queue_full: 1, deadline: 0 } })
    other()
    ;(await second)()
    ;(await queued)()
    expect(order).toEqual(['continuing', 'new'])
  })

  it('refuses at once a newcomer the pool could not serve before the deadline', async () => {
    const gate = new AdmissionGate({ name: 't', max: 1, queueMax: 100, waitMs: 1000 })
    const warm = await asRequest(() => gate.acquire())
    await new Promise((r) => setTimeout(r, 600))
    warm() // a request holds a connection for 600 ms (up to 1 s on a busy machine)
    const held = await asRequest(() => gate.acquire())
    const fits = asRequest(() => gate.acquire()) // one hold ahead of it: within the deadline
    const t0 = performance.now()
    await expect(asRequest(() => gate.acquire())).rejects.toMatchObject({ reason: 'queue_full' }) // two holds: past it
    expect(performance.now() - t0).toBeLessThan(50)
    held()
    ;(await fits)()
    expect(gate.stats().shed).toEqual({ queue_full: 1, deadline: 0 })
  })

  it('never sheds work outside a request and serves it before queued requests', async () => {
    const gate = new AdmissionGate({ name: 't', max: 1, queueMax: 0, waitMs: 50 })
    const held = await asRequest(() => gate.acquire())
    await expect(asRequest(() => gate.acquire())).rejects.toMatchObject({ reason: 'queue_full' })
    const system = gate.acquire() // no request scope: the invalidator, a readiness probe
    await new Promise((r) => setTimeout(r, 80)) // longer than the request deadline
    held()
    const release = await system
    expect(gate.stats().inUse).toBe(1)
    release()
    expect(gate.stats().inUse).toBe(0)
  })
})

describe('admission control under overload (PostgreSQL)', () => {
  const POOL = 2
  const QUEUE = 4
  const DEADLINE_MS = 1500
  const SLEEP_S = 0.25
  let env: TestEnv
  let q: OwnInstance
  let base: string

  beforeAll(async () => {
    env = await createTestEnv('postgres', { seed: 'demo' })
    q = await startOwn(env, {
      env: { QUAD_DB_POOL_MAX: String(POOL), QUAD_DB_QUEUE_MAX: String(QUEUE), QUAD_DB_QUEUE_TIMEOUT_MS: String(DEADLINE_MS) },
      routes(app) {
        // An uncached request that holds a connection for a while, like a heavy private page.
        app.get('/api/test/slow', { config: { queryBudget: 1 } }, async (req) => {
          const s = Number((req.query as { s?: string }).s ?? SLEEP_S)
          await sql`select pg_sleep(${s})`.execute(app.runtime.db)
          return { ok: true }
        })
      },
    })
    base = await q.listen()
  })
  afterAll(async () => {
    await q?.close()
    await env?.close()
  })

  const timed = async (url: string) => {
    const t0 = performance.now()
    const res = await fetch(base + url)
    const body = (await res.json()) as any
    const ms = performance.now() - t0
    const server = Number(/total;dur=([\d.]+)/.exec(res.headers.get('server-timing') ?? '')?.[1] ?? NaN)
    return { status: res.status, body, retryAfter: res.headers.get('retry-after'), ms, server, headers: res.headers }
  }

  it('completes what the pool and queue admit and sheds the excess fast, while cache hits still answer', async () => {
    const warm = await timed('/api/tags')
    expect(warm.status).toBe(200)
    const gate = q.runtime.ops.gates.web
    const shedBefore = gate.stats().shed.queue_full

    const N = 30
    const load = burst(`${base}/healthz`, `${base}/api/test/slow`, N)
    // Once the pool is busy and the queue full, a cached read must still answer at once.
    const t0 = performance.now()
    while (gate.stats().shed.queue_full === shedBefore && performance.now() - t0 < 10_000) await new Promise((r) => setTimeout(r, 2))
    expect(gate.stats().inUse).toBe(POOL)
    const hit = await timed('/api/tags')
    const results = await load

    const admitted = results.filter((r) => r.status === 200)
    const shed = results.filter((r) => r.status === 503)
    expect(admitted.length + shed.length).toBe(N)
    // Pool + queue, less one when the cache invalidator's poll held a connection as the burst came.
    expect(admitted.length).toBeGreaterThanOrEqual(POOL + QUEUE - 1)
    expect(shed.length).toBeGreaterThan(0)
    for (const r of shed) {
      expect(r.code).toBe('OVERLOADED')
      expect(Number(r.retryAfter)).toBeGreaterThan(0)
    }
    const ms = (rs: typeof results) => rs.map((r) => r.ms)
    const shedP99 = percentile(ms(shed), 99)
    const admittedP99 = percentile(ms(admitted), 99)
    // A refusal costs the server a few milliseconds; seen from the client it stays far below the
    // wait deadline (what is left is the server working through 30 requests on a busy machine).
    expect(percentile(shed.map((r) => r.serverMs ?? Infinity), 99)).toBeLessThan(50)
    expect(percentile(ms(shed), 50)).toBeLessThan(SLEEP_S * 1000)
    expect(shedP99).toBeLessThan(DEADLINE_MS / 2)
    // Admitted requests waited at most (POOL + QUEUE) / POOL handler rounds, never the deadline.
    expect(admittedP99).toBeLessThan(DEADLINE_MS + SLEEP_S * 1000)
    expect(gate.stats().peakInUse).toBeLessThanOrEqual(POOL)

    // The cached read never waited for a connection.
    expect(hit.status).toBe(200)
    expect(hit.headers.get('cache-status')).toContain('hit')
    expect(hit.ms).toBeLessThan(SLEEP_S * 1000)

    const round = (n: number) => Math.round(n * 10) / 10
    const summary = {
      requests: N,
      admitted: admitted.length,
      shed: shed.length,
      admitted_p50_ms: round(percentile(ms(admitted), 50)),
      admitted_p99_ms: round(admittedP99),
      shed_p50_ms: round(percentile(ms(shed), 50)),
      shed_p99_ms: round(shedP99),
      shed_max_ms: round(Math.max(...ms(shed))),
      shed_in_server_p99_ms: round(percentile(shed.map((r) => r.serverMs ?? 0), 99)),
      cache_hit_during_overload_ms: round(hit.ms),
    }
    console.info(`overload (pool ${POOL}, queue ${QUEUE}, deadline ${DEADLINE_MS} ms, ${SLEEP_S * 1000} ms handler):`, JSON.stringify(summary))

    const metrics = await (await fetch(`${base}/metrics`)).text()
    const shedCount = /quad_db_shed_total\{pool="web",reason="queue_full"\} (\d+)/.exec(metrics)
    expect(Number(shedCount?.[1])).toBe(shedBefore + shed.length)
    expect(metrics).toMatch(/quad_http_requests_total\{method="GET",route="\/api\/test\/slow",status="503"\} \d+/)
    const dashboard = opsSummary(q.runtime)
    expect(dashboard.routes.find((r) => r.route === 'GET /api/test/slow')?.shed).toBe(shedBefore + shed.length)
    expect(dashboard.requests.shed).toBe(shedBefore + shed.length)
    expect(dashboard.pools[0]).toMatchObject({ name: 'web', max: POOL, queue_max: QUEUE, peak_in_use: POOL })
  })

  it('sheds requests whose wait passes the deadline', async () => {
    // Two requests hold both connections past the deadline; the queued ones give up at the deadline.
    const hold = [0, 1].map(() => timed('/api/test/slow?s=1.8'))
    await new Promise((r) => setTimeout(r, 100))
    const waiting = await Promise.all([0, 1, 2].map(() => timed('/api/test/slow?s=0')))
    expect((await Promise.all(hold)).map((h) => h.status)).toEqual([200, 200])
    for (const w of waiting) {
      expect(w.status).toBe(503)
      expect(w.body.error.code).toBe('OVERLOADED')
      expect(w.ms).toBeGreaterThanOrEqual(DEADLINE_MS - 20)
      expect(w.ms).toBeLessThan(DEADLINE_MS + 400)
    }
    expect(q.runtime.ops.gates.web.stats().shed.deadline).toBe(3)
  })

  it('reports pool state and queries per request in Server-Timing and metrics', async () => {
    const res = await q.app.inject({ method: 'GET', url: '/api/test/slow?s=0' })
    expect(res.statusCode).toBe(200)
    expect(queryCount(res)).toBe(1)
    const fresh = await q.app.inject({ method: 'GET', url: '/api/badges' })
    expect(cacheStatus(fresh)).toBeTruthy()
    const text = await q.runtime.ops.metrics.text()
    // The cache invalidator's poll may hold a connection at the moment of the scrape.
    expect(Number(/quad_db_pool_in_use\{pool="web"\} (\d+)/.exec(text)?.[1])).toBeLessThanOrEqual(1)
    expect(text).toMatch(/quad_db_pool_waiting\{pool="web"\} \d+/)
    expect(text).toMatch(new RegExp(`quad_db_pool_max\\{pool="web"\\} ${POOL}`))
    expect(text).toMatch(/quad_db_pool_wait_seconds_count\{pool="web"\} \d+/)
  })

  it('refuses a cache fill before it builds its query when the pool is busy and the queue full', async () => {
    const gate = q.runtime.ops.gates.web
    const held = await Promise.all(Array.from({ length: POOL }, () => asRequest(() => gate.acquire())))
    const queued = Array.from({ length: QUEUE }, () => asRequest(() => gate.acquire()).catch(() => null))
    expect(gate.stats().inUse).toBe(POOL)
    expect(gate.stats().waiting).toBeGreaterThanOrEqual(QUEUE)
    let computed = false
    const refused = await q.runtime.cache.engine
      .get({
        route: 'test',
        key: 'admission:miss',
        policy: { budgetMs: 0, ttlMs: 60_000, graceMs: 0 },
        compute: async () => {
          computed = true
          return { status: 200, body: Buffer.from('{}'), deps: [], hardUntil: 0 }
        },
        ryw: null,
      })
      .catch((e: unknown) => e)
    held.forEach((release) => release())
    for (const release of await Promise.all(queued)) release?.()
    expect(refused).toBeInstanceOf(OverloadedError)
    expect(computed).toBe(false)
  })
})
