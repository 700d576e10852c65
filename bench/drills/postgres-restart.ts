import { openDatabase } from '../../src/db/database.js'
import { LOG_NOT_OK } from '../load/stats.js'
import type { DrillResult } from '../report/types.js'
import { verifyWrites } from '../verify.js'
import { check, firstAfter, windowStats } from './analyze.js'
import type { DrillKit } from './kit.js'

/**
 * PostgreSQL crashes (immediate shutdown: no checkpoint, WAL replay on start) a third into the run
 * and comes back at two thirds, while students read and write. While it is down Quad must answer
 * cached reads or refuse with 503 + Retry-After — nothing else — and afterwards every write it
 * acknowledged must be in the database.
 */
export async function postgresRestart(kit: DrillKit): Promise<DrillResult> {
  const d = kit.o.drillDuration
  const world = await kit.world('postgres-restart', { instances: 1 })
  // Submissions when the server takes them, otherwise new accounts: both are acknowledged writes.
  const writer = kit.has('submit') ? 'submit' : 'signup'
  try {
    const plan = kit.plan(
      world,
      [
        { name: 'directory', connections: 3, rate: 0 },
        { name: 'club-page', connections: 3, rate: 0 },
        { name: 'session', connections: 2, rate: 0 },
        { name: writer, connections: 2, rate: 8 },
      ],
      d,
    )
    const { result, marks } = await kit.drive('drill postgres-restart', plan, [
      { s: d / 3, run: () => world.pg.stopServer('immediate') },
      { s: (2 * d) / 3, run: () => world.pg.startServer() },
    ])
    const [down, up] = marks as [(typeof marks)[0], (typeof marks)[0]]
    const start = result.startedAt
    const end = result.stoppedAt
    const all = windowStats(result, start, end)
    const outage = windowStats(result, down.at, up.done)
    const before = windowStats(result, start, down.at)
    // Recovered: the first answered request that needs the database (private or a write).
    const recovered = firstAfter(result, up.done, (row, route) => !(row[4] & LOG_NOT_OK) && !route.startsWith('GET /api/clubs'))
    const recoveryMs = recovered === null ? null : recovered - up.done
    const afterRecovery = recovered === null ? null : windowStats(result, recovered + 2000, end)

    const database = await openDatabase({ kind: 'postgres', url: world.pg.url }, { appName: 'quad-bench', max: 1 })
    const writes = await verifyWrites(database.db, result.acknowledged).finally(() => database.close())
    const kind = writer === 'submit' ? 'submission' : 'signup'
    const w = writes[kind] ?? { acknowledged: 0, found: 0 }
    const checks = [
      check('while down: only answers or 503 + Retry-After', all.violations === 0, `${all.violations} other failures (${JSON.stringify(all.statuses)})`),
      check('503 + Retry-After while down', outage.refused > 0, `${outage.refused} refusals of ${outage.responses} requests sent during the outage`),
      check('refusals are fast (p99 < 2.5 s)', outage.refused_p99_ms < 2500, `p99 ${outage.refused_p99_ms} ms`),
      check('no acknowledged write lost', w.acknowledged > 0 && w.acknowledged === w.found, `${kind}: acknowledged ${w.acknowledged}, found ${w.found}`),
      check('database work answered again within 10 s of the restart', recoveryMs !== null && recoveryMs <= 10_000, recoveryMs === null ? 'never' : `${recoveryMs} ms`),
      check(
        'no refusals 2 s after recovery',
        afterRecovery !== null && afterRecovery.refused === 0,
        afterRecovery === null ? 'not recovered' : `${afterRecovery.refused} refusals of ${afterRecovery.responses}`,
      ),
      check('the outage was real', !down.error && !up.error && outage.responses > 0, `${up.done - down.at} ms${down.error ? `; stop: ${down.error}` : ''}${up.error ? `; start: ${up.error}` : ''}`),
    ]
    return {
      name: 'postgres-restart',
      pass: checks.every((x) => x.pass),
      summary: `PostgreSQL crashed and restarted (${((up.done - down.at) / 1000).toFixed(1)} s down): ${outage.responses} requests during the outage, ${outage.ok} answered (cached), ${outage.refused} refused with 503 + Retry-After (p99 ${outage.refused_p99_ms} ms), ${outage.violations} other failures; ${kind}s acknowledged ${w.acknowledged}, found ${w.found}; recovered ${recoveryMs ?? '–'} ms after restart`,
      figures: {
        outage_ms: up.done - down.at,
        responses: all.responses,
        during_responses: outage.responses,
        during_answered: outage.ok,
        during_refused_503: outage.refused,
        refused_p99_ms: outage.refused_p99_ms,
        other_failures: all.violations,
        p99_before_ms: before.p99_ms,
        recovery_ms: recoveryMs,
        write_kind: kind,
        acknowledged: w.acknowledged,
        found: w.found,
      },
      checks,
    }
  } finally {
    await world.close()
  }
}
