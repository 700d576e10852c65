import { currentScope } from '../db/scope.js'
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
    super(503, 'OVERLOADED', 'The server is busy; retry shortly', undefined, { 'retry-after': String(retryAfterS) })
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
 * before queued requests, so the cache keeps converging while requests are being refused.
 */
export class AdmissionGate implements ConnectionGate {
  private inUse = 0
  private peak = 0
  private admitted = 0
  private readonly queue: Waiter[] = []
  private readonly system: Waiter[] = []
  private readonly shed: Record<ShedReason, number> = { queue_full: 0, deadline: 0 }

  constructor(private readonly opts: GateOptions) {}

  acquire(): Promise<() => void> {
    if (this.inUse < this.opts.max && this.queue.length === 0 && this.system.length === 0) {
      return Promise.resolve(this.take(0))
    }
    const isSystem = currentScope() === undefined
    if (!isSystem && this.queue.length >= this.opts.queueMax) return Promise.reject(this.refuse('queue_full'))
    const t0 = performance.now()
    return new Promise((resolve, reject) => {
      const w: Waiter = {
        timer: null,
        grant: (release) => {
          if (w.timer) clearTimeout(w.timer)
          this.opts.onAdmit?.(performance.now() - t0)
          resolve(release)
        },
      }
      if (isSystem) {
        this.system.push(w)
        return
      }
      w.timer = setTimeout(() => {
        const i = this.queue.indexOf(w)
        if (i >= 0) this.queue.splice(i, 1)
        reject(this.refuse('deadline'))
      }, this.opts.waitMs)
      this.queue.push(w)
    })
  }

  stats(): GateStats {
    return {
      name: this.opts.name,
      max: this.opts.max,
      inUse: this.inUse,
      waiting: this.queue.length + this.system.length,
      queueMax: this.opts.queueMax,
      waitMs: this.opts.waitMs,
      peakInUse: this.peak,
      admitted: this.admitted,
      shed: { ...this.shed },
    }
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
    return () => {
      if (done) return
      done = true
      // Hand the connection slot straight to the next waiter, system work first.
      const next = this.system.shift() ?? this.queue.shift()
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
