/** How a cached read was answered; the labels of Cache-Status and of the metrics. */
export type Outcome =
  | 'hit-l1'
  | 'hit-l2'
  | 'hit-memory'
  | 'miss'
  | 'collapsed'
  | 'stale-refresh'
  | 'stale-served'
  | 'grace'
  | 'bypass'
  /** Stored bytes of a derived view's variant (the model was current). */
  | 'hit-view'
  /** A variant computed from a current derived view, without SQL. */
  | 'computed'
  /** Answered without storing anything (an unknown code, a not-found id). */
  | 'uri-miss'

/** Hooks for /metrics; counters default to plain numbers so tests can read them. */
export interface CacheEvents {
  served(route: string, outcome: Outcome): void
  fill(route: string, ms: number, storedFresh: boolean): void
  leaseWait(route: string): void
  invalidationLag(ms: number): void
  redisFailure(): void
}

export class CacheCounters implements CacheEvents {
  readonly outcomes = new Map<string, number>()
  fills = 0
  fillsStale = 0
  leaseWaits = 0
  redisFailures = 0
  lastLagMs = 0
  private readonly listeners: CacheEvents[] = []

  /** Forward events to another sink too (the metrics registry). */
  forward(sink: CacheEvents): void {
    this.listeners.push(sink)
  }

  served(route: string, outcome: Outcome): void {
    const k = `${route} ${outcome}`
    this.outcomes.set(k, (this.outcomes.get(k) ?? 0) + 1)
    for (const l of this.listeners) l.served(route, outcome)
  }
  fill(route: string, ms: number, storedFresh: boolean): void {
    this.fills++
    if (!storedFresh) this.fillsStale++
    for (const l of this.listeners) l.fill(route, ms, storedFresh)
  }
  leaseWait(route: string): void {
    this.leaseWaits++
    for (const l of this.listeners) l.leaseWait(route)
  }
  invalidationLag(ms: number): void {
    this.lastLagMs = ms
    for (const l of this.listeners) l.invalidationLag(ms)
  }
  redisFailure(): void {
    this.redisFailures++
    for (const l of this.listeners) l.redisFailure()
  }
  count(route: string, outcome: Outcome): number {
    return this.outcomes.get(`${route} ${outcome}`) ?? 0
  }
}
