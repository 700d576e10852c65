/**
 * Recent-traffic statistics for the ops dashboard: the last minute in 5-second slots, so rates and
 * percentiles describe now rather than the whole life of the process (Prometheus has that).
 */

const SLOT_MS = 5_000
const SLOTS = 12
export const WINDOW_MS = SLOT_MS * SLOTS

// Latency buckets grow by 10 %: percentiles are exact to within 5 %, and slots merge by addition.
const GROWTH = 1.1
const MIN_MS = 0.05
const BUCKETS = Math.ceil(Math.log(600_000 / MIN_MS) / Math.log(GROWTH)) + 1

function bucketOf(ms: number): number {
  if (ms <= MIN_MS) return 0
  return Math.min(BUCKETS - 1, Math.ceil(Math.log(ms / MIN_MS) / Math.log(GROWTH)))
}
const bucketValue = (b: number) => MIN_MS * GROWTH ** b

export class LatencyHistogram {
  readonly counts = new Uint32Array(BUCKETS)
  total = 0
  max = 0

  record(ms: number): void {
    this.counts[bucketOf(ms)]!++
    this.total++
    if (ms > this.max) this.max = ms
  }

  add(other: LatencyHistogram): void {
    for (let i = 0; i < BUCKETS; i++) this.counts[i]! += other.counts[i]!
    this.total += other.total
    if (other.max > this.max) this.max = other.max
  }

  /** Upper edge of the bucket holding the q-quantile (capped at the largest value seen). */
  quantile(q: number): number {
    if (this.total === 0) return 0
    const rank = Math.ceil(q * this.total)
    let seen = 0
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i]!
      if (seen >= rank) return Math.min(bucketValue(i), this.max)
    }
    return this.max
  }
}

export interface RouteTotals {
  count: number
  status: { '2xx': number; '3xx': number; '4xx': number; '5xx': number }
  queries: number
  shed: number
  cache: Record<string, number>
  latency: LatencyHistogram
}

const newTotals = (): RouteTotals => ({
  count: 0,
  status: { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 },
  queries: 0,
  shed: 0,
  cache: {},
  latency: new LatencyHistogram(),
})

function addTotals(into: RouteTotals, t: RouteTotals): void {
  into.count += t.count
  for (const k of Object.keys(t.status) as (keyof RouteTotals['status'])[]) into.status[k] += t.status[k]
  into.queries += t.queries
  into.shed += t.shed
  for (const [k, n] of Object.entries(t.cache)) into.cache[k] = (into.cache[k] ?? 0) + n
  into.latency.add(t.latency)
}

interface Slot {
  epoch: number
  routes: Map<string, RouteTotals>
  counters: Map<string, number>
  poolWait: Map<string, LatencyHistogram>
}

export class TrafficWindow {
  private readonly slots: Slot[] = Array.from({ length: SLOTS }, () => ({ epoch: -1, routes: new Map(), counters: new Map(), poolWait: new Map() }))
  private readonly startedAt: number

  constructor(private readonly now: () => number = Date.now) {
    this.startedAt = now()
  }

  private slot(): Slot {
    const epoch = Math.floor(this.now() / SLOT_MS)
    const s = this.slots[epoch % SLOTS]!
    if (s.epoch !== epoch) {
      s.epoch = epoch
      s.routes.clear()
      s.counters.clear()
      s.poolWait.clear()
    }
    return s
  }

  private route(key: string): RouteTotals {
    const s = this.slot()
    let t = s.routes.get(key)
    if (!t) s.routes.set(key, (t = newTotals()))
    return t
  }

  request(route: string, status: number, ms: number, queries: number): void {
    const t = this.route(route)
    t.count++
    const cls = status >= 500 ? '5xx' : status >= 400 ? '4xx' : status >= 300 ? '3xx' : '2xx'
    t.status[cls]++
    t.queries += queries
    t.latency.record(ms)
  }

  shed(route: string): void {
    this.route(route).shed++
  }

  cache(route: string, outcome: string): void {
    const t = this.route(route)
    t.cache[outcome] = (t.cache[outcome] ?? 0) + 1
  }

  poolWait(pool: string, ms: number): void {
    const s = this.slot()
    let h = s.poolWait.get(pool)
    if (!h) s.poolWait.set(pool, (h = new LatencyHistogram()))
    h.record(ms)
  }

  /** Counts an event (slow request, watchdog cancel, ...) in the window. */
  count(name: string, n = 1): void {
    const c = this.slot().counters
    c.set(name, (c.get(name) ?? 0) + n)
  }

  /** Totals over the last minute (or since start, if shorter). */
  snapshot(): { seconds: number; routes: Map<string, RouteTotals>; counters: Map<string, number>; poolWait: Map<string, LatencyHistogram> } {
    const current = Math.floor(this.now() / SLOT_MS)
    const routes = new Map<string, RouteTotals>()
    const counters = new Map<string, number>()
    const poolWait = new Map<string, LatencyHistogram>()
    for (const s of this.slots) {
      if (s.epoch < 0 || current - s.epoch >= SLOTS) continue
      for (const [k, t] of s.routes) {
        let into = routes.get(k)
        if (!into) routes.set(k, (into = newTotals()))
        addTotals(into, t)
      }
      for (const [k, n] of s.counters) counters.set(k, (counters.get(k) ?? 0) + n)
      for (const [k, h] of s.poolWait) {
        let into = poolWait.get(k)
        if (!into) poolWait.set(k, (into = new LatencyHistogram()))
        into.add(h)
      }
    }
    // Eleven whole slots plus the part of the current one that has passed.
    const covered = (SLOTS - 1) * SLOT_MS + (this.now() - current * SLOT_MS)
    const seconds = Math.max(1, Math.min(covered, this.now() - this.startedAt) / 1000)
    return { seconds, routes, counters, poolWait }
  }
}
