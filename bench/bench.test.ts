import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { adminUrl } from '../test/helpers/env.js'
import { Cleanup } from './cleanup.js'
import { parseBenchArgs } from './options.js'
import type { BenchReport } from './report/types.js'
import { writeReport } from './report/write.js'
import { runBench } from './run.js'
import { Ui } from './ui.js'

// A smoke run of the harness (demo scale, a few seconds, no drills): not a performance test, but a
// check that every figure of the report comes from what was measured.
describe('bench harness smoke run', () => {
  const out = mkdtempSync(path.join(os.tmpdir(), 'quad-bench-smoke-'))
  const cleanup = new Cleanup()
  let report: BenchReport

  beforeAll(async () => {
    const o = parseBenchArgs(['--scale', 'demo', '--duration', '5', '--baseline-duration', '1', '--baseline-connections', '8', '--baseline-rounds', '1', '--instances', '2', '--drills', 'none', '--rate', 'probe-write=20', '--no-progress', '--out', out, '--pg', adminUrl()])
    if (o === 'help') throw new Error('unexpected help')
    report = await runBench(o, new Ui(false), cleanup)
    writeReport(out, report)
  }, 150_000)

  afterAll(async () => {
    await cleanup.run()
    rmSync(out, { recursive: true, force: true })
  })

  const close = (a: number, b: number, tolerance: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(tolerance)

  it('derives throughput from the responses it counted', () => {
    expect(report.responses).toBeGreaterThan(0)
    expect(report.duration_s).toBeGreaterThan(2)
    expect(report.routes.reduce((n, r) => n + r.responses, 0)).toBe(report.responses)
    expect(report.timeline.reduce((n, t) => n + t.responses, 0)).toBe(report.responses)
    close(report.requests_per_s, report.responses / report.duration_s, 0.051)
    for (const r of report.routes) {
      close(r.rps, r.responses / report.duration_s, 0.051)
      expect(Object.values(r.statuses).reduce((n, x) => n + x, 0)).toBeLessThanOrEqual(r.responses)
      expect(r.p50).toBeGreaterThan(0)
      expect(r.p50).toBeLessThanOrEqual(r.p90)
      expect(r.p90).toBeLessThanOrEqual(r.p99)
      expect(r.p99).toBeLessThanOrEqual(r.max + 0.01)
    }
    // Browsing, club pages, the session and the consistency probe all ran.
    const routes = report.routes.map((r) => r.route)
    for (const r of ['GET /api/clubs', 'GET /api/clubs/:code', 'GET /api/me', 'GET /api/clubs/:code (probe)']) expect(routes).toContain(r)
  })

  it('computes the hit ratio from the Cache-Status headers it saw', () => {
    const { with_cache_status, ...classes } = report.cache
    expect(with_cache_status).toBeGreaterThan(0)
    expect(Object.values(classes).reduce((n, x) => n + (x ?? 0), 0)).toBe(with_cache_status)
    expect(report.hit_ratio).toBeGreaterThanOrEqual(0)
    expect(report.hit_ratio).toBeLessThanOrEqual(1)
    close(report.hit_ratio!, ((classes.hit ?? 0) + (classes.stale ?? 0)) / with_cache_status, 0.001)
    // A private route never carries Cache-Status.
    expect(report.routes.find((r) => r.route === 'GET /api/me')!.hit_ratio).toBeNull()
  })

  it('reports database work from Server-Timing and pg_stat_database', () => {
    expect(report.db_queries).toBeGreaterThan(0)
    close(report.db_queries_per_s, report.db_queries / report.duration_s, 0.051)
    close(report.queries_per_request, report.db_queries / report.responses, 0.001)
    // GET /api/me reads nothing but the session, and that at most once per instance and session.
    const me = report.routes.find((r) => r.route === 'GET /api/me')!
    expect(me.queries_per_request).toBeLessThanOrEqual(1)
    expect(report.pg_stat.xact_per_s).toBeGreaterThan(0)
  })

  it('reports database time and statements per traffic class from Server-Timing', () => {
    expect(report.db_by_class.length).toBeGreaterThan(0)
    const names = report.db_by_class.map((c) => c.name)
    for (const c of ['directory', 'session']) expect(names).toContain(c)
    for (const c of report.db_by_class) {
      expect(Number.isFinite(c.db_ms)).toBe(true)
      expect(Number.isInteger(c.statements)).toBe(true)
      expect(c.db_ms).toBeGreaterThanOrEqual(0)
      expect(c.with_server_timing).toBeLessThanOrEqual(c.responses)
      expect(c.with_statements).toBeLessThanOrEqual(c.responses)
      close(c.statements_per_request, c.responses ? c.statements / c.responses : 0, 0.001)
      close(c.db_ms_per_request, c.responses ? c.db_ms / c.responses : 0, 0.01)
    }
    // Every class's responses are counted once, and so are their statements.
    const classResponses = report.db_by_class.reduce((n, c) => n + c.responses, 0)
    expect(classResponses).toBe(report.routes.reduce((n, r) => n + Object.values(r.statuses).reduce((a, x) => a + x, 0), 0))
    expect(report.db_by_class.reduce((n, c) => n + c.statements, 0)).toBe(report.db_queries)
    close(report.db_by_class.reduce((n, c) => n + c.db_share, 0), 1, 0.001)
    // Sessions are looked up once per instance, then kept in memory.
    expect(report.db_by_class.find((c) => c.name === 'session')!.statements_per_request).toBeLessThanOrEqual(1)
  })

  it('splits the directory list into stored bytes, computed from the model and needing SQL', () => {
    const l = report.list
    expect(l.route).toBe('GET /api/clubs')
    expect(l.answered).toBeGreaterThan(0)
    expect(l.stored.count + l.computed.count + l.sql.count).toBe(l.answered)
    close(l.stored.share + l.computed.share + l.sql.share, 1, 0.001)
    for (const p of [l.stored, l.computed, l.sql]) {
      expect(p.share).toBeGreaterThanOrEqual(0)
      expect(p.share).toBeLessThanOrEqual(1)
    }
    const list = report.routes.find((r) => r.route === 'GET /api/clubs')!
    expect(l.answered + l.unanswered).toBe(list.responses)
    // A warmed-up directory answers most lists without SQL.
    expect(l.sql.share).toBeLessThan(0.5)
  })

  it('reports per-statement database time from pg_stat_statements when available', () => {
    const s = report.statements
    expect(typeof s.available).toBe('boolean')
    if (!s.available) {
      expect(s.reason.length).toBeGreaterThan(0)
      expect(report.notes.some((n) => n.includes('per-statement database time not available'))).toBe(true)
      return
    }
    expect(s.total_ms).toBeGreaterThan(0)
    expect(s.calls).toBeGreaterThan(0)
    expect(s.top.length).toBeGreaterThan(0)
    expect(s.top.length).toBeLessThanOrEqual(s.statements)
    for (let k = 1; k < s.top.length; k++) expect(s.top[k]!.total_ms).toBeLessThanOrEqual(s.top[k - 1]!.total_ms)
    for (const t of s.top) {
      expect(t.query.length).toBeGreaterThan(0)
      expect(t.query.length).toBeLessThanOrEqual(240)
      expect(t.share).toBeGreaterThanOrEqual(0)
      expect(t.share).toBeLessThanOrEqual(1)
      close(t.share, t.total_ms / s.total_ms, 0.001)
    }
    expect(s.top.reduce((n, t) => n + t.share, 0)).toBeLessThanOrEqual(1.001)
    expect(s.directory.share).toBeGreaterThanOrEqual(0)
    expect(s.directory.share).toBeLessThanOrEqual(1)
    expect(s.directory.total_ms).toBeLessThanOrEqual(s.total_ms + 0.01)
    // The probe writer edits clubs: some instance catches its directory model up with SQL.
    expect(s.directory.calls).toBeGreaterThan(0)
  })

  it('checks durability and consistency against the database and the probe', () => {
    expect(report.submissions.found).toBe(report.submissions.acknowledged)
    // When the server takes submissions, the short run submitted some (receipts from real responses).
    if (report.submissions.route_available) expect(report.submissions.acknowledged).toBeGreaterThan(0)
    expect(report.anomalies).toEqual({})
    for (const w of Object.values(report.writes)) expect(w.found).toBe(w.acknowledged)
    expect(report.consistency.writes_acknowledged).toBeGreaterThan(0)
    expect(report.consistency.reads_checked).toBeGreaterThan(0)
    expect(report.stale_reads).toBe(0)
  })

  it('compares every cell with a bare server sending the same bytes, with wrk, and reports each ratio', () => {
    const b = report.baseline
    expect(b.available).toBe(true)
    expect(b.rows.map((r) => r.id).sort()).toEqual(
      ['club br anon', 'club br session', 'club gzip anon', 'club gzip session', 'list br anon', 'list br session', 'list gzip anon', 'list gzip session'].sort(),
    )
    for (const r of b.rows) {
      expect(r.verified, `${r.id}: ${r.reason}`).toBe(true)
      expect(r.body_bytes).toBeGreaterThan(0)
      expect(r.quad!.rps).toBeGreaterThan(0)
      expect(r.bare!.rps).toBeGreaterThan(0)
      close(r.ratio_rps!, r.quad!.rps / r.bare!.rps, 0.002)
      expect(b.ratios[r.id]).toBe(r.ratio_rps)
      expect(r.round_ratios).toHaveLength(1)
      expect(r.quad!.generator_cpu_pct).toBeGreaterThan(0)
    }
    // The list is the large body, the club page the small one.
    const bytes = (id: string) => b.rows.find((r) => r.id === id)!.body_bytes
    expect(bytes('list br anon')).toBeGreaterThan(bytes('club br anon'))
    expect(b.runs).toHaveLength(16)
    expect(b.min_ratio).toBe(Math.min(...Object.values(b.ratios)))
  })

  it('reports memory per instance, sampled through the run and after it', () => {
    const m = report.memory
    expect(m.instances).toHaveLength(2)
    for (const i of m.instances) {
      expect(i.samples).toBeGreaterThanOrEqual(3)
      expect(i.rss_mb.end).toBeGreaterThan(10)
      expect(i.rss_mb.max).toBeGreaterThanOrEqual(i.rss_mb.end)
      expect(i.heap_used_mb).not.toBeNull()
      expect(i.heap_used_mb!.end).toBeGreaterThan(1)
    }
    expect(new Set(m.instances.map((i) => i.pid)).size).toBe(2)
    // A 5-second run is too short to judge growth.
    expect(m.judged).toBe(false)
    expect(m.flat).toBeNull()
  })

  it('samples the server processes', () => {
    expect(report.server.processes).toHaveLength(2)
    for (const p of report.server.processes) {
      expect(p.samples).toBeGreaterThan(2)
      expect(p.rss_max_mb).toBeGreaterThan(10)
      expect(p.cpu_s).toBeGreaterThan(0)
    }
  })

  it('writes report.json, report.md and the charts', () => {
    expect(JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8'))).toEqual(report)
    const md = readFileSync(path.join(out, 'report.md'), 'utf8')
    expect(md).toContain('latency.svg')
    expect(md).toContain('| `GET /api/clubs` |')
    expect(md).toContain('## Database work per traffic class')
    expect(md).toContain('## Statements')
    expect(md).toContain('## Memory per instance')
    expect(md).toMatch(/\| list br anon \| [\d,]+ \| [\d,.]+ \| [\d,.]+ \| \*\*[\d.]+\*\* \|/)
    expect(md).toMatch(/Directory list.*from stored bytes.*computed from the model without SQL.*needing SQL/)
    expect(md).toMatch(report.statements.available ? /Directory statements: [\d.]+ % of database time/ : /not available/)
    for (const f of ['latency.svg', 'timeline.svg']) {
      expect(existsSync(path.join(out, f))).toBe(true)
      expect(readFileSync(path.join(out, f), 'utf8')).toMatch(/^<svg [^>]*>/)
    }
  })
})
