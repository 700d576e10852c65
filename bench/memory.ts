import { readProc } from './procstat.js'

/** One reading of an instance: RSS from /proc, V8 heap from its /metrics (prom-client's default metrics). */
export interface MemorySample {
  /** Seconds since sampling started. */
  t: number
  rss_mb: number
  heap_used_mb: number | null
  heap_total_mb: number | null
  /** Memory outside the V8 heap held by JS objects: Buffers, among them the L1 cache's bytes. */
  external_mb: number | null
}

export interface InstanceMemory {
  index: number
  pid: number
  samples: number
  rss_mb: { start: number; end: number; max: number }
  heap_used_mb: { start: number; end: number; max: number } | null
  heap_total_mb_end: number | null
  external_mb: { end: number; max: number } | null
  /** Least-squares slope of RSS over the last half of the run (MB per minute); null with fewer than 3 samples. */
  rss_slope_mb_per_min: number | null
  heap_used_slope_mb_per_min: number | null
  /** The samples, thinned to at most 200. */
  timeline: MemorySample[]
}

export interface MemoryReport {
  source: string
  interval_s: number
  instances: InstanceMemory[]
  /** Whether the run was long enough to judge flatness (see MIN_JUDGED_S). */
  judged: boolean
  max_rss_slope_mb_per_min: number
  /** Every instance's RSS slope within the limit; null when not judged. */
  flat: boolean | null
}

/**
 * Below this, the last half of a run is mostly caches filling up (each instance may hold 128 MB of
 * L1 bytes and 32 MB of directory variants by default) and GC swings of tens of MB: the slope is
 * reported, not judged.
 */
export const MIN_JUDGED_S = 600
const MB = 2 ** 20
const r2 = (n: number) => Math.round(n * 100) / 100

/** The value of an unlabelled gauge in Prometheus text format, or null. */
export function promGauge(text: string, name: string): number | null {
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})?\\s+([0-9.eE+-]+)`, 'm').exec(text)
  return m ? Number(m[1]) : null
}

/** Least-squares slope of v over t (t in seconds), in units per minute, over the points with t ≥ from. */
export function slopePerMinute(points: { t: number; v: number }[], from = 0): number | null {
  const p = points.filter((x) => x.t >= from)
  if (p.length < 3) return null
  const mt = p.reduce((a, x) => a + x.t, 0) / p.length
  const mv = p.reduce((a, x) => a + x.v, 0) / p.length
  let num = 0
  let den = 0
  for (const x of p) {
    num += (x.t - mt) * (x.v - mv)
    den += (x.t - mt) ** 2
  }
  return den > 0 ? r2((num / den) * 60) : null
}

function thin<T>(list: T[], max: number): T[] {
  if (list.length <= max) return list
  const step = list.length / max
  const out = Array.from({ length: max - 1 }, (_, i) => list[Math.floor(i * step)]!)
  out.push(list.at(-1)!)
  return out
}

/** Summary of one instance's samples; the slope covers the last half of the sampled span. */
export function summarizeInstance(index: number, pid: number, samples: MemorySample[]): InstanceMemory {
  const first = samples[0]
  const last = samples.at(-1)
  const half = last ? last.t / 2 : 0
  const heap = samples.filter((s) => s.heap_used_mb !== null)
  const external = samples.filter((s) => s.external_mb !== null)
  return {
    index,
    pid,
    samples: samples.length,
    rss_mb: { start: first?.rss_mb ?? 0, end: last?.rss_mb ?? 0, max: Math.max(0, ...samples.map((s) => s.rss_mb)) },
    heap_used_mb: heap.length ? { start: heap[0]!.heap_used_mb!, end: heap.at(-1)!.heap_used_mb!, max: Math.max(...heap.map((s) => s.heap_used_mb!)) } : null,
    heap_total_mb_end: heap.at(-1)?.heap_total_mb ?? null,
    external_mb: external.length ? { end: external.at(-1)!.external_mb!, max: Math.max(...external.map((s) => s.external_mb!)) } : null,
    rss_slope_mb_per_min: slopePerMinute(samples.map((s) => ({ t: s.t, v: s.rss_mb })), half),
    heap_used_slope_mb_per_min: slopePerMinute(heap.map((s) => ({ t: s.t, v: s.heap_used_mb! })), half),
    timeline: thin(samples, 200),
  }
}

/** Flat when every judged instance's RSS slope is within the limit; null for a run too short to judge. */
export function judgeMemory(instances: InstanceMemory[], spanS: number, maxSlope: number): Pick<MemoryReport, 'judged' | 'flat'> {
  const judged = spanS >= MIN_JUDGED_S
  return { judged, flat: judged ? instances.every((i) => i.rss_slope_mb_per_min !== null && i.rss_slope_mb_per_min <= maxSlope) : null }
}

/**
 * Samples each Quad instance's RSS (/proc/<pid>/status) and heap (GET /metrics) through a run, and
 * once more when stop() is called: the end state after the full mix.
 */
export class MemorySampler {
  private readonly series: MemorySample[][]
  private timer: NodeJS.Timeout | null = null
  private t0 = 0
  private pending: Promise<void> = Promise.resolve()

  constructor(
    private readonly instances: { pid: number; url: string }[],
    readonly intervalMs: number,
  ) {
    this.series = instances.map(() => [])
  }

  start(): void {
    this.t0 = performance.now()
    this.tick()
    this.timer = setInterval(() => this.tick(), this.intervalMs)
  }

  private tick(): void {
    // Samples never overlap: a slow /metrics delays the next one instead of piling up.
    this.pending = this.pending.then(() => this.sample())
  }

  private async sample(): Promise<void> {
    const t = r2((performance.now() - this.t0) / 1000)
    await Promise.all(
      this.instances.map(async (inst, i) => {
        const p = readProc(inst.pid)
        if (!p) return
        const text = await fetch(`${inst.url}/metrics`, { signal: AbortSignal.timeout(2000) })
          .then((r) => (r.ok ? r.text() : ''))
          .catch(() => '')
        const used = promGauge(text, 'nodejs_heap_size_used_bytes')
        const total = promGauge(text, 'nodejs_heap_size_total_bytes')
        const external = promGauge(text, 'nodejs_external_memory_bytes')
        const mb = (v: number | null) => (v === null ? null : r2(v / MB))
        this.series[i]!.push({ t, rss_mb: r2(p.rssBytes / MB), heap_used_mb: mb(used), heap_total_mb: mb(total), external_mb: mb(external) })
      }),
    )
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    this.tick()
    await this.pending
  }

  report(maxSlope: number): MemoryReport {
    const instances = this.instances.map((inst, i) => summarizeInstance(i, inst.pid, this.series[i]!))
    const span = Math.max(0, ...this.series.map((s) => s.at(-1)?.t ?? 0))
    return {
      source: 'RSS from /proc/<pid>/status, heap and external memory from each instance\'s GET /metrics (prom-client nodejs_heap_size_used_bytes, nodejs_heap_size_total_bytes, nodejs_external_memory_bytes); the last sample is taken when the load has stopped; slopes are least-squares over the last half of the run',
      interval_s: this.intervalMs / 1000,
      instances,
      ...judgeMemory(instances, span, maxSlope),
      max_rss_slope_mb_per_min: maxSlope,
    }
  }
}
