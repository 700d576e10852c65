import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { ConfigError } from '../src/config.js'
import { type Scale, SCALE_NAMES } from '../src/seed/generate.js'
import { DRILL_NAMES, type DrillName } from './drills/names.js'
import { MIN_JUDGED_S } from './memory.js'
import { TRAFFIC_CLASSES } from './traffic/index.js'

/** How hard one traffic class pushes: connections, and a total rate (req/s; 0 = as fast as answered). */
export interface ClassMix {
  connections: number
  rate: number
}

export interface BenchOptions {
  scale: Scale
  /** Seconds of the deadline-day scenario. */
  duration: number
  /** Seconds of each wrk run of the baseline comparison (one server, one cell, one round). */
  baselineDuration: number
  baselineConnections: number
  /** Rounds of the baseline comparison, alternating which server goes first; 0 skips it. */
  baselineRounds: number
  /** RSS growth (MB per minute over the last half of a long run) above which memory is not flat. */
  maxRssSlope: number
  /** Search the highest sustainable constant arrival rate of the deadline mix instead of the scenario. */
  findCapacity: boolean
  capacity: CapacityOptions
  /** Quad server processes sharing the database and Redis. */
  instances: number
  out: string
  mix: Record<string, ClassMix>
  drills: DrillName[]
  /** Seconds of load in each drill. */
  drillDuration: number
  /** Reseed instead of copying the cached template database of this scale. */
  freshSeed: boolean
  /** Keep the benchmark database afterwards (for inspection). */
  keep: boolean
  /** Maintenance URL of the machine's PostgreSQL, where the benchmark database is created with --shared-pg. */
  pgAdminUrl: string
  /** Run the scenario on the machine's PostgreSQL (a template database) instead of a cluster of the bench's own. */
  sharedPg: boolean
  /** Load pg_stat_statements in the bench's own cluster and report per-statement database time. */
  pgStatStatements: boolean
  randomSeed: number
  progress: boolean
  /** Write a V8 CPU profile of each server of the main scenario here (node --cpu-prof). */
  cpuProfDir: string | null
}

export interface CapacityOptions {
  /** Class shares of the offered requests: {"<class>": share, ...}. */
  mixFile: string
  /** First offered rate (requests/s over all instances). */
  start: number
  /** Each step offers the previous rate times this until a step fails. */
  factor: number
  /** Steps between the highest passing and the lowest failing rate after the first failure. */
  refine: number
  /** The search stops here even if every step passed. */
  maxRate: number
  /** Judged seconds of each step. */
  stepDuration: number
  /** Seconds at the step's rate before its judged window. */
  stepWarmup: number
  /** Most connections the generator opens to each instance. */
  connections: number
}

export const DEFAULT_CAPACITY_MIX = fileURLToPath(new URL('./traffic/deadline-mix.json', import.meta.url))

export const usage = () => `Usage: npm run bench -- [options]      (node --import tsx bench/main.ts [options])

Deadline-day benchmark: seeds its own database, starts Quad, compares one instance with a bare
Node server (wrk), drives the deadline-day mix with autocannon from a separate process, runs fault
drills, and writes a report. With --find-capacity it searches the highest constant arrival rate of
the deadline mix that Quad serves within its latency budget instead.

  --scale NAME                data set size: ${SCALE_NAMES.join(', ')} (default seed; multicampus:
                              12,000 clubs on twelve campuses, 60,000 users)
  --duration SECONDS          scenario length (default 30)
  --out DIR                   report folder (default bench-out/<time>-<scale>)
  --mix FILE.json             traffic mix: {"<class>": {"connections": N, "rate": R}, ...}
  --rate CLASS=R              total requests/s of a class (0 = as fast as answered); repeatable
  --connections CLASS=N       connections of a class (0 disables it); repeatable
  --instances N               Quad server processes (default 2)
  --baseline-duration S       seconds of each wrk run of the baseline comparison (default 3)
  --baseline-connections N    wrk connections of the baseline comparison (default 32)
  --baseline-rounds N         rounds per cell, alternating which server goes first (default 2;
                              0 skips the comparison)
  --max-rss-slope MB          RSS growth per minute over the last half of a run of at least
                              ${MIN_JUDGED_S} s above which memory counts as not flat (default 2)
  --drills LIST               all | none | comma list of ${DRILL_NAMES.join(', ')} (default all)
  --drill-duration SECONDS    load per drill (default 8)
  --fresh-seed                seed from scratch instead of copying the cached golden cluster
                              (or template database)
  --keep                      keep the benchmark database (or stopped cluster) afterwards
  --shared-pg                 run the scenario on the machine's PostgreSQL (a database copied from a
                              cached template) instead of a cluster of the benchmark's own; no
                              per-statement times then
  --no-pg-stat-statements     do not load pg_stat_statements in the benchmark's cluster
  --pg URL                    maintenance URL of the local PostgreSQL for --shared-pg (default
                              $QUAD_BENCH_PG or postgres://postgres@127.0.0.1:5432/postgres)
  --random-seed N             seed of the data generator and of the traffic (default 42)
  --no-progress               no progress bar
  --cpu-prof DIR              write a CPU profile of each Quad server of the scenario to DIR

Capacity search (instead of the scenario, the baseline and the drills):
  --find-capacity             offer the deadline mix at a constant arrival rate (open loop), raising
                              it step by step; report capacity_rps and a step at 3x capacity
  --capacity-mix FILE.json    class shares of the offered requests (default
                              bench/traffic/deadline-mix.json)
  --capacity-start R          first rate, requests/s over all instances (default 250)
  --capacity-factor F         rate multiplier per step until a step fails (default 1.25)
  --capacity-refine N         steps between the last passing and first failing rate (default 1)
  --capacity-max-rate R       highest rate tried (default 20000)
  --capacity-connections N    most connections per instance (default 256)
  --step-duration S           judged seconds per step (default 10)
  --step-warmup S             seconds at the step's rate before it is judged (default 2)

Traffic classes (default connections/rate):
${Object.entries(defaultMix())
  .map(([name, m]) => `  ${name.padEnd(14)} ${String(m.connections).padStart(3)} conn, ${m.rate ? `${m.rate} req/s` : 'as fast as answered'}`)
  .join('\n')}`

/**
 * The writer of the consistency probe: one connection editing the probed clubs in turn, `rate`
 * edits/s. Through the HTTP API (edit, then approve) when the server has the routes, otherwise
 * through a Quad runtime in the load process.
 */
export const PROBE_WRITE = 'probe-write'

export function defaultMix(): Record<string, ClassMix> {
  return Object.fromEntries(Object.entries(TRAFFIC_CLASSES).map(([name, c]) => [name, { ...c.defaults }]))
}

const LOCAL = new Set(['127.0.0.1', 'localhost', '[::1]'])

export function parseBenchArgs(args: string[], now = new Date()): BenchOptions | 'help' {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      scale: { type: 'string', default: 'seed' },
      duration: { type: 'string', default: '30' },
      out: { type: 'string' },
      mix: { type: 'string' },
      rate: { type: 'string', multiple: true },
      connections: { type: 'string', multiple: true },
      instances: { type: 'string', default: '2' },
      'baseline-duration': { type: 'string', default: '3' },
      'baseline-connections': { type: 'string', default: '32' },
      'baseline-rounds': { type: 'string', default: '2' },
      'max-rss-slope': { type: 'string', default: '2' },
      'find-capacity': { type: 'boolean', default: false },
      'capacity-mix': { type: 'string' },
      'capacity-start': { type: 'string', default: '250' },
      'capacity-factor': { type: 'string', default: '1.25' },
      'capacity-refine': { type: 'string', default: '1' },
      'capacity-max-rate': { type: 'string', default: '20000' },
      'capacity-connections': { type: 'string', default: '256' },
      'step-duration': { type: 'string', default: '10' },
      'step-warmup': { type: 'string', default: '2' },
      drills: { type: 'string', default: 'all' },
      'drill-duration': { type: 'string', default: '8' },
      'fresh-seed': { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      'shared-pg': { type: 'boolean', default: false },
      'no-pg-stat-statements': { type: 'boolean', default: false },
      pg: { type: 'string' },
      'random-seed': { type: 'string', default: '42' },
      'no-progress': { type: 'boolean', default: false },
      'cpu-prof': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  })
  if (values.help) return 'help'
  const scale = values.scale as Scale
  if (!SCALE_NAMES.includes(scale)) throw new ConfigError(`--scale must be one of ${SCALE_NAMES.join(', ')}`)
  const num = (name: string, raw: string, min: number, max: number) => {
    const n = Number(raw)
    if (!Number.isFinite(n) || n < min || n > max) throw new ConfigError(`--${name} must be a number in [${min}, ${max}], got "${raw}"`)
    return n
  }
  const mix = defaultMix()
  if (values.mix) mergeMix(mix, JSON.parse(readFileSync(values.mix, 'utf8')), values.mix)
  for (const [flag, field] of [
    ['rate', 'rate'],
    ['connections', 'connections'],
  ] as const) {
    for (const item of values[flag] ?? []) {
      const m = /^([\w-]+)=(\d+(\.\d+)?)$/.exec(item)
      if (!m) throw new ConfigError(`--${flag} must look like CLASS=N, got "${item}"`)
      mergeMix(mix, { [m[1]!]: { [field]: Number(m[2]) } }, `--${flag}`)
    }
  }
  const pgAdminUrl = values.pg ?? process.env.QUAD_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres'
  if (!LOCAL.has(new URL(pgAdminUrl).hostname)) throw new ConfigError('--pg must point at this machine (127.0.0.1); the benchmark never leaves it')
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)
  return {
    scale,
    duration: num('duration', values.duration, 1, 3600),
    baselineDuration: num('baseline-duration', values['baseline-duration'], 1, 600),
    baselineConnections: Math.round(num('baseline-connections', values['baseline-connections'], 1, 1000)),
    baselineRounds: Math.round(num('baseline-rounds', values['baseline-rounds'], 0, 10)),
    maxRssSlope: num('max-rss-slope', values['max-rss-slope'], 0, 1000),
    findCapacity: values['find-capacity'],
    capacity: {
      mixFile: path.resolve(values['capacity-mix'] ?? DEFAULT_CAPACITY_MIX),
      start: num('capacity-start', values['capacity-start'], 1, 100_000),
      factor: num('capacity-factor', values['capacity-factor'], 1.01, 4),
      refine: Math.round(num('capacity-refine', values['capacity-refine'], 0, 10)),
      maxRate: num('capacity-max-rate', values['capacity-max-rate'], 1, 1_000_000),
      connections: Math.round(num('capacity-connections', values['capacity-connections'], 1, 4096)),
      stepDuration: num('step-duration', values['step-duration'], 1, 600),
      stepWarmup: num('step-warmup', values['step-warmup'], 0, 60),
    },
    instances: Math.round(num('instances', values.instances, 1, 8)),
    out: path.resolve(values.out ?? path.join('bench-out', `${stamp}-${scale}`)),
    mix,
    drills: parseDrills(values.drills),
    drillDuration: num('drill-duration', values['drill-duration'], 5, 600),
    freshSeed: values['fresh-seed'],
    keep: values.keep,
    pgAdminUrl,
    sharedPg: values['shared-pg'],
    pgStatStatements: !values['no-pg-stat-statements'],
    randomSeed: Math.round(num('random-seed', values['random-seed'], 0, 2 ** 31 - 1)),
    progress: !values['no-progress'] && Boolean(process.stderr.isTTY),
    cpuProfDir: values['cpu-prof'] ? path.resolve(values['cpu-prof']) : null,
  }
}

function parseDrills(raw: string): DrillName[] {
  if (raw === 'all') return [...DRILL_NAMES]
  if (raw === 'none' || raw === '') return []
  const list = raw.split(',').map((s) => s.trim())
  for (const d of list) if (!(DRILL_NAMES as readonly string[]).includes(d)) throw new ConfigError(`unknown drill "${d}" (known: ${DRILL_NAMES.join(', ')})`)
  return list as DrillName[]
}

export function mergeMix(mix: Record<string, ClassMix>, patch: unknown, source: string): void {
  if (!patch || typeof patch !== 'object' || Array.isArray(patch)) throw new ConfigError(`${source}: the mix must be an object of classes`)
  for (const [name, value] of Object.entries(patch as Record<string, unknown>)) {
    const current = mix[name]
    if (!current) throw new ConfigError(`${source}: unknown traffic class "${name}" (known: ${Object.keys(mix).join(', ')})`)
    if (!value || typeof value !== 'object') throw new ConfigError(`${source}: "${name}" must be {"connections": N, "rate": R}`)
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (k !== 'connections' && k !== 'rate') throw new ConfigError(`${source}: "${name}.${k}" is not a mix setting (connections, rate)`)
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new ConfigError(`${source}: "${name}.${k}" must be a number >= 0`)
      current[k] = k === 'connections' ? Math.round(v) : v
    }
  }
}
