import type { BaselineReport } from '../baseline/compare.js'
import type { ConsistencySummary } from '../load/consistency.js'
import type { MemoryReport } from '../memory.js'
import type { CacheClass, Source } from '../load/stats.js'
import type { ClassMix } from '../options.js'
import type { MachineSummary, ProcSummary } from '../procstat.js'
import type { StatementsReport } from '../statements.js'

export type { StatementsReport }

export interface RouteRow {
  route: string
  responses: number
  rps: number
  p50: number
  p90: number
  p99: number
  max: number
  errors: number
  statuses: Record<string, number>
  /** Share of cached answers among the responses that carried Cache-Status; null for private routes. */
  hit_ratio: number | null
  /** How the responses were answered, from Cache-Status (hit, stale, miss, collapsed, refresh, bypass). */
  cache: Partial<Record<CacheClass, number>>
  /** Server-Timing query count per response. */
  queries_per_request: number
  /** Server-Timing database milliseconds per response. */
  db_ms_per_request: number
  /** Answered responses by where they came from: stored bytes, computed without SQL, needing SQL. */
  sources: Record<Source, number>
}

/** Database work of one traffic class, from its responses' Server-Timing headers. */
export interface ClassDbRow {
  name: string
  responses: number
  /** Responses that carried Server-Timing (all of Quad's do). */
  with_server_timing: number
  /** Sum of `db;dur` (ms): time the class's requests spent waiting on the database. */
  db_ms: number
  /** Sum of `desc="N queries"`: statements the class's requests ran. */
  statements: number
  /** Responses that ran at least one statement. */
  with_statements: number
  db_ms_per_request: number
  statements_per_request: number
  /** Share of the Server-Timing database time of every class. */
  db_share: number
}

/** How `GET /api/clubs` responses were made; the three shares sum to 1 over `answered`. */
export interface ListSources {
  route: string
  answered: number
  /** Responses neither 2xx nor 304 (errors, refusals): not in the shares. */
  unanswered: number
  stored: { count: number; share: number }
  computed: { count: number; share: number }
  sql: { count: number; share: number }
  source: string
}

export interface DrillResult {
  name: string
  /** null: not run (the server lacks what the drill exercises); `reason` says why. */
  pass: boolean | null
  reason?: string
  summary: string
  figures: Record<string, number | string | boolean | null>
  /** Each criterion with its outcome, so a FAIL says which one. */
  checks: { name: string; pass: boolean; detail: string }[]
}

export interface BenchReport {
  started_at: string
  finished_at: string
  options: {
    scale: string
    duration_s: number
    instances: number
    random_seed: number
    mix: Record<string, ClassMix>
  }
  machine: MachineSummary & { node: string }
  database: { server: string; origin: 'template' | 'seeded'; prepare_s: number; clubs: number; users: number; submissions: number }
  classes: { name: string; connections: number; rate: number; run: boolean; reason?: string }[]
  /** Measured length of the scenario (first request to last response). */
  duration_s: number
  responses: number
  requests_per_s: number
  errors: number
  routes: RouteRow[]
  hit_ratio: number | null
  cache: Partial<Record<CacheClass, number>> & { with_cache_status: number }
  db_queries: number
  db_queries_per_s: number
  db_queries_source: string
  queries_per_request: number
  /** Database work per traffic class, from Server-Timing. */
  db_by_class: ClassDbRow[]
  db_by_class_source: string
  /** GET /api/clubs: served from stored bytes, computed from the model without SQL, or needing SQL. */
  list: ListSources
  /** Per-statement database time of the scenario (pg_stat_statements), or why it is not available. */
  statements: StatementsReport
  pg_stat: { source: string; xact_per_s: number; tup_returned_per_s: number; tup_fetched_per_s: number; tup_written_per_s: number }
  submissions: { acknowledged: number; found: number; route_available: boolean }
  writes: Record<string, { acknowledged: number; found: number }>
  /** Acknowledged answers that contradict each other (e.g. two receipts for one idempotency key); must be empty. */
  anomalies: Record<string, number>
  stale_reads: number
  consistency: ConsistencySummary & { writer: 'http' | 'direct' | 'none' }
  /** Each Quad instance's CPU and RSS from /proc, sampled every 0.5 s during the scenario. */
  server: { processes: (ProcSummary & { pid: number })[]; cpu_avg_pct: number }
  /** Each instance's RSS and heap through the scenario and after it, with the RSS slope of the last half. */
  memory: MemoryReport
  /** The autocannon process: near 100 % of one core means it, not Quad, limited throughput. */
  load_generator: { cpu_avg_pct: number; cpu_max_pct: number }
  /** One Quad instance against a bare Node server sending the same bytes, with wrk, cell by cell. */
  baseline: BaselineReport
  drills: DrillResult[]
  timeline: { t: number; responses: number; errors: number; cpu_pct: number | null }[]
  notes: string[]
}
