import pg from 'pg'
import type { Logger } from 'pino'
import type { Config } from '../config.js'
import { fingerprint } from './fingerprint.js'
import type { WatchdogAction } from './metrics.js'
import { type ActivityRow, cancelBackend, quadActivity, terminateBackend, tryWatchdogLock } from '../db/activity.js'

/** Budget (ms) of a query by its connection's application_name; 0 = never touched. */
export type BudgetFor = (applicationName: string) => number

/**
 * Class budgets: interactive requests and reports get their statement timeouts; operator commands
 * (migrations, seeding) are never interrupted; any other quad* connection gets the default.
 */
export function classBudgets(config: Pick<Config, 'timeouts' | 'watchdog'>): BudgetFor {
  const table: Record<string, number> = {
    'quad-web': config.timeouts.webMs,
    'quad-report': config.timeouts.reportMs,
    'quad-migrate': 0,
    'quad-seed': 0,
    ...config.watchdog.budgets,
  }
  return (app) => table[app] ?? (app.startsWith('quad') ? config.watchdog.defaultMs : 0)
}

export interface WatchdogOptions {
  /** Where to look: the watchdog only sees this database's backends. */
  connectionString: string
  intervalMs: number
  graceMs: number
  budgetFor: BudgetFor
  log: Logger
  onAction?: (action: WatchdogAction, cls: string) => void
  onLeader?: (leader: boolean) => void
}

export interface WatchdogEvent {
  at: string
  action: WatchdogAction
  pid: number
  class: string
  state: string
  ms: number
  fingerprint: string
  query: string
}

export interface TickResult {
  leader: boolean
  overBudget: number
  actions: WatchdogEvent[]
}

/**
 * Built-in version of "kill queries older than N seconds": every interval it lists this database's
 * quad* backends, cancels statements (or idle transactions) past their class budget, and
 * terminates the backend if the same statement is still there a grace period later. Runs in every
 * server and as `quad watchdog`; an advisory lock makes exactly one of them act.
 */
export class Watchdog {
  private client: pg.Client | null = null
  private leader = false
  private timer: NodeJS.Timeout | null = null
  private running: Promise<TickResult> | null = null
  private stopped = false
  /** Statements already cancelled: `${pid}:${since}` → when. */
  private readonly cancelled = new Map<string, number>()
  private readonly recent: WatchdogEvent[] = []
  private counts = { cancel: 0, terminate: 0 }
  private lastRunAt: number | null = null
  private lastError: string | null = null

  constructor(private readonly opts: WatchdogOptions) {}

  start(): void {
    if (this.timer || this.opts.intervalMs <= 0) return
    this.timer = setInterval(() => void this.tick().catch(() => {}), this.opts.intervalMs)
    this.timer.unref()
    void this.tick().catch(() => {})
  }

  /** One pass; concurrent calls share the running pass. */
  tick(): Promise<TickResult> {
    if (!this.running) {
      this.running = this.pass().finally(() => {
        this.running = null
      })
    }
    return this.running
  }

  private async connect(): Promise<pg.Client> {
    if (this.client) return this.client
    const client = new pg.Client({ connectionString: this.opts.connectionString, application_name: 'quad-watchdog', statement_timeout: 5000 })
    client.on('error', () => this.drop(client))
    client.on('end', () => this.drop(client))
    await client.connect()
    this.client = client
    return client
  }

  private drop(client: pg.Client): void {
    if (this.client !== client) return
    this.client = null
    this.setLeader(false)
    client.end().catch(() => {})
  }

  private setLeader(v: boolean): void {
    if (this.leader === v) return
    this.leader = v
    this.opts.onLeader?.(v)
    this.opts.log.info({ leader: v }, v ? 'watchdog acquired the lock; acting' : 'watchdog lost the lock')
  }

  private async pass(): Promise<TickResult> {
    if (this.stopped) return { leader: false, overBudget: 0, actions: [] }
    let client: pg.Client | null = null
    try {
      client = await this.connect()
      if (!this.leader) {
        this.setLeader(await tryWatchdogLock(client))
      }
      this.lastRunAt = Date.now()
      this.lastError = null
      if (!this.leader) return { leader: false, overBudget: 0, actions: [] }
      return await this.act(client)
    } catch (err) {
      this.lastError = (err as Error).message
      this.opts.log.warn({ err }, 'watchdog pass failed')
      if (client) this.drop(client)
      return { leader: false, overBudget: 0, actions: [] }
    }
  }

  private async act(client: pg.Client): Promise<TickResult> {
    const rows = await quadActivity(client)
    const now = Date.now()
    const seen = new Set<string>()
    const actions: WatchdogEvent[] = []
    let overBudget = 0
    for (const row of rows) {
      const budget = this.opts.budgetFor(row.app)
      if (budget <= 0 || row.ms <= budget) continue
      overBudget++
      const key = `${row.pid}:${row.since}`
      seen.add(key)
      const cancelledAt = this.cancelled.get(key)
      if (cancelledAt === undefined) {
        await cancelBackend(client, row.pid)
        this.cancelled.set(key, now)
        actions.push(this.record('cancel', row, budget))
      } else if (cancelledAt > 0 && now - cancelledAt >= this.opts.graceMs) {
        // Still there after the grace: a statement that ignores cancels, or an idle transaction.
        await terminateBackend(client, row.pid)
        this.cancelled.set(key, -1)
        actions.push(this.record('terminate', row, budget))
      }
    }
    for (const key of this.cancelled.keys()) if (!seen.has(key)) this.cancelled.delete(key)
    return { leader: true, overBudget, actions }
  }

  private record(action: WatchdogAction, row: ActivityRow, budgetMs: number): WatchdogEvent {
    const fp = fingerprint(row.query)
    const event: WatchdogEvent = {
      at: new Date().toISOString(),
      action,
      pid: row.pid,
      class: row.app,
      state: row.state,
      ms: Math.round(row.ms),
      fingerprint: fp.id,
      query: fp.text,
    }
    this.counts[action]++
    this.recent.push(event)
    if (this.recent.length > 50) this.recent.shift()
    this.opts.onAction?.(action, row.app)
    const { pid, ...fields } = event // `pid` in a log line is the process's own
    this.opts.log.warn({ ...fields, backendPid: pid, budgetMs }, action === 'cancel' ? 'watchdog cancelled a query over budget' : 'watchdog terminated a backend that outlived its cancel')
    return event
  }

  stats() {
    return {
      enabled: this.timer !== null,
      leader: this.leader,
      intervalMs: this.opts.intervalMs,
      graceMs: this.opts.graceMs,
      lastRunAt: this.lastRunAt ? new Date(this.lastRunAt).toISOString() : null,
      lastError: this.lastError,
      cancels: this.counts.cancel,
      terminations: this.counts.terminate,
      recent: [...this.recent].reverse(),
    }
  }

  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    await this.running?.catch(() => {})
    const c = this.client
    this.client = null
    if (this.leader) {
      this.leader = false
      this.opts.onLeader?.(false)
      this.opts.log.info('watchdog stopped; lock released')
    }
    // Ending the session releases the advisory lock for another instance.
    await c?.end().catch(() => {})
  }
}
