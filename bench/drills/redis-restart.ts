import { LOG_CACHE_HIT } from '../load/stats.js'
import type { DrillResult } from '../report/types.js'
import { check, firstAfter, windowStats } from './analyze.js'
import type { DrillKit } from './kit.js'

/**
 * Redis is killed (SIGKILL, all entries and versions lost) a third into the run and started again
 * at two thirds, under two instances with readers and a probe writer. Quad must keep answering
 * (L1 copies labelled as stale, the database through the limiter), never serve an unlabelled stale
 * read, and be back to shared cache hits soon after Redis returns.
 */
export async function redisRestart(kit: DrillKit): Promise<DrillResult> {
  const d = kit.o.drillDuration
  const world = await kit.world('redis-restart', { instances: 2 })
  try {
    const plan = kit.plan(
      world,
      [
        { name: 'directory', connections: 4, rate: 0 },
        { name: 'club-page', connections: 4, rate: 0 },
        { name: 'session', connections: 2, rate: 0 },
        { name: 'probe-read', connections: 4, rate: 0 },
      ],
      d,
      { probeWrites: 4 },
    )
    const { result, marks } = await kit.drive('drill redis-restart', plan, [
      { s: d / 3, run: () => world.redis.stopServer() },
      { s: (2 * d) / 3, run: () => world.redis.startServer() },
    ])
    const [down, up] = marks as [(typeof marks)[0], (typeof marks)[0]]
    const start = result.startedAt
    const end = result.stoppedAt
    const before = windowStats(result, start, down.at)
    const outage = windowStats(result, down.at, up.done)
    const afterUp = windowStats(result, up.done, end)
    const all = windowStats(result, start, end)
    const firstHit = firstAfter(result, up.done, (row) => (row[4] & LOG_CACHE_HIT) !== 0)
    const recoveryMs = firstHit === null ? null : firstHit - up.done
    const c = result.consistency
    const staleAfterRecovery = firstHit === null ? c.stale_at.length : c.stale_at.filter(([t]) => t >= firstHit).length
    const unlabelled = c.stale_reads - c.stale_labelled
    const checks = [
      check('every request answered (no 5xx, no connection errors)', all.violations === 0 && all.refused === 0, `${all.violations + all.refused} of ${all.responses} not answered (${JSON.stringify(all.statuses)})`),
      check('no unlabelled stale read after an acknowledged write', unlabelled === 0, `${unlabelled} unlabelled, ${c.stale_labelled} labelled stale of ${c.reads_checked} checked reads`),
      check('shared cache hits again within 10 s of Redis returning', recoveryMs !== null && recoveryMs <= 10_000, recoveryMs === null ? 'no hit after restart' : `${recoveryMs} ms`),
      check('no stale read at all once recovered', staleAfterRecovery === 0, `${staleAfterRecovery} stale reads after the first hit`),
      check('the outage was real (requests served while Redis was down)', outage.responses > 0 && !down.error && !up.error, `${outage.responses} responses during ${up.done - down.at} ms${down.error ? `; stop: ${down.error}` : ''}${up.error ? `; start: ${up.error}` : ''}`),
    ]
    return {
      name: 'redis-restart',
      pass: checks.every((x) => x.pass),
      summary: `Redis killed for ${((up.done - down.at) / 1000).toFixed(1)} s under 2 instances: ${outage.responses} requests during the outage, ${outage.violations + outage.refused} failed; p99 ${before.p99_ms} ms before, ${outage.p99_ms} ms during, ${afterUp.p99_ms} ms after; shared hits back ${recoveryMs ?? '–'} ms after restart; stale reads ${c.stale_reads} (${c.stale_labelled} labelled)`,
      figures: {
        outage_ms: up.done - down.at,
        responses: all.responses,
        during_responses: outage.responses,
        during_failed: outage.violations + outage.refused,
        during_stale_served: outage.stale,
        p99_before_ms: before.p99_ms,
        p99_during_ms: outage.p99_ms,
        p99_after_ms: afterUp.p99_ms,
        recovery_ms: recoveryMs,
        probe_writes: c.writes_acknowledged,
        reads_checked: c.reads_checked,
        stale_reads: c.stale_reads,
        stale_labelled: c.stale_labelled,
      },
      checks,
    }
  } finally {
    await world.close()
  }
}
