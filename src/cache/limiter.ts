/** Counting semaphore: at most `limit` concurrent holders, the rest wait in FIFO order. */
export class Semaphore {
  private active = 0
  private readonly queue: (() => void)[] = []

  constructor(private readonly limit: number) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((r) => this.queue.push(r))
    else this.active++
    try {
      return await fn()
    } finally {
      const next = this.queue.shift()
      if (next) next()
      else this.active--
    }
  }
}

/**
 * Opens after a failure so a dead Redis costs nothing per request; after `coolMs` one probe is let
 * through, and the first success closes it again (the owner then resynchronizes).
 */
export class Breaker {
  private openedAt = 0
  private probing = false

  constructor(private readonly coolMs: number) {}

  get open(): boolean {
    return this.openedAt !== 0
  }

  /** True when a call may go to Redis now. */
  allow(now = Date.now()): boolean {
    if (this.openedAt === 0) return true
    if (!this.probing && now - this.openedAt >= this.coolMs) {
      this.probing = true
      return true
    }
    return false
  }

  failure(now = Date.now()): void {
    this.openedAt = now
    this.probing = false
  }

  /** Returns true when this success closed an open breaker. */
  success(): boolean {
    const wasOpen = this.openedAt !== 0
    this.openedAt = 0
    this.probing = false
    return wasOpen
  }
}
