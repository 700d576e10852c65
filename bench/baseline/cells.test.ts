import { describe, expect, it } from 'vitest'
import { baselineCells, type CellInfo, type Measurement, ratioTable, type SideFigures, sideOrder } from './cells.js'
import type { RecordedResponse } from './record.js'
import { sameBytes } from './record.js'

const figures = (rps: number, extra: Partial<SideFigures> = {}): SideFigures => ({ rps, p50: 1, p90: 2, p99: 4, max: 9, requests: rps * 3, errors: 0, generator_cpu_pct: 40, server_cpu_pct: 90, ...extra })
const info = (id: string, verified = true): CellInfo => {
  const [page, encoding, who] = id.split(' ') as ['club' | 'list', 'gzip' | 'br', string]
  return { id, page, encoding, session: who === 'session', path: page === 'list' ? '/api/clubs' : '/api/clubs/x', body_bytes: 100, etag: '"e"', verified, ...(verified ? {} : { reason: 'length 1 vs 2' }) }
}

describe('baseline cells', () => {
  it('covers a club page and the list, gzip and br, anonymous and signed in', () => {
    const cells = baselineCells('chess')
    expect(cells).toHaveLength(8)
    expect(new Set(cells.map((c) => c.id)).size).toBe(8)
    expect(cells.filter((c) => c.page === 'club').every((c) => c.path === '/api/clubs/chess')).toBe(true)
    expect(cells.filter((c) => c.page === 'list').every((c) => c.path === '/api/clubs')).toBe(true)
    expect(cells.filter((c) => c.session)).toHaveLength(4)
    expect(cells.filter((c) => c.encoding === 'br')).toHaveLength(4)
  })

  it('alternates which server goes first from one round to the next', () => {
    expect(sideOrder(0)).toEqual(['quad', 'bare'])
    expect(sideOrder(1)).toEqual(['bare', 'quad'])
    expect(sideOrder(2)).toEqual(['quad', 'bare'])
  })
})

describe('ratio table', () => {
  const runs: Measurement[] = [
    { cell: 'list br anon', side: 'quad', round: 0, figures: figures(3000) },
    { cell: 'list br anon', side: 'bare', round: 0, figures: figures(6000, { p99: 2 }) },
    { cell: 'list br anon', side: 'bare', round: 1, figures: figures(4000, { p99: 2, generator_cpu_pct: 70 }) },
    { cell: 'list br anon', side: 'quad', round: 1, figures: figures(3000, { errors: 2 }) },
    { cell: 'club gzip session', side: 'quad', round: 0, figures: figures(8000) },
    { cell: 'club gzip session', side: 'bare', round: 0, figures: figures(10000) },
  ]
  const table = ratioTable([info('list br anon'), info('club gzip session'), info('list gzip anon', false)], runs)

  it('gives each cell Quad req/s ÷ bare req/s over its rounds, and round by round', () => {
    const list = table.rows.find((r) => r.id === 'list br anon')!
    expect(list.quad!.rps).toBe(3000)
    expect(list.bare!.rps).toBe(5000)
    expect(list.ratio_rps).toBe(0.6)
    expect(list.round_ratios).toEqual([0.5, 0.75])
    expect(list.ratio_p99).toBe(2)
    expect(list.quad!.errors).toBe(2)
    expect(list.quad!.requests).toBe(18000)
    expect(table.ratios).toEqual({ 'list br anon': 0.6, 'club gzip session': 0.8 })
  })

  it('leaves a cell whose bytes differed untimed, and out of the ratios', () => {
    const skipped = table.rows.find((r) => r.id === 'list gzip anon')!
    expect(skipped.verified).toBe(false)
    expect(skipped.ratio_rps).toBeNull()
    expect(skipped.quad).toBeNull()
    expect(Object.keys(table.ratios)).not.toContain('list gzip anon')
  })

  it('summarizes the ratios and the generator CPU', () => {
    expect(table.min_ratio).toBe(0.6)
    expect(table.geomean_ratio).toBeCloseTo(Math.sqrt(0.6 * 0.8), 3)
    expect(table.generator_cpu_max_pct).toBe(70)
  })

  it('has no ratios at all without runs', () => {
    const empty = ratioTable([info('club br anon')], [])
    expect(empty.min_ratio).toBeNull()
    expect(empty.geomean_ratio).toBeNull()
    expect(empty.rows[0]!.ratio_rps).toBeNull()
  })
})

describe('same bytes', () => {
  const rec = (over: Partial<RecordedResponse> = {}, headers: Record<string, string> = {}): RecordedResponse => ({
    status: 200,
    headers: { 'content-encoding': 'br', etag: '"abc"', ...headers },
    body: 'AAAA',
    bytes: 3,
    sha256: 'h1',
    ...over,
  })

  it('accepts the same status, encoding, length, ETag and digest', () => {
    expect(sameBytes(rec(), rec())).toBeNull()
  })

  it('names what differs', () => {
    expect(sameBytes(rec(), rec({ status: 304 }))).toMatch(/status/)
    expect(sameBytes(rec(), rec({}, { 'content-encoding': 'gzip' }))).toMatch(/content-encoding/)
    expect(sameBytes(rec(), rec({ bytes: 4 }))).toMatch(/length 3 vs 4/)
    expect(sameBytes(rec(), rec({}, { etag: '"def"' }))).toMatch(/ETag/)
    expect(sameBytes(rec(), rec({ sha256: 'h2' }))).toMatch(/different bytes/)
  })
})
