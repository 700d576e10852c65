import http from 'node:http'
import zlib from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ThrowawayRedis } from '../../bench/services.js'
import { type QuadInstance, type TestEnv, twoInstancesWithOwnRedis } from '../../test/helpers/quad.js'
import { RYW_COOKIE } from '../cache/ryw.js'
import { LoopLag } from '../ops/loop-lag.js'
import { FrontDoor } from './front-door.js'

interface Got {
  status: number
  headers: http.IncomingHttpHeaders
  body: Buffer
}

/** A real HTTP request (inject would bypass the server, and with it the front door). */
function get(base: string, path: string, headers: Record<string, string> = {}): Promise<Got> {
  return new Promise((resolve, reject) => {
    http
      .get(`${base}${path}`, { headers, agent: false }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }))
      })
      .on('error', reject)
  })
}

const json = (g: Got) => JSON.parse((g.headers['content-encoding'] === 'br' ? zlib.brotliDecompressSync(g.body) : g.headers['content-encoding'] === 'gzip' ? zlib.gunzipSync(g.body) : g.body).toString())

describe('the front door: cache hits before the framework, on two instances', () => {
  let redis: ThrowawayRedis
  let env: TestEnv
  let a: QuadInstance
  let b: QuadInstance
  let baseB: string
  let code: string
  const served = (q: QuadInstance) => q.app.cacheDeps.frontDoor.served

  beforeAll(async () => {
    ;({ redis, env, a, b } = await twoInstancesWithOwnRedis())
    await b.app.listen({ host: '127.0.0.1', port: 0 })
    const addr = b.app.server.address() as { port: number }
    baseB = `http://127.0.0.1:${addr.port}`
    code = (await a.runtime.db.selectFrom('clubs').where('status', '=', 'approved').where('archived_at', 'is', null).select('code').orderBy('id').executeTakeFirstOrThrow()).code
  })
  afterAll(async () => {
    await env?.close()
    await redis?.destroy()
  })

  it('answers a known URL with the route’s own bytes and headers, and 304 on a matching ETag', async () => {
    const path = `/api/clubs/${code}`
    const first = await get(baseB, path, { 'accept-encoding': 'gzip' })
    expect(first.status).toBe(200)
    const before = served(b)
    const again = await get(baseB, path, { 'accept-encoding': 'gzip' })
    expect(served(b)).toBe(before + 1)
    expect(again.status).toBe(200)
    expect(again.body.equals(first.body)).toBe(true)
    expect(again.headers.etag).toBe(first.headers.etag)
    expect(again.headers['cache-status']).toBe('quad; hit; detail="l1"')
    for (const h of ['content-security-policy', 'x-frame-options', 'x-content-type-options', 'vary', 'cache-control', 'content-type', 'content-encoding']) {
      expect(again.headers[h], h).toBe(first.headers[h])
    }
    expect(again.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/)
    expect(again.headers['x-request-id']).not.toBe(first.headers['x-request-id'])
    expect(again.headers['server-timing']).toMatch(/^db;dur=0\.0;desc="0 queries", total;dur=\d+\.\d$/)
    expect(json(again).code).toBe(code)

    const notModified = await get(baseB, path, { 'if-none-match': String(first.headers.etag) })
    expect(notModified.status).toBe(304)
    expect(notModified.body.length).toBe(0)
    expect(served(b)).toBe(before + 2)
  })

  it('never answers older than a write acknowledged on another instance', async () => {
    const path = `/api/clubs/${code}`
    await get(baseB, path)
    await get(baseB, path)
    for (let i = 1; i <= 5; i++) {
      const name = `Renamed ${i}`
      await a.runtime.write((trx) => trx.updateTable('clubs').set({ name }).where('code', '=', code).execute())
      expect(json(await get(baseB, path)).name).toBe(name)
      const list = json(await get(baseB, '/api/clubs?q=renamed'))
      expect(list.clubs.map((c: { name: string }) => c.name)).toContain(name)
    }
  })

  it('serves directory variants from the derived view', async () => {
    const path = '/api/clubs?sort=name&pageSize=24'
    const first = await get(baseB, path, { 'accept-encoding': 'br' })
    const before = served(b)
    const again = await get(baseB, path, { 'accept-encoding': 'br' })
    expect(served(b)).toBe(before + 1)
    expect(again.headers['cache-status']).toBe('quad; hit; detail="view"')
    expect(again.body.equals(first.body)).toBe(true)
  })

  it('leaves requests with a read-your-writes cookie, and unknown URLs, to the routes', async () => {
    const path = `/api/clubs/${code}`
    await get(baseB, path)
    const before = served(b)
    const withToken = await get(baseB, path, { cookie: `${RYW_COOKIE}=not-a-valid-token` })
    expect(withToken.status).toBe(200)
    expect((await get(baseB, '/api/clubs/no-such-club-here')).status).toBe(404)
    expect((await get(baseB, '/api/clubs/no-such-club-here')).status).toBe(404)
    expect(served(b)).toBe(before)
  })

  it('counts what it serves in the metrics', async () => {
    const path = `/api/clubs/${code}`
    await get(baseB, path)
    await get(baseB, path)
    const metrics = await b.app.inject({ method: 'GET', url: '/metrics' })
    const m = /quad_http_requests_total\{method="GET",route="\/api\/clubs\/:code",status="200"\} (\d+)/.exec(metrics.body)
    expect(Number(m?.[1])).toBeGreaterThanOrEqual(served(b) - 1)
    expect(metrics.body).toMatch(/quad_http_request_duration_seconds_bucket\{le="0.001",method="GET",route="\/api\/clubs\/:code"\} \d+/)
  })
})

describe('the front door under overload', () => {
  let overloaded = false
  let routed = 0
  let base: string
  let server: http.Server
  const shed: string[] = []
  const door = new FrontDoor({
    securityHeaders: { 'x-frame-options': 'DENY' },
    metrics: { httpDuration: { observe() {} }, httpRequests: { inc() {} }, queriesPerRequest: { observe() {} }, shedOne: (_pool: string, reason: string) => void shed.push(reason) } as never,
    window: { request() {} },
    shuttingDown: () => false,
    overloaded: () => overloaded,
  })

  beforeAll(async () => {
    door.protect(/^\/api\/applications\/\d+\/submit(\?|$)/)
    server = door.server((_req, res) => {
      routed++
      res.writeHead(200, { 'content-type': 'text/plain' }).end('routed')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`
  })
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

  it('refuses what is not a cache hit with 503 OVERLOADED while saturated, and routes it otherwise', async () => {
    expect((await get(base, '/api/me')).status).toBe(200)
    overloaded = true
    const refused = await get(base, '/api/me')
    expect(refused.status).toBe(503)
    expect(refused.headers['retry-after']).toBe('1')
    expect(refused.headers['x-frame-options']).toBe('DENY')
    expect(JSON.parse(refused.body.toString()).error.code).toBe('OVERLOADED')
    expect(shed).toEqual(['event_loop'])
    // Health probes and a submit racing a deadline still go through.
    expect((await get(base, '/readyz')).status).toBe(200)
    expect((await get(base, '/api/applications/12/submit')).status).toBe(200)
    overloaded = false
    expect((await get(base, '/api/me')).status).toBe(200)
    expect(routed).toBe(4)
  })

  it('measures event-loop lag when the loop is blocked', async () => {
    const lag = new LoopLag(5).start()
    try {
      await new Promise((r) => setTimeout(r, 30))
      const t0 = performance.now()
      while (performance.now() - t0 < 200) {
        // the process is busy: timers fire late
      }
      await new Promise((r) => setTimeout(r, 1))
      const peak = lag.ms
      expect(peak).toBeGreaterThan(40)
      await new Promise((r) => setTimeout(r, 400))
      expect(lag.ms).toBeLessThan(peak / 2)
    } finally {
      lag.stop()
    }
  })
})
