import { loadConfig } from '../../src/config.js'
import { createRuntime, type Runtime } from '../../src/runtime.js'
import type { ClubFx } from '../fixtures.js'
import { type Consistency, versionSuffix } from './consistency.js'

/**
 * Rewrites the probe clubs' subtitles, one club after the other, each time with the next version,
 * through a Quad runtime of its own (the server's write path: one transaction, invalidation
 * applied before it returns). Used when the server has no HTTP route that edits a club.
 */
export class DirectWriter {
  private constructor(private readonly runtime: Runtime) {}

  /** Opened before the load starts, so connecting is not part of the measured run. */
  static async open(env: Record<string, string>): Promise<DirectWriter> {
    return new DirectWriter(await createRuntime(loadConfig(env), { migrate: false, db: { appName: 'quad-bench-writer', max: 1 } }))
  }

  async run(opts: { lanes: ClubFx[]; rate: number; durationS: number; consistency: Consistency }): Promise<void> {
    const end = performance.now() + opts.durationS * 1000
    const gapMs = 1000 / Math.max(0.1, opts.rate)
    const base = opts.lanes.map((l) => l.subtitle.replace(/ · v\d+$/, '').slice(0, 200))
    for (let v = 1; performance.now() < end; v++) {
      const k = (v - 1) % opts.lanes.length
      const lane = opts.lanes[k]!
      const t0 = performance.now()
      try {
        await this.runtime.write((trx) => trx.updateTable('clubs').set({ subtitle: base[k]! + versionSuffix(v) }).where('id', '=', lane.id).execute())
        opts.consistency.ack(lane.code, v)
      } catch {
        opts.consistency.writeFailed()
      }
      const t1 = performance.now()
      const wait = Math.min(gapMs - (t1 - t0), end - t1)
      if (wait > 0) await new Promise((r) => setTimeout(r, wait))
    }
  }

  close(): Promise<void> {
    return this.runtime.close()
  }
}
