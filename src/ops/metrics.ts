import { monitorEventLoopDelay } from 'node:perf_hooks'
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client'
import type { CacheEngine } from '../cache/engine.js'
import type { CacheEvents, Outcome } from '../cache/events.js'
import type { AdmissionGate, ShedReason } from './admission.js'
import { TallyCounter, TallyHistogram } from './tallies.js'
import type { TrafficWindow } from './window.js'

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]
const QUERY_BUCKETS = [0, 1, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 50, 100]

/**
 * Process-wide metrics (memory, CPU, event-loop lag, GC) are collected once per process; each app
 * instance has its own registry for what it serves, so several instances in one process (tests)
 * never mix their numbers.
 */
let processRegistry: Registry | null = null
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry()
    collectDefaultMetrics({ register: processRegistry })
  }
  return processRegistry
}

/** Event-loop delay of the last minute, in 5-second snapshots, for the JSON summary. */
interface LoopSnapshot {
  p99Ms: number
  maxMs: number
}
let loopSnapshots: LoopSnapshot[] | null = null
function loopDelay(): LoopSnapshot[] {
  if (!loopSnapshots) {
    const snaps: LoopSnapshot[] = []
    const h = monitorEventLoopDelay({ resolution: 10 })
    h.enable()
    setInterval(() => {
      snaps.push({ p99Ms: h.percentile(99) / 1e6, maxMs: h.max / 1e6 })
      if (snaps.length > 12) snaps.shift()
      h.reset()
    }, 5_000).unref()
    loopSnapshots = snaps
  }
  return loopSnapshots
}

export function eventLoopLag(): { p99Ms: number; maxMs: number } {
  const s = loopDelay()
  return { p99Ms: Math.max(0, ...s.map((x) => x.p99Ms)), maxMs: Math.max(0, ...s.map((x) => x.maxMs)) }
}

export type WatchdogAction = 'cancel' | 'terminate'

/** The Prometheus side of operations; also the sink of the cache's events. */
export class OpsMetrics implements CacheEvents {
  readonly registry = new Registry()
  private readonly r = [this.registry]

  // Observed on every request (labels in this order): tallies, not prom-client's hashing metrics.
  readonly httpDuration = new TallyHistogram('quad_http_request_duration_seconds', 'Request latency by route', ['method', 'route'], LATENCY_BUCKETS, this.r)
  readonly httpRequests = new TallyCounter('quad_http_requests_total', 'Requests by route and status', ['method', 'route', 'status'], this.r)
  readonly slowRequests = new Counter({
    name: 'quad_http_slow_requests_total',
    help: 'Requests slower than QUAD_SLOW_REQUEST_MS',
    labelNames: ['route'] as const,
    registers: this.r,
  })
  readonly queriesPerRequest = new TallyHistogram('quad_db_queries_per_request', 'SQL queries run by one request', ['route'], QUERY_BUCKETS, this.r)
  readonly budgetExceeded = new Counter({
    name: 'quad_db_query_budget_exceeded_total',
    help: 'Requests that ran more queries than their route declares',
    labelNames: ['route'] as const,
    registers: this.r,
  })
  readonly queryDuration = new Histogram({
    name: 'quad_db_query_duration_seconds',
    help: 'SQL statement latency by pool',
    labelNames: ['pool'] as const,
    buckets: LATENCY_BUCKETS,
    registers: this.r,
  })
  readonly slowQueries = new Counter({
    name: 'quad_db_slow_queries_total',
    help: 'Statements slower than QUAD_SLOW_QUERY_MS',
    labelNames: ['pool'] as const,
    registers: this.r,
  })
  readonly queryErrors = new Counter({
    name: 'quad_db_query_errors_total',
    help: 'Failed statements by SQLSTATE (57014 = cancelled by timeout or watchdog)',
    labelNames: ['pool', 'code'] as const,
    registers: this.r,
  })
  readonly poolWait = new Histogram({
    name: 'quad_db_pool_wait_seconds',
    help: 'Time a request waited for a database connection',
    labelNames: ['pool'] as const,
    buckets: [0, 0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5],
    registers: this.r,
  })
  readonly shed = new Counter({
    name: 'quad_db_shed_total',
    help: 'Requests refused with 503 OVERLOADED (queue full or wait deadline passed)',
    labelNames: ['pool', 'reason'] as const,
    registers: this.r,
  })
  readonly watchdogActions = new Counter({
    name: 'quad_watchdog_actions_total',
    help: 'Queries cancelled or backends terminated by the watchdog',
    labelNames: ['action', 'class'] as const,
    registers: this.r,
  })
  readonly watchdogLeader = new Gauge({
    name: 'quad_watchdog_leader',
    help: '1 while this instance holds the watchdog lock and acts',
    registers: this.r,
  })
  readonly cacheRequests = new TallyCounter('quad_cache_requests_total', 'Cached reads by route and outcome (hit-l1, hit-l2, hit-memory, hit-view, computed, miss, collapsed, stale-*, grace, bypass, uri-miss)', ['route', 'outcome'], this.r)
  readonly cacheFills = new Counter({
    name: 'quad_cache_fills_total',
    help: 'Responses computed from the database, by whether they were stored fresh',
    labelNames: ['route', 'stored'] as const,
    registers: this.r,
  })
  readonly cacheFillDuration = new Histogram({
    name: 'quad_cache_fill_duration_seconds',
    help: 'Time to compute a cached response',
    labelNames: ['route'] as const,
    buckets: LATENCY_BUCKETS,
    registers: this.r,
  })
  readonly leaseWaits = new Counter({
    name: 'quad_cache_lease_waits_total',
    help: 'Fills that waited for another instance holding the lease',
    labelNames: ['route'] as const,
    registers: this.r,
  })
  readonly redisFailures = new Counter({ name: 'quad_cache_redis_failures_total', help: 'Redis outages seen by the cache', registers: this.r })
  readonly invalidationLagSeconds = new Histogram({
    name: 'quad_cache_invalidation_lag_seconds',
    help: 'Commit-to-applied delay of changes picked up by the invalidator',
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
    registers: this.r,
  })
  lastInvalidationLagMs = 0

  constructor(private readonly window: TrafficWindow) {
    processMetrics()
    loopDelay()
  }

  /** Pool gauges read the gates when scraped. */
  watchGates(gates: AdmissionGate[]): void {
    const gauge = (name: string, help: string, pick: (g: ReturnType<AdmissionGate['stats']>) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['pool'] as const,
        registers: this.r,
        collect() {
          for (const g of gates) {
            const s = g.stats()
            this.set({ pool: s.name }, pick(s))
          }
        },
      })
    gauge('quad_db_pool_in_use', 'Connections in use', (s) => s.inUse)
    gauge('quad_db_pool_waiting', 'Requests waiting for a connection', (s) => s.waiting)
    gauge('quad_db_pool_max', 'Pool size', (s) => s.max)
  }

  watchCache(engine: CacheEngine): void {
    new Gauge({
      name: 'quad_cache_l1_bytes',
      help: 'Bytes held by this process’s L1 cache',
      registers: this.r,
      collect() {
        this.set(engine.l1.calculatedSize ?? 0)
      },
    })
    new Gauge({
      name: 'quad_cache_l1_entries',
      help: 'Entries in this process’s L1 cache',
      registers: this.r,
      collect() {
        this.set(engine.l1.size)
      },
    })
  }

  /** reason event_loop: refused at the front door while the process was saturated (LoopLag). */
  shedOne(pool: string, reason: ShedReason | 'event_loop'): void {
    this.shed.inc({ pool, reason })
    this.window.count('shed')
  }

  waited(pool: string, ms: number): void {
    this.poolWait.observe({ pool }, ms / 1000)
    this.window.poolWait(pool, ms)
  }

  watchdog(action: WatchdogAction, cls: string): void {
    this.watchdogActions.inc({ action, class: cls })
    this.window.count(`watchdog_${action}`)
  }

  // CacheEvents
  served(route: string, outcome: Outcome): void {
    this.cacheRequests.inc([route, outcome])
    this.window.cache(route, outcome)
  }
  fill(route: string, ms: number, storedFresh: boolean): void {
    this.cacheFills.inc({ route, stored: storedFresh ? 'fresh' : 'stale' })
    this.cacheFillDuration.observe({ route }, ms / 1000)
    this.window.cache(route, 'fill')
  }
  leaseWait(route: string): void {
    this.leaseWaits.inc({ route })
  }
  invalidationLag(ms: number): void {
    this.lastInvalidationLagMs = ms
    this.invalidationLagSeconds.observe(ms / 1000)
  }
  redisFailure(): void {
    this.redisFailures.inc()
  }

  /** Prometheus text: this instance's metrics followed by the process's. */
  async text(): Promise<string> {
    const [own, proc] = await Promise.all([this.registry.metrics(), processMetrics().metrics()])
    return `${own}\n${proc}`
  }

  get contentType(): string {
    return this.registry.contentType
  }
}
