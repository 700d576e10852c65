import pg from 'pg'
import type { DrillResult } from '../report/types.js'
import { check, windowStats } from './analyze.js'
import type { DrillKit } from './kit.js'
import { counter } from './metrics.js'

const BUDGET_MS = 2000
const INTERVAL_MS = 500

// Busy CPU without materializing anything: the shape of the incident's stuck queries.
const STUCK_SQL = `with recursive spin(n) as (select 1 union all select n + 1 from spin where n < 1e12) select count(*) from spin`

/**
 * A runaway statement is started on a connection that looks like Quad's web pool (application
 * name quad-web, no statement timeout of its own). The watchdog must cancel it within the class
 * budget plus one interval (and a second of slack), count it in /metrics, and traffic must keep
 * being answered meanwhile.
 */
export async function stuckQuery(kit: DrillKit): Promise<DrillResult> {
  const d = kit.o.drillDuration
  const world = await kit.world('stuck-query', {
    instances: 1,
    env: { QUAD_STATEMENT_TIMEOUT_MS: String(BUDGET_MS), QUAD_WATCHDOG_INTERVAL_MS: String(INTERVAL_MS), QUAD_WATCHDOG_GRACE_MS: '2000' },
  })
  const url = world.servers[0]!.url
  const client = new pg.Client({ connectionString: world.pg.url, application_name: 'quad-web', statement_timeout: 60_000 })
  client.on('error', () => {})
  try {
    await client.connect()
    const actionsBefore = await counter(url, 'quad_watchdog_actions_total')
    let outcome: { ms: number; code: string } | null = null
    const plan = kit.plan(
      world,
      [
        { name: 'directory', connections: 3, rate: 0 },
        { name: 'club-page', connections: 3, rate: 0 },
        { name: 'session', connections: 2, rate: 0 },
      ],
      d,
    )
    const { result, marks } = await kit.drive('drill stuck-query', plan, [
      {
        s: d / 4,
        run: async () => {
          const t0 = Date.now()
          const code = await client.query(STUCK_SQL).then(
            () => 'finished',
            (err: { code?: string; message?: string }) => err.code ?? err.message ?? 'error',
          )
          outcome = { ms: Date.now() - t0, code }
        },
      },
    ])
    const actionsAfter = await counter(url, 'quad_watchdog_actions_total')
    const injected = marks[0]!
    const o = outcome as { ms: number; code: string } | null
    const bound = BUDGET_MS + INTERVAL_MS + 1000
    const stuck = windowStats(result, injected.at, injected.done)
    const all = windowStats(result, result.startedAt, result.stoppedAt)
    const checks = [
      check('the runaway statement was cancelled or terminated', o !== null && ['57014', '57P01'].includes(o.code), o ? `ended with ${o.code} after ${o.ms} ms` : 'never ended'),
      check(`within budget + interval + 1 s (${bound} ms)`, o !== null && o.ms <= bound, o ? `${o.ms} ms` : '–'),
      check('counted in /metrics (quad_watchdog_actions_total)', actionsAfter > actionsBefore, `${actionsBefore} → ${actionsAfter}`),
      check('traffic answered meanwhile', all.violations === 0 && all.refused === 0 && stuck.responses > 0, `${stuck.responses} responses while it ran, ${all.violations + all.refused} failures in the drill`),
    ]
    return {
      name: 'stuck-query',
      pass: checks.every((x) => x.pass),
      summary: `runaway quad-web statement ${o ? `ended (${o.code}) after ${o.ms} ms` : 'never ended'} (budget ${BUDGET_MS} ms, watchdog every ${INTERVAL_MS} ms); ${stuck.responses} requests answered while it ran, p99 ${stuck.p99_ms} ms`,
      figures: {
        cancelled_after_ms: o?.ms ?? null,
        sqlstate: o?.code ?? null,
        bound_ms: bound,
        watchdog_actions: actionsAfter - actionsBefore,
        responses_while_stuck: stuck.responses,
        p99_while_stuck_ms: stuck.p99_ms,
        failures: all.violations + all.refused,
      },
      checks,
    }
  } finally {
    await client.end().catch(() => {})
    await world.close()
  }
}
