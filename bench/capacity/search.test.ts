import { describe, expect, it } from 'vitest'
import type { LatencySummary, StepResult } from '../open/protocol.js'
import { capacityOf, judgeStep, nextStep, type Phase, type SearchConfig, type Verdict } from './search.js'

const lat = (p99: number, count = 100): LatencySummary => ({ count, p50: p99 / 4, p90: p99 / 2, p99, max: p99 * 2 })

/** A step that meets every criterion; tests change one figure at a time. */
function step(rate: number, over: Partial<StepResult> = {}): StepResult {
  return {
    rate,
    window_s: 10,
    scheduled: rate * 10,
    achieved_rps: rate,
    read: lat(40),
    write: lat(90),
    admitted: lat(60),
    goodput_rps: rate,
    ok: rate * 10,
    shed: 0,
    server_errors: 0,
    connection_errors: 0,
    timeouts: 0,
    unexpected: 0,
    statuses: { '200': rate * 10 },
    error_examples: [],
    classes: {},
    lag_ms: { p50: 0.5, p99: 3, max: 8 },
    in_flight_max: 20,
    generator: { cpu_pct: 30, elu: 0.3 },
    ...over,
  }
}

describe('judging a step', () => {
  it('passes a step within every criterion', () => {
    const v = judgeStep(step(500), 'ramp')
    expect(v).toEqual({ rate: 500, phase: 'ramp', pass: true, failures: [], generator_behind: false })
  })

  it('holds reads to 100 ms and writes to 200 ms at p99', () => {
    expect(judgeStep(step(500, { read: lat(100) }), 'ramp').pass).toBe(true)
    expect(judgeStep(step(500, { read: lat(101) }), 'ramp').failures.map((f) => f.criterion)).toEqual(['read_p99'])
    expect(judgeStep(step(500, { write: lat(200) }), 'ramp').pass).toBe(true)
    expect(judgeStep(step(500, { write: lat(250) }), 'ramp').failures.map((f) => f.criterion)).toEqual(['write_p99'])
    // A class of requests that did not occur is not judged.
    expect(judgeStep(step(500, { write: { count: 0, p50: 0, p90: 0, p99: 0, max: 0 } }), 'ramp').pass).toBe(true)
  })

  it('counts a 503 shed, other 5xx, connection errors and timeouts as errors; a 4xx the class did not expect is not one', () => {
    for (const over of [{ shed: 1 }, { server_errors: 1 }, { connection_errors: 1 }, { timeouts: 1 }]) {
      const v = judgeStep(step(500, over), 'ramp')
      expect(v.pass).toBe(false)
      expect(v.failures.map((f) => f.criterion)).toEqual(['errors'])
    }
    expect(judgeStep(step(500, { unexpected: 3 }), 'ramp').pass).toBe(true)
  })

  it('requires the achieved rate within 2 % of the offered rate', () => {
    expect(judgeStep(step(1000, { achieved_rps: 980 }), 'ramp').pass).toBe(true)
    expect(judgeStep(step(1000, { achieved_rps: 1020 }), 'ramp').pass).toBe(true)
    expect(judgeStep(step(1000, { achieved_rps: 979 }), 'ramp').failures.map((f) => f.criterion)).toEqual(['rate'])
  })

  it('fails a step where the generator fell behind, and says so', () => {
    const v = judgeStep(step(1000, { lag_ms: { p50: 10, p99: 40, max: 90 }, achieved_rps: 950 }), 'ramp')
    expect(v.pass).toBe(false)
    expect(v.generator_behind).toBe(true)
    expect(v.failures.map((f) => f.criterion).sort()).toEqual(['lag', 'rate'])
  })
})

const CFG: SearchConfig = { start: 250, factor: 1.25, refine: 1, maxRate: 20_000, minRate: 10 }

/** Runs the search against a system that serves up to `limit` req/s (and the generator up to `genLimit`). */
function search(limit: number, cfg = CFG, genLimit = Infinity): Verdict[] {
  const history: Verdict[] = []
  for (let next = nextStep(history, cfg); next; next = nextStep(history, cfg)) {
    const r = next.rate
    const result = step(r, r > genLimit ? { lag_ms: { p50: 5, p99: 60, max: 200 }, achieved_rps: r * 0.9 } : r > limit ? { read: lat(400), shed: 12 } : {})
    history.push(judgeStep(result, next.phase as Phase))
    if (history.length > 50) throw new Error('the search does not end')
  }
  return history
}

describe('capacity search', () => {
  it('raises the rate by the factor until a step fails, then bisects once', () => {
    const h = search(700)
    expect(h.map((v) => v.rate)).toEqual([250, 313, 391, 489, 611, 764, 683])
    expect(h.map((v) => v.phase)).toEqual(['ramp', 'ramp', 'ramp', 'ramp', 'ramp', 'ramp', 'refine'])
    expect(capacityOf(h)).toEqual({ capacity_rps: 683, limited_by: 'server', first_failing_rps: 764 })
  })

  it('keeps the highest pass below the lowest failure when the refine step fails', () => {
    const h = search(650)
    expect(h.at(-1)).toMatchObject({ rate: 683, phase: 'refine', pass: false })
    expect(capacityOf(h)).toEqual({ capacity_rps: 611, limited_by: 'server', first_failing_rps: 683 })
  })

  it('bisects as many times as asked', () => {
    const h = search(700, { ...CFG, refine: 3 })
    expect(h.filter((v) => v.phase === 'refine').map((v) => v.rate)).toEqual([683, 722, 702])
    expect(capacityOf(h).capacity_rps).toBe(683)
  })

  it('halves from the first rate when even that fails', () => {
    const h = search(100)
    expect(h.map((v) => `${v.phase} ${v.rate} ${v.pass}`)).toEqual(['ramp 250 false', 'down 125 false', 'down 63 true', 'refine 89 true'])
    expect(capacityOf(h)).toEqual({ capacity_rps: 89, limited_by: 'server', first_failing_rps: 125 })
  })

  it('reports capacity 0 when nothing down to the minimum rate passes', () => {
    const h = search(5)
    expect(h.map((v) => v.rate)).toEqual([250, 125, 63, 32, 16])
    expect(capacityOf(h)).toEqual({ capacity_rps: 0, limited_by: 'server', first_failing_rps: 16 })
  })

  it('stops at the maximum rate with a lower bound', () => {
    const h = search(Infinity, { ...CFG, maxRate: 500 })
    expect(h.map((v) => v.rate)).toEqual([250, 313, 391, 489])
    expect(capacityOf(h)).toEqual({ capacity_rps: 489, limited_by: 'max-rate', first_failing_rps: null })
  })

  it('says the generator, not the server, ended the search when it fell behind without errors', () => {
    const h = search(Infinity, CFG, 400)
    expect(capacityOf(h)).toMatchObject({ capacity_rps: 391, limited_by: 'generator' })
  })

  it('blames the server for errors even when the generator was also behind', () => {
    const h: Verdict[] = [judgeStep(step(250), 'ramp'), judgeStep(step(313, { shed: 4, lag_ms: { p50: 5, p99: 80, max: 100 } }), 'ramp')]
    expect(capacityOf(h).limited_by).toBe('server')
  })
})
