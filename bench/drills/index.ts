import type { Cleanup } from '../cleanup.js'
import type { LoadProcess } from '../load/client.js'
import type { BenchOptions } from '../options.js'
import type { DrillResult } from '../report/types.js'
import { drillLine } from '../report/table.js'
import type { Ui } from '../ui.js'
import { DrillKit } from './kit.js'
import type { DrillName } from './names.js'
import { overload } from './overload.js'
import { postgresRestart } from './postgres-restart.js'
import { redisRestart } from './redis-restart.js'
import { stuckQuery } from './stuck-query.js'

/** What the server under test offers, as seen during the main run. */
export interface ServerFeatures {
  routes: Set<string>
  watchdog: boolean
  admission: boolean
}

const notRun = (name: string, reason: string): DrillResult => ({ name, pass: null, reason, summary: '', figures: {}, checks: [] })

export async function runDrills(o: BenchOptions, ui: Ui, load: LoadProcess, cleanup: Cleanup, features: ServerFeatures): Promise<DrillResult[]> {
  if (!o.drills.length) return []
  const kit = await DrillKit.create(o, ui, load, cleanup, features.routes)
  const drills: Record<DrillName, () => Promise<DrillResult>> = {
    'redis-restart': () => redisRestart(kit),
    'postgres-restart': () => postgresRestart(kit),
    'stuck-query': () => (features.watchdog ? stuckQuery(kit) : Promise.resolve(notRun('stuck-query', 'the server has no query watchdog (GET /metrics shows no quad_watchdog_* metric)'))),
    overload: () => (features.admission ? overload(kit) : Promise.resolve(notRun('overload', 'the server has no admission control (GET /metrics shows no quad_db_shed_total metric)'))),
  }
  const out: DrillResult[] = []
  for (const name of o.drills) {
    const r = await drills[name]().catch((err: Error): DrillResult => ({
      name,
      pass: false,
      summary: `the drill itself failed: ${err.message}`,
      figures: {},
      checks: [{ name: 'drill ran', pass: false, detail: err.message }],
    }))
    ui.step(drillLine(r))
    out.push(r)
  }
  return out
}
