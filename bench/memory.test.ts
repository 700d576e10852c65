import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { SERVER_NODE_FLAGS } from './server.js'
import { judgeMemory, type MemorySample, MIN_JUDGED_S, promGauge, slopePerMinute, summarizeInstance } from './memory.js'

// An excerpt of what prom-client's default metrics print on GET /metrics.
const METRICS = `# HELP nodejs_heap_size_total_bytes Process heap size from Node.js in bytes.
# TYPE nodejs_heap_size_total_bytes gauge
nodejs_heap_size_total_bytes 116129792

# HELP nodejs_heap_size_used_bytes Process heap size used from Node.js in bytes.
# TYPE nodejs_heap_size_used_bytes gauge
nodejs_heap_size_used_bytes 78122552

# HELP nodejs_external_memory_bytes Node.js external memory size in bytes.
# TYPE nodejs_external_memory_bytes gauge
nodejs_external_memory_bytes 4530211
# HELP nodejs_heap_space_size_used_bytes Process heap space size used from Node.js in bytes.
# TYPE nodejs_heap_space_size_used_bytes gauge
nodejs_heap_space_size_used_bytes{space="read_only"} 0
nodejs_heap_space_size_used_bytes{space="new"} 1.2e6
`

const samples = (rss: (t: number) => number, n = 61, every = 5): MemorySample[] =>
  Array.from({ length: n }, (_, i) => ({ t: i * every, rss_mb: rss(i * every), heap_used_mb: 70 + (i % 3), heap_total_mb: 110, external_mb: 20 + i / 10 }))

describe('memory figures', () => {
  it('reads unlabelled gauges from the metrics text', () => {
    expect(promGauge(METRICS, 'nodejs_heap_size_used_bytes')).toBe(78122552)
    expect(promGauge(METRICS, 'nodejs_heap_size_total_bytes')).toBe(116129792)
    expect(promGauge(METRICS, 'nodejs_external_memory_bytes')).toBe(4530211)
    expect(promGauge(METRICS, 'nodejs_heap_space_size_used_bytes')).toBe(0)
    expect(promGauge(METRICS, 'process_resident_memory_bytes')).toBeNull()
  })

  it('fits the slope in units per minute', () => {
    expect(slopePerMinute([0, 30, 60, 90].map((t) => ({ t, v: 100 + t / 60 })))).toBeCloseTo(1, 6)
    expect(slopePerMinute([0, 30, 60].map((t) => ({ t, v: 50 })))).toBe(0)
    expect(slopePerMinute([{ t: 0, v: 1 }, { t: 1, v: 2 }])).toBeNull()
    // Only the points from `from` on.
    expect(slopePerMinute([{ t: 0, v: 0 }, { t: 60, v: 500 }, { t: 120, v: 500 }, { t: 180, v: 500 }], 60)).toBe(0)
  })

  it('takes the slope over the last half of the run, so caches filling up early do not count', () => {
    // Five minutes: grows 40 MB in the first half, flat afterwards.
    const s = samples((t) => 150 + Math.min(t, 150) * (40 / 150))
    const i = summarizeInstance(0, 123, s)
    expect(i.rss_slope_mb_per_min).toBe(0)
    expect(i.rss_mb).toEqual({ start: 150, end: 190, max: 190 })
    expect(i.heap_used_mb).toEqual({ start: 70, end: 70, max: 72 })
    expect(i.heap_total_mb_end).toBe(110)
    expect(i.external_mb).toEqual({ end: 26, max: 26 })
  })

  it('judges flatness only for a run long enough', () => {
    const growing = summarizeInstance(0, 1, samples((t) => 150 + t / 20))
    expect(growing.rss_slope_mb_per_min).toBe(3)
    const flat = summarizeInstance(1, 2, samples(() => 150))
    expect(judgeMemory([flat], MIN_JUDGED_S, 2)).toEqual({ judged: true, flat: true })
    expect(judgeMemory([flat, growing], MIN_JUDGED_S + 60, 2)).toEqual({ judged: true, flat: false })
    expect(judgeMemory([flat, growing], MIN_JUDGED_S - 1, 2)).toEqual({ judged: false, flat: null })
  })

  it('thins a long timeline and keeps its last sample', () => {
    const s = samples(() => 100, 1000, 1)
    const i = summarizeInstance(0, 1, s)
    expect(i.samples).toBe(1000)
    expect(i.timeline.length).toBe(200)
    expect(i.timeline.at(-1)).toEqual(s.at(-1))
  })
})

describe('the measured server process', () => {
  it('runs with the Node flags of npm start', () => {
    const start = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } }).scripts.start
    for (const flag of SERVER_NODE_FLAGS) expect(start.split(' ')).toContain(flag)
  })
})
