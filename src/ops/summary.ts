import { type Static, Type } from '@sinclair/typebox'
import { Nullable } from '../http/schemas.js'
import type { Runtime } from '../runtime.js'
import { eventLoopLag } from './metrics.js'
import { LatencyHistogram } from './window.js'

const Percentiles = { p50_ms: Type.Number(), p95_ms: Type.Number(), p99_ms: Type.Number(), max_ms: Type.Number() }

export const OpsSummary = Type.Object({
  at: Type.String({ format: 'date-time' }),
  uptime_s: Type.Integer(),
  window_s: Type.Number({ description: 'Rates and percentiles cover this many recent seconds' }),
  instance: Type.Object({ pid: Type.Integer(), env: Type.String(), database: Type.String(), cache: Type.String() }),
  requests: Type.Object({
    count: Type.Integer(),
    rate_per_s: Type.Number(),
    by_status: Type.Object({ '2xx': Type.Integer(), '3xx': Type.Integer(), '4xx': Type.Integer(), '5xx': Type.Integer() }),
    shed: Type.Integer(),
    slow: Type.Integer(),
    ...Percentiles,
  }),
  routes: Type.Array(
    Type.Object({
      route: Type.String({ description: 'METHOD /path/:param' }),
      count: Type.Integer(),
      rate_per_s: Type.Number(),
      errors: Type.Integer({ description: '5xx responses' }),
      shed: Type.Integer(),
      queries_avg: Type.Number(),
      ...Percentiles,
      cache: Type.Object({ hits: Type.Integer(), misses: Type.Integer(), stale: Type.Integer(), fills: Type.Integer(), hit_ratio: Nullable(Type.Number()) }),
    }),
  ),
  pools: Type.Array(
    Type.Object({
      name: Type.String(),
      max: Type.Integer(),
      in_use: Type.Integer(),
      waiting: Type.Integer(),
      queue_max: Type.Integer(),
      wait_deadline_ms: Type.Integer(),
      peak_in_use: Type.Integer(),
      shed_total: Type.Integer(),
      wait_p99_ms: Type.Number(),
    }),
  ),
  cache: Type.Object({
    hit_ratio: Nullable(Type.Number()),
    invalidation_lag_ms: Type.Number(),
    redis_failures: Type.Integer(),
    l1_entries: Type.Integer(),
    l1_bytes: Type.Integer(),
  }),
  watchdog: Type.Object({
    enabled: Type.Boolean(),
    leader: Type.Boolean(),
    interval_ms: Type.Integer(),
    last_run_at: Nullable(Type.String()),
    last_error: Nullable(Type.String()),
    cancels: Type.Integer(),
    terminations: Type.Integer(),
    recent: Type.Array(
      Type.Object({
        at: Type.String(),
        action: Type.String(),
        pid: Type.Integer(),
        class: Type.String(),
        ms: Type.Integer(),
        fingerprint: Type.String(),
        query: Type.String(),
      }),
    ),
  }),
  process: Type.Object({
    rss_bytes: Type.Integer(),
    heap_used_bytes: Type.Integer(),
    event_loop_lag_p99_ms: Type.Number(),
    event_loop_lag_max_ms: Type.Number(),
  }),
})
export type OpsSummary = Static<typeof OpsSummary>

const HIT = new Set(['hit-l1', 'hit-l2', 'hit-memory', 'hit-view'])
const MISS = new Set(['miss', 'collapsed', 'bypass', 'computed', 'uri-miss'])
const STALE = new Set(['stale-refresh', 'stale-served', 'grace'])
const r1 = (n: number) => Math.round(n * 10) / 10

/** The dashboard's view of this instance: the last minute of traffic plus current pool state. */
export function opsSummary(runtime: Runtime): OpsSummary {
  const { ops, cache } = runtime
  const snap = ops.window.snapshot()
  const rate = (n: number) => Math.round((n / snap.seconds) * 100) / 100
  const all = { count: 0, status: { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 }, shed: 0 }
  const hits = { hit: 0, total: 0 }
  const routes: OpsSummary['routes'] = []
  const latencyAll = new LatencyHistogram()
  for (const [route, t] of snap.routes) {
    all.count += t.count
    for (const k of Object.keys(all.status) as (keyof typeof all.status)[]) all.status[k] += t.status[k]
    all.shed += t.shed
    latencyAll.add(t.latency)
    const c = { hits: 0, misses: 0, stale: 0, fills: t.cache.fill ?? 0 }
    for (const [outcome, n] of Object.entries(t.cache)) {
      if (HIT.has(outcome)) c.hits += n
      else if (MISS.has(outcome)) c.misses += n
      else if (STALE.has(outcome)) c.stale += n
    }
    const served = c.hits + c.misses + c.stale
    hits.hit += c.hits
    hits.total += served
    routes.push({
      route,
      count: t.count,
      rate_per_s: rate(t.count),
      errors: t.status['5xx'],
      shed: t.shed,
      queries_avg: t.count ? r1(t.queries / t.count) : 0,
      p50_ms: r1(t.latency.quantile(0.5)),
      p95_ms: r1(t.latency.quantile(0.95)),
      p99_ms: r1(t.latency.quantile(0.99)),
      max_ms: r1(t.latency.max),
      cache: { ...c, hit_ratio: served ? Math.round((c.hits / served) * 1000) / 1000 : null },
    })
  }
  routes.sort((a, b) => b.count - a.count)
  const q = (p: number) => r1(latencyAll.quantile(p))
  const wd = ops.watchdog?.stats()
  const mem = process.memoryUsage()
  const lag = eventLoopLag()
  return {
    at: new Date().toISOString(),
    uptime_s: Math.round((Date.now() - ops.startedAt) / 1000),
    window_s: r1(snap.seconds),
    instance: { pid: process.pid, env: runtime.config.env, database: runtime.database.kind, cache: cache.redis ? 'redis' : 'memory' },
    requests: {
      count: all.count,
      rate_per_s: rate(all.count),
      by_status: all.status,
      shed: snap.counters.get('shed') ?? 0,
      slow: snap.counters.get('slow_requests') ?? 0,
      p50_ms: q(0.5),
      p95_ms: q(0.95),
      p99_ms: q(0.99),
      max_ms: r1(latencyAll.max),
    },
    routes,
    pools: Object.values(ops.gates)
      .filter((g) => g.stats().name === 'web' || runtime.reportDb !== runtime.db)
      .map((g) => {
        const s = g.stats()
        return {
          name: s.name,
          max: s.max,
          in_use: s.inUse,
          waiting: s.waiting,
          queue_max: s.queueMax,
          wait_deadline_ms: s.waitMs,
          peak_in_use: s.peakInUse,
          shed_total: s.shed.queue_full + s.shed.deadline,
          wait_p99_ms: r1(snap.poolWait.get(s.name)?.quantile(0.99) ?? 0),
        }
      }),
    cache: {
      hit_ratio: hits.total ? Math.round((hits.hit / hits.total) * 1000) / 1000 : null,
      invalidation_lag_ms: Math.round(ops.metrics.lastInvalidationLagMs),
      redis_failures: cache.events.redisFailures,
      l1_entries: cache.engine.l1.size,
      l1_bytes: cache.engine.l1.calculatedSize ?? 0,
    },
    watchdog: {
      enabled: wd?.enabled ?? false,
      leader: wd?.leader ?? false,
      interval_ms: wd?.intervalMs ?? 0,
      last_run_at: wd?.lastRunAt ?? null,
      last_error: wd?.lastError ?? null,
      cancels: wd?.cancels ?? 0,
      terminations: wd?.terminations ?? 0,
      recent: (wd?.recent ?? []).slice(0, 20),
    },
    process: {
      rss_bytes: mem.rss,
      heap_used_bytes: mem.heapUsed,
      event_loop_lag_p99_ms: r1(lag.p99Ms),
      event_loop_lag_max_ms: r1(lag.maxMs),
    },
  }
}
