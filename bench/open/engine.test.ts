import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Fixtures } from '../fixtures.js'
import { OpenLoop } from './engine.js'

// The generator against a local server that answers at once: counts, shares and error classes,
// never how fast anything was.
const fx: Fixtures = {
  clubs: [
    { code: 'chess', name: 'Chess Club' },
    { code: 'rowing', name: 'Rowing Team' },
  ],
  tags: [],
  badges: [],
  words: ['chess', 'rowing'],
  students: [{ userId: 1, token: 'token-1', csrf: 'csrf-1' }],
  officer: { userId: 2, token: 'token-2', csrf: 'csrf-2' },
  approver: { userId: 3, token: 'token-3', csrf: 'csrf-3' },
  lanes: [{ id: 9, code: 'chess', name: 'Chess Club', subtitle: 'Moves' }],
  applications: [],
  reviewers: [],
}

describe('open-loop generator', () => {
  const seen: { method: string; url: string; cookie: string }[] = []
  const subtitles: string[] = []
  let writesInFlight = 0
  let writesInFlightMax = 0
  let server: http.Server
  let url = ''

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      seen.push({ method: req.method!, url: req.url!, cookie: req.headers.cookie ?? '' })
      if (req.method !== 'GET') {
        // The probe writer: an edit answers with a revision to approve, a little later.
        writesInFlightMax = Math.max(writesInFlightMax, ++writesInFlight)
        let body = ''
        req.on('data', (c: Buffer) => (body += c.toString()))
        req.on('end', () => {
          if (req.method === 'PATCH') subtitles.push((JSON.parse(body) as { subtitle: string }).subtitle)
          setTimeout(() => {
            writesInFlight--
            res.writeHead(200, { 'content-type': 'application/json' })
            res.end(req.method === 'PATCH' ? '{"revision_id": 7}' : '{}')
          }, 20)
        })
        return
      }
      // The session route stands for a server shedding load.
      const status = req.url === '/api/me' ? 503 : 200
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end('{}')
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })

  afterAll(() => new Promise<void>((r) => server.close(() => r())))

  it('sends rate × seconds requests split by share, and counts a 503 as shed', async () => {
    const gen = new OpenLoop({ targets: [url], fixtures: fx, randomSeed: 1, shares: { 'club-page': 0.5, directory: 0.3, session: 0.2 }, connections: 16, timeoutMs: 5000 })
    try {
      const r = await gen.step({ rate: 200, warmupS: 0.5, durationS: 1 }, () => {})
      // Every request due in the window was sent and answered; the warm-up's were not judged.
      expect(r.scheduled).toBe(200)
      expect(r.read.count).toBe(200)
      expect(r.write.count).toBe(0)
      expect(seen.length).toBe(300)
      expect(r.classes['club-page']!.requests).toBeGreaterThanOrEqual(99)
      expect(r.classes['club-page']!.requests).toBeLessThanOrEqual(101)
      expect(r.classes.session!.requests).toBeGreaterThanOrEqual(39)
      expect(r.classes.session!.requests).toBeLessThanOrEqual(41)
      expect(r.shed).toBe(r.classes.session!.requests)
      expect(r.ok).toBe(200 - r.shed)
      expect(r.admitted.count).toBe(200 - r.shed)
      expect(r.statuses).toEqual({ '200': 200 - r.shed, '503': r.shed })
      expect(r.connection_errors + r.timeouts + r.server_errors + r.unexpected).toBe(0)
      // The session class always sends the student's session cookie.
      expect(seen.filter((s) => s.url === '/api/me').every((s) => s.cookie.includes('quad_session=token-1'))).toBe(true)
      expect(r.generator.cpu_pct).toBeGreaterThan(0)
      expect(gen.shares).toEqual({ 'club-page': 0.5, directory: 0.3, session: 0.2 })
    } finally {
      await gen.close()
    }
  })

  it('drops classes the fixtures give nothing to request and renormalizes the others', async () => {
    // No applications in the fixtures: the application page class has no requests.
    const gen = new OpenLoop({ targets: [url], fixtures: fx, randomSeed: 1, shares: { 'club-page': 0.5, 'application-page': 0.5 }, connections: 4, timeoutMs: 5000 })
    expect(gen.shares).toEqual({ 'club-page': 1 })
    await gen.close()
  })

  it('sends a serial class one request at a time, with one user over all instances', async () => {
    // Two targets (the same server twice); the probe writer's arrivals come faster than its answers.
    const gen = new OpenLoop({ targets: [url, url], fixtures: fx, randomSeed: 1, shares: { 'probe-write': 0.5, 'club-page': 0.5 }, connections: 8, timeoutMs: 5000 })
    try {
      const r = await gen.step({ rate: 100, warmupS: 0, durationS: 0.5 }, () => {})
      expect(r.classes['probe-write']!.requests).toBe(25)
      expect(r.classes['probe-write']!.errors).toBe(0)
      expect(writesInFlightMax).toBe(1)
      // One writer: versions 1, 2, 3, ... in order.
      expect(subtitles.map((t) => Number(/v(\d+)$/.exec(t)![1]))).toEqual(subtitles.map((_, i) => i + 1))
      const final = gen.final()
      expect(final.consistency.writes_acknowledged).toBeGreaterThan(0)
    } finally {
      await gen.close()
    }
  })

  it('counts requests that got no answer as connection errors', async () => {
    const gen = new OpenLoop({ targets: ['http://127.0.0.1:1'], fixtures: fx, randomSeed: 1, shares: { 'club-page': 1 }, connections: 4, timeoutMs: 5000 })
    try {
      const r = await gen.step({ rate: 50, warmupS: 0, durationS: 0.4 }, () => {})
      expect(r.scheduled).toBe(20)
      expect(r.connection_errors).toBe(20)
      expect(r.achieved_rps).toBe(0)
      expect(r.error_examples[0]).toMatch(/ECONNREFUSED/)
    } finally {
      await gen.close()
    }
  })
})
