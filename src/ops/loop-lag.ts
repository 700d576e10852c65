/**
 * How far the event loop runs behind, sampled by a timer: when requests queue inside the process
 * (the CPU is saturated), timers fire late by about as long as a new request would wait. Smoothed
 * so one long garbage collection does not count as overload; rises at once, decays over ~100 ms.
 */
export class LoopLag {
  private lag = 0
  private timer: NodeJS.Timeout | null = null

  constructor(private readonly intervalMs = 10) {}

  start(): this {
    let last = performance.now()
    this.timer = setInterval(() => {
      const now = performance.now()
      const late = Math.max(0, now - last - this.intervalMs)
      last = now
      this.lag = late > this.lag ? (this.lag + late) / 2 : this.lag * 0.9 + late * 0.1
    }, this.intervalMs).unref()
    return this
  }

  get ms(): number {
    return this.lag
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
  }
}
