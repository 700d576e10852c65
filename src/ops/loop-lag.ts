/**
 * How far the event loop runs behind, sampled by a timer: when requests queue inside the process
 * (the CPU is saturated), timers fire late by about as long as a new request would wait. Smoothed
 * (a moving average over ~30 ms of samples) so one long garbage collection is not an overload.
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
      this.lag = this.lag * 0.7 + late * 0.3
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
