import type { BenchDatabase, PgCounters } from '../database.js'
import type { LoadResult } from '../load/protocol.js'
import type { CacheClass, RouteSummary, Source } from '../load/stats.js'
import type { BenchOptions } from '../options.js'
import type { ProcSampler } from '../procstat.js'
import type { BaselineReport } from '../baseline/compare.js'
import type { MemoryReport } from '../memory.js'
import type { StatementsReport } from '../statements.js'
import type { BenchReport, ClassDbRow, DrillResult, ListSources, RouteRow } from './types.js'

const r1 = (n: number) => Math.round(n * 10) / 10
const r3 = (n: number) => Math.round(n * 1000) / 1000

const CACHE_CLASSES: CacheClass[] = ['hit', 'stale', 'miss', 'computed', 'collapsed', 'refresh', 'bypass']
const r4 = (n: number) => Math.round(n * 10_000) / 10_000
const NO_SOURCES: Record<Source, number> = { stored: 0, computed: 0, sql: 0, unanswered: 0 }

/** The directory list: the share of its answered responses from stored bytes, computed without SQL, needing SQL. */
export function listSources(routes: RouteSummary[], route = 'GET /api/clubs'): ListSources {
  const src = routes.find((r) => r.route === route)?.sources ?? NO_SOURCES
  const answered = src.stored + src.computed + src.sql
  const part = (count: number) => ({ count, share: answered ? r4(count / answered) : 0 })
  return {
    route,
    answered,
    unanswered: src.unanswered,
    stored: part(src.stored),
    computed: part(src.computed),
    sql: part(src.sql),
    source:
      'per response: needing SQL when Server-Timing counts at least one query (the request led a model catch-up), else stored bytes when Cache-Status is a hit (fresh or stale), else computed from the model (Cache-Status fwd=miss; detail="view")',
  }
}

/** Server-Timing database work per traffic class, most database time first. */
export function dbByClass(classes: Record<string, { responses: number; with_server_timing: number; db_ms: number; queries: number; with_queries: number }>): ClassDbRow[] {
  const total = Object.values(classes).reduce((n, c) => n + c.db_ms, 0)
  return Object.entries(classes)
    .map(([name, c]) => ({
      name,
      responses: c.responses,
      with_server_timing: c.with_server_timing,
      db_ms: r1(c.db_ms),
      statements: c.queries,
      with_statements: c.with_queries,
      db_ms_per_request: c.responses ? r3(c.db_ms / c.responses) : 0,
      statements_per_request: c.responses ? r3(c.queries / c.responses) : 0,
      db_share: total ? r4(c.db_ms / total) : 0,
    }))
    .sort((a, b) => b.db_ms - a.db_ms || a.name.localeCompare(b.name))
}

/** Share of responses served from cached bytes (fresh or labelled stale) among those with Cache-Status. */
export function hitRatio(cache: Partial<Record<CacheClass, number>>): number | null {
  const total = CACHE_CLASSES.reduce((n, c) => n + (cache[c] ?? 0), 0)
  return total ? ((cache.hit ?? 0) + (cache.stale ?? 0)) / total : null
}

function routeRow(r: RouteSummary, duration: number): RouteRow {
  const hr = hitRatio(r.cache)
  return {
    route: r.route,
    responses: r.responses,
    rps: r1(r.responses / duration),
    p50: r.p50,
    p90: r.p90,
    p99: r.p99,
    max: r.max,
    errors: r.errors,
    statuses: r.statuses,
    hit_ratio: hr === null ? null : r3(hr),
    cache: r.cache,
    queries_per_request: r.responses ? r3(r.queries / r.responses) : 0,
    db_ms_per_request: r.responses ? r3(r.db_ms / r.responses) : 0,
    sources: r.sources,
  }
}

export interface ReportInput {
  o: BenchOptions
  startedAt: Date
  finishedAt: Date
  db: BenchDatabase
  sizes: { clubs: number; users: number; submissions: number }
  classes: { name: string; connections: number; rate: number; run: boolean; reason?: string }[]
  result: LoadResult
  pg: { before: PgCounters; after: PgCounters }
  writes: Record<string, { acknowledged: number; found: number }>
  sampler: ProcSampler
  pids: number[]
  baseline: BaselineReport
  memory: MemoryReport
  writer: 'http' | 'direct' | 'none'
  drills: DrillResult[]
  statements: StatementsReport
  notes: string[]
}

export function buildReport(i: ReportInput): BenchReport {
  const notes = [...i.notes]
  if (i.baseline.generator_cpu_max_pct >= 90) {
    notes.push(
      `wrk used up to ${i.baseline.generator_cpu_max_pct} % of a core in the baseline comparison: where it did, the generator may have capped the server's throughput, so that cell's ratio is not a clean measure`,
    )
  }
  if (i.memory.flat === false) notes.push(`memory not flat: an instance's RSS grew faster than ${i.memory.max_rss_slope_mb_per_min} MB per minute over the last half of the run`)
  const s = i.result.stats
  // Every rate of the report is per this (reported) duration.
  const duration = r3(s.durationS)
  const responses = s.routes.reduce((n, r) => n + r.responses, 0)
  const errors = s.routes.reduce((n, r) => n + r.errors, 0)
  const queries = s.routes.reduce((n, r) => n + r.queries, 0)
  const cache: BenchReport['cache'] = { with_cache_status: 0 }
  for (const r of s.routes) {
    for (const c of CACHE_CLASSES) {
      const n = r.cache[c] ?? 0
      if (!n) continue
      cache[c] = (cache[c] ?? 0) + n
      cache.with_cache_status += n
    }
  }
  const hr = hitRatio(cache)
  const d = (k: keyof Omit<PgCounters, 'at'>) => r1((i.pg.after[k] - i.pg.before[k]) / duration)
  const sampled = i.sampler.summary()
  const procs = sampled.slice(0, i.pids.length).map((p, k) => ({ pid: i.pids[k]!, ...p }))
  const generator = sampled[i.pids.length]
  const cpuBySecond = new Map<number, number>()
  for (const t of i.sampler.timeline) cpuBySecond.set(Math.floor(t.t), t.cpu_pct)

  const submission = i.writes.submission ?? { acknowledged: 0, found: 0 }
  return {
    started_at: i.startedAt.toISOString(),
    finished_at: i.finishedAt.toISOString(),
    options: { scale: i.o.scale, duration_s: i.o.duration, instances: i.o.instances, random_seed: i.o.randomSeed, mix: i.o.mix },
    machine: { ...i.sampler.machine(), node: process.version },
    database: { server: i.db.server, origin: i.db.origin, prepare_s: r1(i.db.seedMs / 1000), ...i.sizes },
    classes: i.classes,
    duration_s: duration,
    responses,
    requests_per_s: r1(responses / duration),
    errors,
    routes: s.routes.map((r) => routeRow(r, duration)),
    hit_ratio: hr === null ? null : r3(hr),
    cache,
    db_queries: queries,
    db_queries_per_s: r1(queries / duration),
    db_queries_source: 'Server-Timing: sum of the per-response query counts (statements run by request handlers)',
    queries_per_request: responses ? r3(queries / responses) : 0,
    db_by_class: dbByClass(s.classes),
    db_by_class_source:
      'Server-Timing of each response, summed per traffic class: db;dur is the wall time the request handler waited for its statements (round trips, and the event loop of a busy server), not PostgreSQL execution time (see statements); desc="N queries" counts the statements it ran',
    list: listSources(s.routes),
    statements: i.statements,
    pg_stat: {
      source:
        'pg_stat_database of the benchmark database: everything the servers did from start to stop (startup, the baseline phase of cached reads, the scenario, invalidator polling, the probe writer), per second of the scenario',
      xact_per_s: d('xact'),
      tup_returned_per_s: d('tup_returned'),
      tup_fetched_per_s: d('tup_fetched'),
      tup_written_per_s: d('tup_written'),
    },
    submissions: { ...submission, route_available: i.classes.some((c) => c.name === 'submit' && c.run) },
    writes: i.writes,
    anomalies: i.result.anomalies,
    stale_reads: i.result.consistency.stale_reads,
    consistency: { ...i.result.consistency, writer: i.writer },
    server: {
      processes: procs,
      cpu_avg_pct: r1(procs.reduce((n, p) => n + p.cpu_avg_pct, 0)),
    },
    memory: i.memory,
    load_generator: { cpu_avg_pct: generator?.cpu_avg_pct ?? 0, cpu_max_pct: generator?.cpu_max_pct ?? 0 },
    baseline: i.baseline,
    drills: i.drills,
    timeline: s.timeline.map((t) => ({ ...t, cpu_pct: cpuBySecond.get(t.t) ?? null })),
    notes,
  }
}
