import * as hdr from 'hdr-histogram-js'

/**
 * How a cached response was answered, from its Cache-Status header (RFC 9211). `hit` is stored
 * bytes (the byte cache, or a derived view's stored variant: `detail="view"`); `computed` is a
 * variant computed in process from a derived view (`fwd=miss; stored; detail="view"`): no stored
 * bytes, but no SQL either unless the request led the view's catch-up (see Server-Timing).
 */
export type CacheClass = 'hit' | 'stale' | 'miss' | 'computed' | 'collapsed' | 'refresh' | 'bypass'

export function cacheClass(header: string | undefined): CacheClass | null {
  if (!header) return null
  if (/;\s*hit\b/.test(header)) return /ttl=-/.test(header) ? 'stale' : 'hit'
  if (/fwd=miss;\s*collapsed/.test(header)) return 'collapsed'
  if (/fwd=miss\b/.test(header)) return /detail="view"/.test(header) ? 'computed' : 'miss'
  // An unknown id: answered by the origin and not stored.
  if (/fwd=uri-miss\b/.test(header)) return 'miss'
  if (/fwd=stale/.test(header)) return 'refresh'
  if (/fwd=bypass/.test(header)) return 'bypass'
  return null
}

/** Query count of `Server-Timing: db;dur=..;desc="N queries"`, null when absent. */
export function serverTimingQueries(header: string | undefined): number | null {
  const m = header ? /desc="(\d+) queries"/.exec(header) : null
  return m ? Number(m[1]) : null
}

/** Milliseconds of `Server-Timing: db;dur=<ms>`, null when absent. */
export function serverTimingDbMs(header: string | undefined): number | null {
  const m = header ? /(?:^|,)\s*db;dur=([\d.]+)/.exec(header) : null
  return m ? Number(m[1]) : null
}

/**
 * Where an answered response came from: stored bytes (a cache hit, fresh or stale), computed
 * without SQL (a derived view's variant, or any other answer whose Server-Timing counts no
 * query), or needing SQL (Server-Timing counts at least one query). `unanswered`: neither 2xx nor
 * 304 (errors, refusals), kept out of the three shares.
 */
export type Source = 'stored' | 'computed' | 'sql' | 'unanswered'

export function sourceOf(status: number, cache: CacheClass | null, queries: number | null): Source {
  if (!((status >= 200 && status < 300) || status === 304)) return 'unanswered'
  if (queries !== null && queries > 0) return 'sql'
  if (cache === 'hit' || cache === 'stale') return 'stored'
  return 'computed'
}

/** Database work a set of responses reported in Server-Timing. */
export interface DbWork {
  responses: number
  /** Responses that carried `Server-Timing: db;...`. */
  with_server_timing: number
  /** Sum of `db;dur` (ms). */
  db_ms: number
  /** Sum of `desc="N queries"`. */
  queries: number
  /** Responses with at least one query. */
  with_queries: number
}

const noWork = (): DbWork => ({ responses: 0, with_server_timing: 0, db_ms: 0, queries: 0, with_queries: 0 })

export interface RouteSummary {
  route: string
  responses: number
  /** Responses per second of the measured duration. */
  rps: number
  p50: number
  p90: number
  p99: number
  max: number
  mean: number
  /** Unexpected statuses + connection errors + timeouts. */
  errors: number
  connection_errors: number
  timeouts: number
  statuses: Record<string, number>
  cache: Partial<Record<CacheClass, number>>
  /** Sum of Server-Timing query counts over the responses that carried one. */
  queries: number
  /** Sum of Server-Timing db durations (ms). */
  db_ms: number
  /** Answered responses by where they came from (see Source). */
  sources: Record<Source, number>
  /** 503 responses that carried Retry-After. */
  retry_after_503: number
  bytes: number
}

/** One response of a drill log: [end (epoch ms), latency ms, route index, status, flags, Server-Timing queries or -1]. */
export type LogRow = [number, number, number, number, number, number]
export const LOG_RETRY_AFTER = 1
export const LOG_CACHE_HIT = 2
export const LOG_CACHE_STALE = 4
export const LOG_CONN_ERROR = 8
/** The status is not one the class expects (a 503 during an outage is judged by the drill). */
export const LOG_NOT_OK = 16

export interface StatsSnapshot {
  routes: RouteSummary[]
  /** Database work per traffic class (the class that sent the request). */
  classes: Record<string, DbWork>
  /** Responses and errors per whole second since the start. */
  timeline: { t: number; responses: number; errors: number }[]
  durationS: number
  log?: { routes: string[]; rows: LogRow[] }
}

class RouteStats {
  responses = 0
  errors = 0
  connErrors = 0
  timeouts = 0
  statuses = new Map<number, number>()
  cache = new Map<CacheClass, number>()
  queries = 0
  dbMs = 0
  sources: Record<Source, number> = { stored: 0, computed: 0, sql: 0, unanswered: 0 }
  retryAfter503 = 0
  bytes = 0
  // Microseconds, up to 2 minutes.
  readonly hist = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 120_000_000, numberOfSignificantValueDigits: 3 })

  constructor(readonly route: string) {}
}

export interface Observation {
  route: string
  /** Traffic class that sent the request. */
  cls?: string
  status: number
  latencyMs: number
  bytes: number
  ok: boolean
  headers: Record<string, string>
}

/** Everything the load process counts: per route, per second, and optionally every response. */
export class Stats {
  private readonly routes = new Map<string, RouteStats>()
  private readonly classes = new Map<string, DbWork>()
  private readonly seconds: { responses: number; errors: number }[] = []
  private startedAt = 0
  private stoppedAt = 0
  private readonly log: LogRow[] | null
  private readonly logRoutes: string[] = []

  constructor(opts: { log?: boolean } = {}) {
    this.log = opts.log ? [] : null
  }

  start(now = performance.now()): void {
    this.startedAt = now
  }

  stop(now = performance.now()): void {
    this.stoppedAt = now
  }

  get total(): number {
    let n = 0
    for (const r of this.routes.values()) n += r.responses
    return n
  }

  get totalErrors(): number {
    let n = 0
    for (const r of this.routes.values()) n += r.errors
    return n
  }

  private route(name: string): RouteStats {
    let r = this.routes.get(name)
    if (!r) this.routes.set(name, (r = new RouteStats(name)))
    return r
  }

  private second(now: number) {
    const i = Math.max(0, Math.floor((now - this.startedAt) / 1000))
    while (this.seconds.length <= i) this.seconds.push({ responses: 0, errors: 0 })
    return this.seconds[i]!
  }

  record(o: Observation, now = performance.now()): void {
    const r = this.route(o.route)
    r.responses++
    r.bytes += o.bytes
    r.statuses.set(o.status, (r.statuses.get(o.status) ?? 0) + 1)
    r.hist.recordValue(Math.max(1, Math.round(o.latencyMs * 1000)))
    const cc = cacheClass(o.headers['cache-status'])
    if (cc) r.cache.set(cc, (r.cache.get(cc) ?? 0) + 1)
    const timing = o.headers['server-timing']
    const q = serverTimingQueries(timing)
    const dbMs = serverTimingDbMs(timing)
    if (q !== null) r.queries += q
    if (dbMs !== null) r.dbMs += dbMs
    r.sources[sourceOf(o.status, cc, q)]++
    if (o.cls) {
      let w = this.classes.get(o.cls)
      if (!w) this.classes.set(o.cls, (w = noWork()))
      w.responses++
      if (q !== null || dbMs !== null) w.with_server_timing++
      w.db_ms += dbMs ?? 0
      w.queries += q ?? 0
      if (q) w.with_queries++
    }
    const retryAfter = o.status === 503 && o.headers['retry-after'] !== undefined
    if (retryAfter) r.retryAfter503++
    if (!o.ok) r.errors++
    const s = this.second(now)
    s.responses++
    if (!o.ok) s.errors++
    if (this.log) {
      const flags = (retryAfter ? LOG_RETRY_AFTER : 0) | (cc === 'hit' ? LOG_CACHE_HIT : 0) | (cc === 'stale' ? LOG_CACHE_STALE : 0) | (o.ok ? 0 : LOG_NOT_OK)
      this.log.push([performance.timeOrigin + now, o.latencyMs, this.logIndex(o.route), o.status, flags, q ?? -1])
    }
  }

  /** A connection error or timeout: no response, counted against the route that was in flight. */
  failure(route: string, kind: 'connection' | 'timeout', now = performance.now()): void {
    const r = this.route(route)
    r.errors++
    if (kind === 'timeout') r.timeouts++
    else r.connErrors++
    this.second(now).errors++
    this.log?.push([performance.timeOrigin + now, 0, this.logIndex(route), 0, LOG_CONN_ERROR | LOG_NOT_OK, -1])
  }

  private logIndex(route: string): number {
    let i = this.logRoutes.indexOf(route)
    if (i < 0) i = this.logRoutes.push(route) - 1
    return i
  }

  snapshot(): StatsSnapshot {
    const end = this.stoppedAt || performance.now()
    const durationS = Math.max(1e-3, (end - this.startedAt) / 1000)
    const ms = (us: number) => Math.round(us) / 1000
    // Percentiles are bucket upper bounds (3 significant digits); the max is exact.
    const at = (r: RouteStats, p: number) => ms(Math.min(r.hist.getValueAtPercentile(p), r.hist.maxValue))
    const routes = [...this.routes.values()].map((r) => ({
      route: r.route,
      responses: r.responses,
      rps: r.responses / durationS,
      p50: at(r, 50),
      p90: at(r, 90),
      p99: at(r, 99),
      max: ms(r.hist.maxValue),
      mean: ms(r.hist.mean),
      errors: r.errors,
      connection_errors: r.connErrors,
      timeouts: r.timeouts,
      statuses: Object.fromEntries([...r.statuses].sort((a, b) => a[0] - b[0]).map(([k, v]) => [String(k), v])),
      cache: Object.fromEntries(r.cache),
      queries: r.queries,
      db_ms: Math.round(r.dbMs * 10) / 10,
      sources: { ...r.sources },
      retry_after_503: r.retryAfter503,
      bytes: r.bytes,
    }))
    routes.sort((a, b) => b.responses - a.responses)
    const classes = Object.fromEntries([...this.classes].sort((a, b) => a[0].localeCompare(b[0])).map(([k, w]) => [k, { ...w, db_ms: Math.round(w.db_ms * 10) / 10 }]))
    return {
      routes,
      classes,
      timeline: this.seconds.map((s, t) => ({ t, ...s })),
      durationS,
      ...(this.log ? { log: { routes: this.logRoutes, rows: this.log } } : {}),
    }
  }
}
