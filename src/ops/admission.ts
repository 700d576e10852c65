import { currentScope, type DbScope } from '../db/scope.js'
import type { ConnectionGate } from '../db/instrument.js'
import { AppError } from '../errors.js'

export type ShedReason = 'queue_full' | 'deadline'

/** 503 + Retry-After: the request was refused before it reached the database. */
export class OverloadedError extends AppError {
  constructor(
    readonly reason: ShedReason,
    readonly pool: string,
    retryAfterS: number,
  ) {
    super('OVERLOADED', 'The server is busy; retry shortly', undefined, { 'retry-after': String(retryAfterS) })
  }
}

export interface GateOptions {
  /** Pool name in metrics and errors ('web', 'report'). */
  name: string
  /** Connections that may be in use at once (the pool size). */
  max: number
  /** Requests that may wait for a connection; beyond that they are shed at once. */
  queueMax: number
  /** How long a request may wait for a connection before it is shed. */
  waitMs: number
  retryAfterS?: number
  onAdmit?: (waitedMs: number) => void
  onShed?: (reason: ShedReason) => void
}

interface Waiter {
  grant: (release: () => void) => void
  timer: NodeJS.Timeout | null
}

export interface GateStats {
  name: string
  max: number
  inUse: number
  waiting: number
  queueMax: number
  waitMs: number
  peakInUse: number
  admitted: number
  shed: Record<ShedReason, number>
}

/**
 * Admission control in front of the database pool: at most `max` connections in use, at most
 * `queueMax` requests waiting in FIFO order for `waitMs`, everything else refused with
 * OVERLOADED. An overload thus turns into fast 503s instead of a pile-up of waiting queries.
 *
 * Work outside any request (cache invalidator, readiness probe) is never shed and is served
 * before queued requests, so the cache keeps converging while requests are being refused. A
 * request that already ran a query is next: its later queries skip the queue of new requests and
 * are never refused for a full queue, so admitted work finishes instead of being shed half done.
 */
export class AdmissionGate implements ConnectionGate {
  private inUse = 0
  private peak = 0
  private admitted = 0
  private readonly queue: Waiter[] = []
  private readonly system: Waiter[] = []
  private readonly continuing: Waiter[] = []
  private readonly started = new WeakSet<DbScope>()
  private readonly shed: Record<ShedReason, number> = { queue_full: 0, deadline: 0 }
  /** Moving average of how long a request holds a connection (ms); 0 until measured. */
  private holdMs = 0

  constructor(private readonly opts: GateOptions) {}

  acquire(): Promise<() => void> {
    const scope = currentScope()
    if (this.inUse < this.opts.max && this.waiting() === 0) {
      if (scope) this.started.add(scope)
      return Promise.resolve(this.take(0))
    }
    const isSystem = scope === undefined || scope.system === true
    const lane = isSystem ? this.system : this.started.has(scope) ? this.continuing : this.queue
    if (lane === this.queue && this.queueFull()) return Promise.reject(this.refuse('queue_full'))
    const t0 = performance.now()
    return new Promise((resolve, reject) => {
      const w: Waiter = {
        timer: null,
        grant: (release) => {
          if (w.timer) clearTimeout(w.timer)
          if (scope) this.started.add(scope)
          this.opts.onAdmit?.(performance.now() - t0)
          resolve(release)
        },
      }
      lane.push(w)
      if (isSystem) return
      w.timer = setTimeout(() => {
        const i = lane.indexOf(w)
        if (i >= 0) lane.splice(i, 1)
        reject(this.refuse('deadline'))
      }, this.opts.waitMs)
    })
  }

  /**
   * Refuses now when a request's next acquire would be refused (pool busy, queue full), so work
   * that is about to need a connection (building a query, taking a fill lease) is not done first.
   */
  refuseIfFull(): void {
    if (this.inUse >= this.opts.max && this.queueFull()) throw this.refuse('queue_full')
  }

  stats(): GateStats {
    return {
      name: this.opts.name,
      max: this.opts.max,
      inUse: this.inUse,
      waiting: this.waiting(),
      queueMax: this.opts.queueMax,
      waitMs: this.opts.waitMs,
      peakInUse: this.peak,
      admitted: this.admitted,
      shed: { ...this.shed },
    }
  }

  /**
   * Full at queueMax, or sooner when the requests already waiting will take the pool longer than
   * the deadline to serve: a newcomer would only wait to be refused, so it is refused at once.
   */
  private queueFull(): boolean {
    const ahead = this.queue.length + this.continuing.length
    if (ahead >= this.opts.queueMax) return true
    return this.holdMs > 0 && ((ahead + 1) * this.holdMs) / this.opts.max > this.opts.waitMs
  }

  private waiting(): number {
    return this.queue.length + this.continuing.length + this.system.length
  }

  private take(waitedMs: number): () => void {
    this.inUse++
    this.admitted++
    if (this.inUse > this.peak) this.peak = this.inUse
    if (waitedMs === 0) this.opts.onAdmit?.(0)
    return this.releaser()
  }

  private releaser(): () => void {
    let done = false
    const t0 = performance.now()
    return () => {
      if (done) return
      done = true
      const held = performance.now() - t0
      this.holdMs = this.holdMs === 0 ? held : this.holdMs * 0.9 + held * 0.1
      // Hand the connection slot straight to the next waiter, system work first.
      const next = this.system.shift() ?? this.continuing.shift() ?? this.queue.shift()
      if (next) {
        this.admitted++
        next.grant(this.releaser())
      } else {
        this.inUse--
      }
    }
  }

  private refuse(reason: ShedReason): OverloadedError {
    this.shed[reason]++
    this.opts.onShed?.(reason)
    return new OverloadedError(reason, this.opts.name, this.opts.retryAfterS ?? 1)
  }
}
