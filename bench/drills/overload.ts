import type { DrillResult } from '../report/types.js'
import { check, windowStats } from './analyze.js'
import type { DrillKit } from './kit.js'

const POOL = 2
/**
 * As the server's default: about what the pool serves within the wait deadline (Little's law). A
 * smaller queue turns each burst of arrivals into refusals and then leaves the pool idle until the
 * next burst, so goodput falls far below the sustainable rate.
 */
const QUEUE = 200
const QUEUE_TIMEOUT_MS = 1000
const UNCACHED = 'GET /api/clubs (uncached search)'

/**
 * First the sustainable rate of requests that need the database (searches nobody sent before,
 * closed loop); then three times that rate, with cached readers alongside. Admission control must
 * keep the admitted requests' p99 bounded (queue deadline + normal service time) and refuse the
 * excess quickly with 503 + Retry-After; cached reads must not suffer with them.
 *
 * The server gets a small pool (as each of many instances sharing one database would), so the
 * database connections, not this small machine's CPU, are what runs out first.
 */
export async function overload(kit: DrillKit): Promise<DrillResult> {
  const world = await kit.world('overload', {
    instances: 1,
    env: { QUAD_DB_POOL_MAX: String(POOL), QUAD_DB_QUEUE_MAX: String(QUEUE), QUAD_DB_QUEUE_TIMEOUT_MS: String(QUEUE_TIMEOUT_MS) },
  })
  try {
    const calibrate = await kit.drive('drill overload: 1x', kit.plan(world, [{ name: 'uncached-search', connections: 8, rate: 0 }], 3))
    const base = windowStats(calibrate.result, calibrate.result.startedAt, calibrate.result.stoppedAt)
    const seconds = (calibrate.result.stoppedAt - calibrate.result.startedAt) / 1000
    const sustainable = base.ok / seconds
    const target = Math.max(3, Math.round(3 * sustainable))
    // Enough connections that waiting (up to the queue deadline) cannot throttle the offered rate.
    const connections = Math.min(1000, Math.max(32, Math.ceil((target * (QUEUE_TIMEOUT_MS + 1000)) / 1000)))
    const d = kit.o.drillDuration
    const over = await kit.drive(
      'drill overload: 3x',
      kit.plan(
        world,
        [
          { name: 'uncached-search', connections, rate: target },
          { name: 'cached-list', connections: 2, rate: 0 },
        ],
        d,
      ),
      [],
      [world.servers[0]!.pid, kit.load.pid],
    )
    const [serverCpu, loadCpu] = over.cpu
    const r = over.result
    // The first second fills the queue; judge the steady state.
    const from = r.startedAt + 1000
    const uncached = windowStats(r, from, r.stoppedAt, (route) => route === UNCACHED)
    const cached = windowStats(r, from, r.stoppedAt, (route) => route !== UNCACHED)
    const span = (r.stoppedAt - from) / 1000
    const offered = uncached.responses / span
    const admitted = uncached.ok / span
    // Each database acquisition of a request may wait up to the queue deadline: the bound allows
    // that for every query an admitted request runs, plus three times the unloaded p99.
    const acquisitions = Math.max(1, Math.ceil(uncached.ok_queries_per_request || base.ok_queries_per_request))
    const bound = acquisitions * QUEUE_TIMEOUT_MS + Math.max(1000, 3 * base.p99_ms)
    const shedBound = acquisitions * QUEUE_TIMEOUT_MS + 500
    const checks = [
      check('offered at least 2.5x the sustainable rate', offered >= 2.5 * sustainable, `${offered.toFixed(0)}/s offered, sustainable ${sustainable.toFixed(0)}/s`),
      check('excess shed with 503 + Retry-After', uncached.refused > 0, `${uncached.refused} refused of ${uncached.responses}`),
      check(
        `admitted p99 bounded (≤ ${acquisitions} acquisition(s) × queue deadline + max(1 s, 3 × p99 at 1x) = ${bound} ms)`,
        uncached.ok_p99_ms <= bound,
        `${uncached.ok_p99_ms} ms`,
      ),
      check('goodput kept: at least half the sustainable rate admitted', admitted >= sustainable / 2, `${admitted.toFixed(0)}/s of ${sustainable.toFixed(0)}/s`),
      check(`refusals fast (p99 ≤ ${shedBound} ms)`, uncached.refused_p99_ms <= shedBound, `${uncached.refused_p99_ms} ms`),
      check('no other failures', uncached.violations + cached.violations === 0, `${uncached.violations + cached.violations} (${JSON.stringify(uncached.statuses)})`),
    ]
    return {
      name: 'overload',
      pass: checks.every((x) => x.pass),
      summary: `pool ${POOL}, queue ${QUEUE}, deadline ${QUEUE_TIMEOUT_MS} ms: sustainable ${sustainable.toFixed(0)} uncached req/s (p99 ${base.p99_ms} ms); at 3x (${offered.toFixed(0)}/s offered on ${connections} connections) ${admitted.toFixed(0)}/s admitted (${Math.round((admitted / sustainable) * 100)} % of sustainable) with p99 ${uncached.ok_p99_ms} ms, ${uncached.refused} shed (p99 ${uncached.refused_p99_ms} ms); cached reads alongside p99 ${cached.p99_ms} ms`,
      figures: {
        sustainable_rps: Math.round(sustainable),
        sustainable_p99_ms: base.p99_ms,
        target_rps: target,
        offered_rps: Math.round(offered),
        admitted_rps: Math.round(admitted),
        admitted_p99_ms: uncached.ok_p99_ms,
        shed: uncached.refused,
        shed_p99_ms: uncached.refused_p99_ms,
        shed_after_queries: uncached.refused_after_queries,
        queries_per_admitted: uncached.ok_queries_per_request,
        other_failures: uncached.violations + cached.violations,
        cached_p99_ms: cached.p99_ms,
        bound_ms: bound,
        goodput_ratio: Math.round((admitted / sustainable) * 100) / 100,
        server_cpu_pct: serverCpu ?? null,
        load_generator_cpu_pct: loadCpu ?? null,
      },
      checks,
    }
  } finally {
    await world.close()
  }
}
