import { SingleBar } from 'cli-progress'

/** Progress output on stderr: a bar while load runs, one line per step otherwise. */
export class Ui {
  private readonly t0 = performance.now()

  constructor(private readonly bars: boolean) {}

  step(message: string): void {
    process.stderr.write(`${((performance.now() - this.t0) / 1000).toFixed(1).padStart(6)} s  ${message}\n`)
  }

  /** A bar over the seconds of a load phase; returns the progress callback and a finisher. */
  load(phase: string, durationS: number): { tick(p: { elapsedS: number; responses: number; errors: number }): void; done(): void } {
    if (!this.bars) {
      this.step(`${phase}: ${durationS} s of load`)
      return { tick: () => {}, done: () => {} }
    }
    const bar = new SingleBar({
      format: `  ${phase.padEnd(22)} [{bar}] {value}/{total} s | {rps} req/s | {responses} responses | {errors} errors`,
      hideCursor: true,
      clearOnComplete: false,
      stream: process.stderr,
    })
    bar.start(Math.round(durationS), 0, { rps: 0, responses: 0, errors: 0 })
    let last = { t: 0, n: 0 }
    return {
      tick: (p) => {
        const rps = p.elapsedS > last.t ? Math.round((p.responses - last.n) / (p.elapsedS - last.t)) : 0
        last = { t: p.elapsedS, n: p.responses }
        bar.update(Math.min(Math.round(durationS), Math.floor(p.elapsedS)), { rps, responses: p.responses, errors: p.errors })
      },
      done: () => {
        bar.update(Math.round(durationS))
        bar.stop()
      },
    }
  }
}
