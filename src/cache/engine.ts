import { randomBytes } from 'node:crypto'
import { LRUCache } from 'lru-cache'
import { currentScope } from '../db/scope.js'
import { isDbUnavailable } from '../errors.js'
import type { Bus } from './bus.js'
import { buildEntry, depTable, type Entry, entrySize, type Freshness, freshness } from './entry.js'
import type { CacheEvents, Outcome } from './events.js'
import { Breaker, Semaphore } from './limiter.js'
import type { CachePolicy } from './policy.js'
import type { RedisStore } from './redis-store.js'
import type { Applied, ClockReading, MemoryVersionStore, OutboxRow } from './versions.js'

export interface FillResult {
  status: number
  body: Buffer
  deps: readonly string[]
  /** Wall time when the data stops being true (0 = no such time). */
  hardUntil: number
  /** False: answer this once and store nothing (a 404 for an unknown id mints no entry). */
  store?: boolean
}

export interface CacheRequest {
  route: string
  key: string
  policy: CachePolicy
  /** Runs the handler in its own scope and returns serialized bytes plus what it read. */
  compute: () => Promise<FillResult>
  /** Clock of the caller's own last write (read-your-writes token), if any. */
  ryw: number | null
  /** Runs before a fill; a result is sent without storing anything (e.g. an unknown code). */
  precheck?: () => Promise<FillResult | null>
}

export interface CacheAnswer {
  entry: Entry
  outcome: Outcome
  /** How stale the served copy is, for Cache-Status ttl. */
  staleMs: number
  detail?: string
}

export interface EngineOptions {
  l1Bytes: number
  events: CacheEvents
  leaseMs?: number
  leaseWaitMs?: number
  /** Concurrent database fills per route when no lease coordinates them. */
  fillConcurrency?: number
  now?: () => number
  /** Throws (503) when the database is too busy to start a fill now; hits never call it. */
  admit?: () => void
  /** Test hook: runs between the query and the store of a fill. */
  beforeStore?: (key: string) => Promise<void>
}

/**
 * A fill's result. checkedAt: the latest moment (performance.now) before which every acknowledged
 * write is known to be reflected in the entry; -Infinity when a write raced the fill.
 */
interface Filled {
  entry: Entry
  collapsed: boolean
  checkedAt: number
  /** The same for the deps that are not soft: what a request that may take soft staleness needs. */
  hardCheckedAt: number
}

type Tiers = { kind: 'memory'; versions: MemoryVersionStore } | { kind: 'redis'; redis: RedisStore; bus: Bus }

/** Redis cannot confirm what is current (unreachable, or catching up after an outage). */
export class Unverifiable extends Error {}

/**
 * The read path of section 4 of the design: L1 (this process) and L2 (Redis) entries checked
 * against dependency versions; race-free fills; soft staleness served within budget; grace copies
 * when the database or Redis fails.
 */
export class CacheEngine {
  readonly l1: LRUCache<string, Entry>
  private readonly flights = new Map<string, Promise<Filled>>()
  private readonly limiters = new Map<string, Semaphore>()
  readonly breaker = new Breaker(1000)
  private recovering: Promise<void> | null = null
  private readonly now: () => number
  /** Set by the invalidator: drains committed outbox rows before Redis is trusted again. */
  catchUp: () => Promise<void> = async () => {}

  constructor(
    private readonly tiers: Tiers,
    private readonly opts: EngineOptions,
  ) {
    this.l1 = new LRUCache<string, Entry>({
      maxSize: Math.max(1, opts.l1Bytes),
      sizeCalculation: (e) => entrySize(e),
      ttl: 60 * 60_000,
    })
    this.now = opts.now ?? Date.now
  }

  get kind() {
    return this.tiers.kind
  }

  /** Applies committed outbox rows to the version store (writer path and invalidator). */
  async apply(rows: readonly OutboxRow[]): Promise<Applied> {
    const now = this.now()
    if (this.tiers.kind === 'memory') return this.tiers.versions.apply(rows, now)
    const { redis, bus } = this.tiers
    try {
      const applied = await redis.apply(rows, now)
      this.redisOk()
      bus.noteLocal(applied.epoch, applied.clock, applied.deps)
      return applied
    } catch (err) {
      // Unapplied here means unknown to this process's L1 too; the invalidator retries the rows.
      this.l1.clear()
      this.redisFailed()
      throw err
    }
  }

  /**
   * The global clock, read after this call (one coalesced read on Redis). Derived views compare
   * it with the clock they reflect. Throws Unverifiable while Redis cannot be trusted.
   */
  async readClock(): Promise<ClockReading> {
    if (this.tiers.kind === 'memory') return this.tiers.versions.clock()
    if (!this.breaker.allow(this.now()) || this.recovering) throw new Unverifiable('redis unavailable')
    return this.requestClock(this.tiers.redis)
  }

  /** The clock for the current request: read once (after it arrived), until it writes. */
  private requestClock(redis: RedisStore): Promise<ClockReading> {
    const scope = currentScope()
    if (!scope || scope.system || scope.wroteClock > 0) return this.redisCall(() => this.clockBarrier(redis))
    scope.clock ??= this.redisCall(() => this.clockBarrier(redis))
    return scope.clock
  }

  /**
   * Versions to record for a value this process computed after reading c0 (a cached session):
   * -1 for a dep that moved since c0 (the value may predate the change). Null when Redis lost its
   * state meanwhile. Throws Unverifiable while Redis cannot be trusted.
   */
  async recordVersions(deps: readonly string[], c0: ClockReading): Promise<number[] | null> {
    if (this.tiers.kind === 'memory') {
      const { versions } = this.tiers
      if (c0.epoch !== versions.epoch) return null
      return versions.getSync(deps).map((v) => (v.clock <= c0.clock ? v.clock : -1))
    }
    const redis = this.tiers.redis
    return this.redisCall(() => redis.pin(deps, c0, this.now()))
  }

  /**
   * Whether no dep moved past what was recorded, as of clock reading `at` (a missing version
   * counts as moved). On Redis the bus's change log answers without a round trip when it can.
   */
  async unchangedSince(deps: readonly string[], recorded: readonly number[], epoch: string, at: ClockReading): Promise<boolean> {
    if (recorded.some((v) => v < 0) || epoch !== at.epoch) return false
    if (this.tiers.kind === 'memory') {
      const { versions } = this.tiers
      return epoch === versions.epoch && versions.getSync(deps).every((v, i) => v.clock <= recorded[i]!)
    }
    const moved = await this.tiers.bus.log.movedSince(epoch, deps, recorded, at.clock, 20)
    if (moved !== null) return !moved
    const redis = this.tiers.redis
    const cur = await this.redisCall(() => redis.get(deps))
    return cur.epoch === epoch && cur.versions.every((v, i) => v !== null && v.clock <= recorded[i]!)
  }

  /** The deps moved by clocks in (from, to] of epoch; null when not known (reload instead). */
  changes(epoch: string, from: number, to: number): Promise<string[] | null> {
    if (this.tiers.kind === 'memory') return this.tiers.versions.log.changes(epoch, from, to)
    return this.tiers.bus.log.changes(epoch, from, to, 1000)
  }

  async get(req: CacheRequest): Promise<CacheAnswer> {
    if (this.tiers.kind === 'memory') return this.getMemory(req, this.tiers.versions)
    if (!this.breaker.allow(this.now()) || this.recovering) return this.degraded(req)
    try {
      return await this.getRedis(req, this.tiers)
    } catch (err) {
      if (!(err instanceof Unverifiable)) throw err
      return this.degraded(req)
    }
  }

  private soft(policy: CachePolicy): (dep: string) => boolean {
    const tables = policy.softTables
    return tables?.length ? (dep) => tables.includes(depTable(dep)) : () => false
  }

  private async getMemory(req: CacheRequest, versions: MemoryVersionStore): Promise<CacheAnswer> {
    const now = this.now()
    const e = this.l1.get(req.key)
    let stale: { entry: Entry; f: Extract<Freshness, { state: 'stale' }> } | null = null
    if (e) {
      const f = freshness(e.meta, versions.epoch, versions.getSync(e.meta.deps), now, this.soft(req.policy))
      if (f.state === 'fresh') return this.answer(req, e, 'hit-memory', 0)
      stale = { entry: e, f }
    }
    return this.staleOrFill(req, stale, now)
  }

  /**
   * L1 hits are checked against the global clock, read by one coalesced Redis GET that starts after
   * the request arrived: if no version moved anywhere since the entry was last verified, it is
   * fresh. A write acknowledged by any instance has already moved the clock, so every later read
   * on every instance sees it (the bus only drops entries earlier).
   */
  private async getRedis(req: CacheRequest, t: Extract<Tiers, { kind: 'redis' }>): Promise<CacheAnswer> {
    const now = this.now()
    const soft = this.soft(req.policy)
    let stale: { entry: Entry; f: Extract<Freshness, { state: 'stale' }> } | null = null
    let e = this.l1.get(req.key)
    const moved = e ? t.bus.moved(e.meta.epoch, e.meta.deps, e.meta.recorded) : null
    if (e && moved) {
      stale = { entry: e, f: { state: 'stale', since: now, hard: !moved.every(soft) } }
      this.l1.delete(req.key)
      e = undefined
    }
    if (e) {
      const c = await this.requestClock(t.redis)
      if (await this.currentByClock(e, c, now, t, req.ryw)) return this.answer(req, e, 'hit-l1', 0)
      const cur = await this.redisCall(() => t.redis.get(e!.meta.deps))
      const f = freshness(e.meta, cur.epoch, cur.versions, now, soft)
      if (f.state === 'fresh') {
        e.verifiedAt = now
        e.verifiedClock = c.clock
        return this.answer(req, e, 'hit-l1', 0)
      }
      stale = { entry: e, f }
    } else {
      const read = await this.redisCall(() => t.redis.read(req.key))
      if (read) {
        const f = freshness(read.entry.meta, read.epoch, read.versions, now, soft)
        if (f.state === 'fresh') {
          read.entry.verifiedAt = now
          read.entry.verifiedClock = read.clock
          this.l1.set(req.key, read.entry)
          return this.answer(req, read.entry, 'hit-l2', 0)
        }
        if (!stale || f.since > stale.f.since) stale = { entry: read.entry, f }
      }
    }
    return this.staleOrFill(req, stale, now)
  }

  /**
   * Whether an L1 entry is current as of clock reading c without another Redis call: the clock has
   * not moved since the entry was verified, or the bus's change log says none of its deps moved.
   */
  private async currentByClock(e: Entry, c: ClockReading, now: number, t: Extract<Tiers, { kind: 'redis' }>, ryw: number | null): Promise<boolean> {
    const inTime = now < e.meta.freshUntil && (!e.meta.hardUntil || now < e.meta.hardUntil)
    if (!inTime || c.epoch !== e.meta.epoch) return false
    if (ryw === null && c.clock === e.verifiedClock) return true
    if ((await t.bus.log.movedSince(e.meta.epoch, e.meta.deps, e.meta.recorded, c.clock, 20)) !== false) return false
    e.verifiedAt = now
    e.verifiedClock = c.clock
    return true
  }

  /**
   * An L1 hit as `get` would answer it, or null when answering needs more (a fill, an L2 read, a
   * version check, a read-your-writes token): the caller then takes the full path. Never computes.
   */
  async peek(route: string, key: string, policy: CachePolicy): Promise<CacheAnswer | null> {
    const e = this.l1.get(key)
    if (!e) return null
    const req = { route, key, policy, ryw: null } as const
    if (this.tiers.kind === 'memory') {
      const { versions } = this.tiers
      const f = freshness(e.meta, versions.epoch, versions.getSync(e.meta.deps), this.now(), this.soft(policy))
      return f.state === 'fresh' ? this.answer(req, e, 'hit-memory', 0) : null
    }
    const t = this.tiers
    const now = this.now()
    if (!this.breaker.allow(now) || this.recovering || t.bus.moved(e.meta.epoch, e.meta.deps, e.meta.recorded)) return null
    try {
      const c = await this.requestClock(t.redis)
      return (await this.currentByClock(e, c, now, t, null)) ? this.answer(req, e, 'hit-l1', 0) : null
    } catch (err) {
      if (err instanceof Unverifiable) return null
      throw err
    }
  }

  private clockWaiters: { resolve: (c: ClockReading) => void; reject: (e: unknown) => void }[] = []
  private clockScheduled = false

  /**
   * One GET serves every request that arrived in the same turn of the event loop: it is sent after
   * they all arrived (so it sees every write acknowledged before any of them), without waiting for
   * an earlier read still in flight — a hit waits one round trip, not two.
   */
  private clockBarrier(redis: RedisStore): Promise<ClockReading> {
    return new Promise((resolve, reject) => {
      this.clockWaiters.push({ resolve, reject })
      if (!this.clockScheduled) {
        this.clockScheduled = true
        setImmediate(() => this.sendClockRead(redis))
      }
    })
  }

  private sendClockRead(redis: RedisStore): void {
    const batch = this.clockWaiters
    this.clockWaiters = []
    this.clockScheduled = false
    redis.peekClock().then(
      (c) => batch.forEach((w) => w.resolve(c)),
      (err) => batch.forEach((w) => w.reject(err)),
    )
  }

  private async staleOrFill(
    req: CacheRequest,
    stale: { entry: Entry; f: Extract<Freshness, { state: 'stale' }> } | null,
    now: number,
  ): Promise<CacheAnswer> {
    if (stale && !stale.f.hard && req.ryw === null && now - stale.f.since <= req.policy.budgetMs) {
      this.fill(req).catch(() => {}) // refresh in the background; failures keep the stale copy
      return this.answer(req, stale.entry, 'stale-served', now - stale.f.since, 'stale-while-revalidate')
    }
    // Only unknown keys are checked: a stale entry means the key was real (and a fill still
    // answers a vanished one with an unstored 404).
    const pre = req.precheck && !stale ? await req.precheck() : null
    if (pre) return this.answer(req, await this.build(req, pre, '', now), 'uri-miss', 0)
    try {
      const { entry, collapsed } = await this.fill(req)
      return this.answer(req, entry, collapsed ? 'collapsed' : stale ? 'stale-refresh' : 'miss', 0)
    } catch (err) {
      if (stale && isDbUnavailable(err) && now - stale.f.since <= req.policy.graceMs) {
        return this.answer(req, stale.entry, 'grace', now - stale.f.since, 'database-unavailable')
      }
      throw err
    }
  }

  /**
   * Single-flight per key in this process. A request that joins a running fill takes its result
   * only if that result was checked current after the request arrived; a fill that began earlier
   * may predate a write acknowledged in between, so the request then fills again.
   */
  private async fill(req: CacheRequest): Promise<Filled> {
    for (let attempt = 0; ; attempt++) {
      const running = this.flights.get(req.key)
      if (!running) return this.lead(req)
      const joinedAt = performance.now()
      const r = await running
      if (r.checkedAt >= joinedAt || (this.softOk(req) && r.hardCheckedAt >= joinedAt)) return { ...r, collapsed: true }
      if (attempt >= 2) return this.limited(req, () => this.computeFilled(req, ''))
    }
  }

  private lead(req: CacheRequest): Promise<Filled> {
    const p = (this.tiers.kind === 'memory' ? this.fillMemory(req, this.tiers.versions) : this.fillRedis(req, this.tiers)).finally(
      () => this.flights.delete(req.key),
    )
    this.flights.set(req.key, p)
    return p
  }

  private async fillMemory(req: CacheRequest, versions: MemoryVersionStore): Promise<Filled> {
    this.opts.admit?.()
    const c0 = await versions.clock()
    const t0 = performance.now()
    const result = await req.compute()
    if (result.store === false) return this.unstored(req, result, c0.epoch, t0)
    await this.opts.beforeStore?.(req.key)
    const now = this.now()
    const entry = await this.build(req, result, c0.epoch, now)
    const checkedAt = performance.now()
    const cur = versions.getSync(entry.meta.deps)
    const recorded = cur.map((v) => (v.clock <= c0.clock ? v.clock : -1))
    const fresh = recorded.every((v) => v >= 0)
    Object.assign(entry.meta, { recorded })
    entry.verifiedAt = fresh ? now : 0
    this.l1.set(req.key, entry)
    this.opts.events.fill(req.route, performance.now() - t0, fresh)
    return this.filled(req, entry, recorded, checkedAt)
  }

  private async fillRedis(req: CacheRequest, t: Extract<Tiers, { kind: 'redis' }>): Promise<Filled> {
    const token = randomBytes(9).toString('base64url')
    const leaseMs = this.opts.leaseMs ?? 10_000
    const deadline = this.now() + (this.opts.leaseWaitMs ?? 3000)
    let lease = await this.redisCall(() => t.redis.leaseAndClock(req.key, token, leaseMs))
    if (!lease.leased) this.opts.events.leaseWait(req.route)
    while (!lease.leased) {
      const waited = await this.awaitOtherFill(req, t)
      if (waited) return waited
      if (this.now() >= deadline) {
        // The holder is slow or gone: compute ourselves, bounded, without storing.
        return this.limited(req, () => this.computeFilled(req, lease.epoch))
      }
      // Still held, or the other fill ended with an already outdated result (a write raced it),
      // in which case the lease is free and this process fills anew.
      lease = await this.redisCall(() => t.redis.leaseAndClock(req.key, token, leaseMs))
    }
    const t0 = performance.now()
    let result: FillResult
    try {
      this.opts.admit?.()
      result = await req.compute()
    } catch (err) {
      t.redis.releaseLease(req.key, token).catch(() => {})
      throw err
    }
    if (result.store === false) {
      t.redis.releaseLease(req.key, token).catch(() => {})
      return this.unstored(req, result, lease.epoch, t0)
    }
    await this.opts.beforeStore?.(req.key)
    const now = this.now()
    const entry = await this.build(req, result, lease.epoch, now)
    const ttl = Math.min(req.policy.ttlMs, 24 * 3_600_000) + req.policy.graceMs
    const checkedAt = performance.now()
    const stored = await this.redisCall(() => t.redis.store(req.key, token, lease, entry, ttl, now))
    Object.assign(entry.meta, { recorded: stored.recorded.length ? stored.recorded : entry.meta.deps.map(() => -1) })
    entry.verifiedAt = stored.fresh ? now : 0
    entry.verifiedClock = stored.fresh ? lease.clock : -1
    if (stored.fresh) this.l1.set(req.key, entry)
    this.opts.events.fill(req.route, performance.now() - t0, stored.fresh)
    return this.filled(req, entry, stored.recorded, checkedAt)
  }

  /**
   * One wait for another process's fill of this key: its entry if current, or if only soft deps
   * moved and the request may take that within the route's budget.
   */
  private async awaitOtherFill(req: CacheRequest, t: Extract<Tiers, { kind: 'redis' }>): Promise<Filled | null> {
    await t.bus.waitFilled(req.key, 50)
    const checkedAt = performance.now()
    const read = await this.redisCall(() => t.redis.read(req.key))
    if (!read) return null
    const now = this.now()
    const f = freshness(read.entry.meta, read.epoch, read.versions, now, this.soft(req.policy))
    if (f.state === 'stale') {
      // Only moved counters (soft deps) within the route's budget: as good as a stale-while-revalidate copy.
      if (f.hard || !this.softOk(req) || now - f.since > req.policy.budgetMs) return null
      return { entry: read.entry, collapsed: true, checkedAt: -Infinity, hardCheckedAt: checkedAt }
    }
    read.entry.verifiedAt = now
    read.entry.verifiedClock = read.clock
    this.l1.set(req.key, read.entry)
    return { entry: read.entry, collapsed: true, checkedAt, hardCheckedAt: checkedAt }
  }

  /** A result that is not stored: current for the requests that arrived before its computation began. */
  private async unstored(req: CacheRequest, result: FillResult, epoch: string, startedAt: number): Promise<Filled> {
    const entry = await this.build(req, result, epoch, this.now())
    Object.assign(entry.meta, { recorded: entry.meta.deps.map(() => -1) })
    return { entry, collapsed: false, checkedAt: startedAt, hardCheckedAt: startedAt }
  }

  /** An unstored computation is current for every request that arrived before it began. */
  private async computeFilled(req: CacheRequest, epoch: string): Promise<Filled> {
    const checkedAt = performance.now()
    return { entry: await this.computeUnstored(req, epoch), collapsed: false, checkedAt, hardCheckedAt: checkedAt }
  }

  /** A fill's result; recorded has -1 for each dep that moved during the fill ([] if not stored). */
  private filled(req: CacheRequest, entry: Entry, recorded: readonly number[], checkedAt: number): Filled {
    const soft = this.soft(req.policy)
    const stored = recorded.length === entry.meta.deps.length
    const fresh = stored && recorded.every((v) => v >= 0)
    const hardFresh = stored && entry.meta.deps.every((d, i) => recorded[i]! >= 0 || soft(d))
    return { entry, collapsed: false, checkedAt: fresh ? checkedAt : -Infinity, hardCheckedAt: hardFresh ? checkedAt : -Infinity }
  }

  /** The request may be served a copy whose soft deps (counters) moved, within the route's budget. */
  private softOk(req: CacheRequest): boolean {
    return req.ryw === null && req.policy.budgetMs > 0
  }

  private async computeUnstored(req: CacheRequest, epoch: string): Promise<Entry> {
    this.opts.admit?.()
    const result = await req.compute()
    const now = this.now()
    const entry = await this.build(req, result, epoch, now)
    Object.assign(entry.meta, { recorded: entry.meta.deps.map(() => -1) })
    return entry
  }

  private limited<T>(req: CacheRequest, fn: () => Promise<T>): Promise<T> {
    let sem = this.limiters.get(req.route)
    if (!sem) this.limiters.set(req.route, (sem = new Semaphore(this.opts.fillConcurrency ?? 4)))
    return sem.run(fn)
  }

  /**
   * Redis unavailable (breaker open) or just back (catching up): serve L1 copies within grace for
   * routes that allow staleness, and otherwise read the database through the per-route limiter.
   */
  private async degraded(req: CacheRequest): Promise<CacheAnswer> {
    const now = this.now()
    const e = this.l1.get(req.key)
    if (e && req.ryw === null && req.policy.budgetMs > 0 && now - e.verifiedAt <= req.policy.graceMs) {
      return this.answer(req, e, 'grace', now - e.verifiedAt, 'redis-unavailable')
    }
    const entry = await this.limited(req, () => this.computeUnstored(req, ''))
    if (req.policy.budgetMs > 0) {
      // Serve it to others for at most the route's budget; flushed when Redis returns.
      entry.verifiedAt = now
      this.l1.set(req.key, entry)
    }
    return this.answer(req, entry, 'bypass', 0, 'redis-unavailable')
  }

  private async build(req: CacheRequest, r: FillResult, epoch: string, now: number): Promise<Entry> {
    const deps = [...new Set(r.deps)].sort()
    return buildEntry(r.status, r.body, deps, epoch, now + req.policy.ttlMs, r.hardUntil, now)
  }

  private answer(req: Pick<CacheRequest, 'route'>, entry: Entry, outcome: Outcome, staleMs: number, detail?: string): CacheAnswer {
    this.opts.events.served(req.route, outcome)
    return { entry, outcome, staleMs, detail }
  }

  private async redisCall<T>(fn: () => Promise<T>): Promise<T> {
    let v: T
    try {
      v = await fn()
    } catch (err) {
      this.redisFailed()
      throw new Unverifiable(String(err))
    }
    // A call that closed the breaker ran before the catch-up: its answer is not trusted either.
    if (this.redisOk() || this.recovering) throw new Unverifiable('redis recovering')
    return v
  }

  private redisFailed(): void {
    if (!this.breaker.open) this.opts.events.redisFailure()
    this.breaker.failure(this.now())
  }

  /** Returns true when this success ended an outage. */
  private redisOk(): boolean {
    if (!this.breaker.success()) return false
    // Redis is back: nothing in L1 can be trusted, and writes made meanwhile must be applied
    // before Redis versions are believed again.
    this.l1.clear()
    this.recovering = this.catchUp()
      .catch(() => {})
      .finally(() => {
        this.recovering = null
      })
    return true
  }

  /** Drops this process's L1 (bus reconnect, tests). */
  flushL1(): void {
    this.l1.clear()
  }
}
