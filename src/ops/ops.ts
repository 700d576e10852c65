import type { Logger } from 'pino'
import type { Cache } from '../cache/setup.js'
import type { Config } from '../config.js'
import type { Database, DatabaseOptions } from '../db/database.js'
import type { QueryObserver } from '../db/instrument.js'
import { AdmissionGate } from './admission.js'
import { currentRequest } from './context.js'
import { fingerprint } from './fingerprint.js'
import { LoopLag } from './loop-lag.js'
import { OpsMetrics } from './metrics.js'
import { classBudgets, Watchdog } from './watchdog.js'
import { TrafficWindow } from './window.js'

export type PoolName = 'web' | 'report'

/** Operations state of one runtime: admission gates, metrics, recent traffic, the watchdog. */
export interface Ops {
  readonly startedAt: number
  readonly metrics: OpsMetrics
  readonly window: TrafficWindow
  readonly gates: Readonly<Record<PoolName, AdmissionGate>>
  readonly watchdog: Watchdog | null
  /** Event-loop lag, for shedding at the front door (sampled only when shedding is on). */
  readonly loopLag: LoopLag
  /** Set when shutdown begins: /readyz answers 503 so load balancers stop sending traffic. */
  shuttingDown: boolean
  /** Options for openDatabase: the pool's gate and its slow-query observer. */
  pool(name: PoolName): Pick<DatabaseOptions, 'gate' | 'observe'>
  /** Binds the cache's events and starts the watchdog (PostgreSQL only, when enabled). */
  start(database: Database, cache: Cache): void
  close(): Promise<void>
}

export function createOps(config: Config, log: Logger): Ops {
  const window = new TrafficWindow()
  const metrics = new OpsMetrics(window)
  const gate = (name: PoolName, max: number) =>
    new AdmissionGate({
      name,
      max,
      queueMax: config.pool.queueMax,
      waitMs: config.pool.queueTimeoutMs,
      onAdmit: (ms) => metrics.waited(name, ms),
      onShed: (reason) => metrics.shedOne(name, reason),
    })
  // The embedded database has a single connection.
  const embedded = config.db.kind === 'pglite'
  const gates = { web: gate('web', embedded ? 1 : config.pool.max), report: gate('report', embedded ? 1 : config.pool.reportMax) }
  metrics.watchGates(embedded ? [gates.web] : [gates.web, gates.report])

  const observer =
    (pool: PoolName): QueryObserver =>
    ({ sql, ms, error }) => {
      metrics.queryDuration.observe({ pool }, ms / 1000)
      if (error) metrics.queryErrors.inc({ pool, code: String((error as { code?: unknown }).code ?? 'unknown') })
      if (ms < config.ops.slowQueryMs) return
      metrics.slowQueries.inc({ pool })
      const req = currentRequest()
      const fp = fingerprint(sql)
      ;(req?.log ?? log).warn({ pool, route: req?.route, ms: Math.round(ms), fingerprint: fp.id, query: fp.text }, 'slow query')
    }

  let watchdog: Watchdog | null = null
  const loopLag = new LoopLag()
  if (config.ops.shedLagMs > 0) loopLag.start()
  const ops: Ops = {
    startedAt: Date.now(),
    metrics,
    window,
    loopLag,
    gates,
    get watchdog() {
      return watchdog
    },
    shuttingDown: false,
    pool: (name) => ({ gate: gates[name], observe: observer(name) }),
    start(database, cache) {
      cache.events.forward(metrics)
      metrics.watchCache(cache.engine)
      const url = database.pgConfig?.connectionString
      if (!url || config.watchdog.intervalMs <= 0) return
      watchdog = new Watchdog({
        connectionString: url,
        intervalMs: config.watchdog.intervalMs,
        graceMs: config.watchdog.graceMs,
        budgetFor: classBudgets(config),
        log,
        onAction: (action, cls) => metrics.watchdog(action, cls),
        onLeader: (leader) => metrics.watchdogLeader.set(leader ? 1 : 0),
      })
      watchdog.start()
    },
    async close() {
      loopLag.stop()
      await watchdog?.stop()
    },
  }
  return ops
}
