/**
 * Which dependency keys moved at each value of the version clock, for the recent past. Derived
 * views (the directory) read it to learn what changed between the clock they reflect and the
 * current clock, so an edit costs the items it touched instead of a reload.
 *
 * Every clock value has exactly one batch (a clock only moves when a batch of outbox rows is
 * applied, and that batch is announced once). The log knows every batch after `start`, up to the
 * contiguous watermark `heard`; anything earlier, or a batch lost on the way, makes `changes`
 * answer null: "unknown, reload everything".
 */
export class ChangeLog {
  private epoch = ''
  private start = 0
  private heard = 0
  private readonly batches = new Map<number, readonly string[]>()
  /** The clock of each dep's latest move among the batches kept. */
  private readonly lastMove = new Map<string, number>()
  private waiters: { clock: number; wake: () => void }[] = []

  constructor(private readonly keep = 50_000) {}

  /** Nothing before `clock` of `epoch` is known; batches after it will be recorded. */
  reset(epoch: string, clock: number): void {
    this.epoch = epoch
    this.start = clock
    this.heard = clock
    this.batches.clear()
    this.lastMove.clear()
    this.wakeAll()
  }

  /** Forgets everything until the next reset (the announcements are not being received). */
  suspend(): void {
    this.reset('', Number.MAX_SAFE_INTEGER)
    this.epoch = '\u0000suspended'
  }

  /** Records one batch, as announced in clock order. A batch after a gap restarts the log there. */
  record(epoch: string, clock: number, deps: readonly string[]): void {
    if (epoch !== this.epoch) this.reset(epoch, clock - 1)
    if (clock <= this.heard) return
    if (clock > this.heard + 1) this.reset(epoch, clock - 1)
    this.batches.set(clock, deps)
    for (const d of deps) this.lastMove.set(d, clock)
    this.heard = clock
    if (this.batches.size > this.keep) {
      const drop = this.heard - this.keep
      for (const [c, old] of this.batches) {
        if (c > drop) break
        this.batches.delete(c)
        for (const d of old) if (this.lastMove.get(d) === c) this.lastMove.delete(d)
      }
      this.start = Math.max(this.start, drop)
    }
    if (this.waiters.length) this.wake()
  }

  /**
   * The deps moved by the batches in (from, to] of `epoch`, waiting up to waitMs for batches not
   * yet received; null when the log cannot tell (other epoch, too old, or not received in time).
   */
  async changes(epoch: string, from: number, to: number, waitMs = 0): Promise<string[] | null> {
    if (epoch !== this.epoch || from < this.start) return null
    if (to > this.heard) {
      if (waitMs <= 0 || !(await this.until(to, waitMs))) return null
      if (epoch !== this.epoch || from < this.start || to > this.heard) return null
    }
    const out: string[] = []
    for (let c = from + 1; c <= to; c++) {
      const deps = this.batches.get(c)
      if (!deps) return null
      for (const d of deps) out.push(d)
    }
    return out
  }

  /**
   * Whether any dep moved after the clock recorded for it, judged up to clock `to`; null when
   * the log cannot tell (other epoch, a recorded clock before the log's start, `to` not heard
   * within waitMs). A move after `to` also counts (the caller reloads a little early).
   */
  async movedSince(epoch: string, deps: readonly string[], recorded: readonly number[], to: number, waitMs = 0): Promise<boolean | null> {
    if (epoch !== this.epoch) return null
    for (const r of recorded) if (r < this.start) return null
    if (to > this.heard && !(waitMs > 0 && (await this.until(to, waitMs)))) return null
    // A reset while waiting: judge again from what is known now.
    if (epoch !== this.epoch || to > this.heard || recorded.some((r) => r < this.start)) return null
    for (let i = 0; i < deps.length; i++) if ((this.lastMove.get(deps[i]!) ?? -1) > recorded[i]!) return true
    return false
  }

  private until(clock: number, waitMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter)
        resolve(false)
      }, waitMs)
      const waiter = {
        clock,
        wake: () => {
          clearTimeout(timer)
          resolve(true)
        },
      }
      this.waiters.push(waiter)
    })
  }

  private wake(): void {
    const ready = this.waiters.filter((w) => w.clock <= this.heard)
    if (!ready.length) return
    this.waiters = this.waiters.filter((w) => w.clock > this.heard)
    for (const w of ready) w.wake()
  }

  /** A reset may make waiters' answers unknowable: let them look again (and get null). */
  private wakeAll(): void {
    const all = this.waiters
    this.waiters = []
    for (const w of all) w.wake()
  }
}
