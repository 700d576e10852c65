import { type DbScope, runInScope, systemScope } from '../db/scope.js'
import { isDbUnavailable } from '../errors.js'
import { Unverifiable } from './engine.js'
import type { ClockReading } from './versions.js'

/** What one moved dependency key means for a model. */
export type Change = { item: number; soft?: boolean } | { shared: true } | { all: true }

/** The parts of a model to read again. */
export interface Dirty {
  readonly items: ReadonlySet<number>
  /** Lookups shared by many items (tag names, categories). */
  readonly shared: boolean
}

/**
 * A model's data source. load and refresh read the database; everything they read must be covered
 * by classify (a test checks the tables against it), or a change would go unnoticed.
 */
export interface ModelSource<S> {
  readonly name: string
  classify(dep: string): Change | null
  load(): Promise<S>
  /** The state with the dirty parts read again (may update `state` in place and return it). */
  refresh(state: S, dirty: Dirty): Promise<S>
}

/** Where a model learns the current clock and what moved (the cache engine). */
export interface ModelFeed {
  readClock(): Promise<ClockReading>
  changes(epoch: string, from: number, to: number): Promise<string[] | null>
}

export interface ReadOptions {
  /** Clock of the reader's own last write (read-your-writes), if any. */
  ryw: number | null
  /** How long soft changes (counters) may show late; 0 = never. */
  budgetMs: number
  /** How long a copy may be served past freshness when the database or Redis fails. */
  graceMs: number
}

export type ModelOutcome = 'current' | 'synced' | 'stale-served' | 'grace' | 'bypass'

export interface ModelRead<S> {
  state: S
  /** Changes whenever the state does: what variant bytes are keyed by. */
  revision: number
  outcome: ModelOutcome
  staleMs: number
  detail?: string
  /** Statements this reader ran on behalf of everyone (it led the sync). */
  queries: number
  dbMs: number
}

interface Job {
  promise: Promise<DbScope>
  /** The clock the job brings the model to (null: a soft refresh only). */
  target: ClockReading | null
  soft: boolean
  full: boolean
}

/**
 * One in-memory model kept current by the same commit-driven versions as every cache entry
 * (section 4, derived views). A reader compares the global clock with the clock the model
 * reflects; when it moved, the change log says which dependency keys moved, the source classifies
 * them, and only the dirty items are read again (one statement), shared by every waiting reader.
 * Soft changes (counters) may be served late within the route's budget and are refreshed in the
 * background. An unknown past (new epoch, lost announcements, Redis back from an outage) reloads
 * everything. Jobs run one at a time, as background work that admission control never sheds.
 */
export class LiveModel<S> {
  private state: S | null = null
  private epoch = ''
  /** Every change at or below this clock is in the state, except pending soft items. */
  private clock = -1
  private revision = 0
  /** Wall time the state was last known current; served within grace when that cannot be checked. */
  private verifiedAt = 0
  /** Wall time the state became out of date (0 = it is not known to be). */
  private staleSince = 0
  private readonly softItems = new Set<number>()
  private softSince = 0
  private softTimer: NodeJS.Timeout | null = null
  private lastSoftRefresh = 0
  private running: Job | null = null
  private queued: Job | null = null
  private closed = false

  constructor(
    private readonly source: ModelSource<S>,
    private readonly feed: ModelFeed,
    private readonly opts: { softRefreshMs?: number; now?: () => number } = {},
  ) {}

  private now(): number {
    return (this.opts.now ?? Date.now)()
  }

  /** The current state for a reader that arrived now. */
  async read(o: ReadOptions): Promise<ModelRead<S>> {
    const t = this.now()
    let reading: ClockReading
    try {
      reading = await this.feed.readClock()
    } catch (err) {
      if (!(err instanceof Unverifiable)) throw err
      return this.unverified(o, t)
    }
    let queries = 0
    let dbMs = 0
    let outcome: ModelOutcome = 'current'
    if (!this.covers(reading)) {
      try {
        const led = await this.syncTo(reading)
        if (led) ({ queries, dbMs } = led)
        outcome = 'synced'
      } catch (err) {
        return this.grace(err, o, t, 'database-unavailable')
      }
    }
    if (this.softItems.size) {
      const staleMs = t - this.softSince
      if (o.ryw === null && o.budgetMs > 0 && staleMs <= o.budgetMs) {
        this.scheduleSoftRefresh(o.budgetMs)
        return { state: this.state!, revision: this.revision, outcome: 'stale-served', staleMs, detail: 'stale-while-revalidate', queries, dbMs }
      }
      try {
        const led = await this.enqueue(null, true, false)
        if (led) {
          queries += led.queries
          dbMs += led.dbMs
        }
        outcome = 'synced'
      } catch (err) {
        return this.grace(err, o, t, 'database-unavailable')
      }
    }
    return { state: this.state!, revision: this.revision, outcome, staleMs: 0, queries, dbMs }
  }

  /** The state without checking it (tests, diagnostics). */
  peek(): S | null {
    return this.state
  }

  close(): void {
    this.closed = true
    if (this.softTimer) clearTimeout(this.softTimer)
  }

  private covers(r: ClockReading): boolean {
    return this.state !== null && r.epoch === this.epoch && r.clock <= this.clock
  }

  /** Waits for a job that brings the model to at least `reading`; the leader gets its statements. */
  private async syncTo(reading: ClockReading): Promise<DbScope | null> {
    let led: DbScope | null = null
    for (let round = 0; !this.covers(reading); round++) {
      if (round > 5) throw new Error(`${this.source.name}: could not catch up with clock ${reading.clock}`)
      const r = this.running
      if (r && r.target && r.target.epoch === reading.epoch && r.target.clock >= reading.clock) await r.promise
      else led = (await this.enqueue(reading, false, false)) ?? led
    }
    return led
  }

  /**
   * Queues a job after the running one; requests queued meanwhile share it, and it aims at the
   * highest clock among them (each was read after its request arrived, so all are satisfied).
   * Returns the job's scope to the request that created it, null to the others.
   */
  private async enqueue(target: ClockReading | null, soft: boolean, full: boolean): Promise<DbScope | null> {
    const q = this.queued
    if (q) {
      if (target && (!q.target || q.target.epoch !== target.epoch || target.clock > q.target.clock)) q.target = target
      q.soft ||= soft
      q.full ||= full
      await q.promise
      return null
    }
    const job: Job = { promise: null as unknown as Promise<DbScope>, target, soft, full }
    const before = this.running?.promise.catch(() => undefined) ?? Promise.resolve()
    job.promise = before.then(() => {
      this.queued = null
      this.running = job
      return this.runJob(job).finally(() => {
        if (this.running === job) this.running = null
      })
    })
    this.queued = job
    return job.promise
  }

  private async runJob(job: Job): Promise<DbScope> {
    const scope = systemScope()
    const t = this.now()
    const run = <T>(fn: () => Promise<T>) => runInScope(scope, fn)
    try {
      if (job.full || this.state === null || (job.target && job.target.epoch !== this.epoch)) {
        await this.fullLoad(job.target ?? (await this.feed.readClock()), run)
        return scope
      }
      const dirty = new Set<number>()
      let shared = false
      if (job.target && job.target.clock > this.clock) {
        const deps = await this.feed.changes(job.target.epoch, this.clock, job.target.clock)
        if (deps === null) {
          await this.fullLoad(job.target, run)
          return scope
        }
        for (const dep of deps) {
          const c = this.source.classify(dep)
          if (!c) continue
          if ('all' in c) {
            await this.fullLoad(job.target, run)
            return scope
          }
          if ('shared' in c) shared = true
          else if (c.soft) {
            if (!this.softItems.size) this.softSince = t
            this.softItems.add(c.item)
          } else dirty.add(c.item)
        }
      }
      const withSoft = job.soft || dirty.size > 0 || shared
      if (withSoft) for (const id of this.softItems) dirty.add(id)
      if (dirty.size || shared) {
        this.staleSince ||= t
        this.state = await run(() => this.source.refresh(this.state!, { items: dirty, shared }))
        this.revision++
        if (withSoft) {
          this.softItems.clear()
          this.softSince = 0
          this.lastSoftRefresh = t
        }
      }
      if (job.target) {
        this.clock = job.target.clock
        this.verifiedAt = t
      }
      this.staleSince = 0
      return scope
    } finally {
      if (this.closed && this.softTimer) clearTimeout(this.softTimer)
    }
  }

  private async fullLoad(target: ClockReading, run: <T>(fn: () => Promise<T>) => Promise<T>): Promise<void> {
    const t = this.now()
    this.staleSince ||= t
    this.state = await run(() => this.source.load())
    this.revision++
    this.epoch = target.epoch
    this.clock = target.clock
    this.softItems.clear()
    this.softSince = 0
    this.verifiedAt = t
    this.staleSince = 0
  }

  /** Soft changes are read in batches, at most every softRefreshMs (by default half the budget). */
  private scheduleSoftRefresh(budgetMs: number): void {
    if (this.softTimer || this.closed) return
    const every = this.opts.softRefreshMs ?? Math.max(250, budgetMs / 2)
    const wait = Math.max(0, every - (this.now() - this.lastSoftRefresh))
    this.softTimer = setTimeout(() => {
      this.softTimer = null
      if (this.closed || !this.softItems.size) return
      this.enqueue(null, true, false).catch(() => {})
    }, wait)
    this.softTimer.unref()
  }

  /** A database failure while syncing: the copy in hand within grace, else the error. */
  private grace(err: unknown, o: ReadOptions, t: number, detail: string): ModelRead<S> {
    const since = this.staleSince || this.softSince || t
    if (this.state !== null && isDbUnavailable(err) && t - since <= o.graceMs) {
      return { state: this.state, revision: this.revision, outcome: 'grace', staleMs: t - since, detail, queries: 0, dbMs: 0 }
    }
    throw err
  }

  /**
   * Redis cannot say what is current: the copy in hand within grace for readers that may see a
   * late copy, else a reload from the database that the model keeps only as unverified (epoch '').
   */
  private async unverified(o: ReadOptions, t: number): Promise<ModelRead<S>> {
    if (this.state !== null && o.ryw === null && o.budgetMs > 0 && t - this.verifiedAt <= o.graceMs) {
      return { state: this.state, revision: this.revision, outcome: 'grace', staleMs: t - this.verifiedAt, detail: 'redis-unavailable', queries: 0, dbMs: 0 }
    }
    // A queued job starts after this reader arrived, so it sees every write the reader must see.
    const led = await this.enqueue(UNVERIFIED, false, true)
    return { state: this.state!, revision: this.revision, outcome: 'bypass', staleMs: 0, detail: 'redis-unavailable', queries: led?.queries ?? 0, dbMs: led?.dbMs ?? 0 }
  }
}

/** The clock of a state read while Redis could not be asked: matches no real reading. */
const UNVERIFIED: ClockReading = { epoch: '', clock: -1 }
