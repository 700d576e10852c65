import { sql } from 'kysely'
import pg from 'pg'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../config.js'
import { percentile, startOwn, type OwnInstance } from '../../test/helpers/instance.js'
import { createTestEnv, type TestEnv } from '../../test/helpers/quad.js'
import { fingerprint, normalizeSql } from './fingerprint.js'
import { classBudgets, Watchdog } from './watchdog.js'

const silent = pino({ level: 'silent' })
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('query fingerprints', () => {
  it('drops literals, parameters and list lengths but keeps names', () => {
    const a = normalizeSql(`SELECT * FROM clubs c1 WHERE c1.id IN (1, 2, 3) AND name = 'O''Brien' AND score > 4.5 -- note\n LIMIT $1`)
    expect(a).toBe('select * from clubs c1 where c1.id in (?) and name = ? and score > ? limit ?')
    expect(normalizeSql(`insert into t (a, b) values ($1, $2), ($3, $4)`)).toBe('insert into t (a, b) values (?)')
    expect(normalizeSql(`select pg_sleep(60)`)).toBe(normalizeSql(`select   pg_sleep(5)`))
    expect(normalizeSql(`select $tag$ anything 'here' $tag$::text, e'\\x'`)).toBe('select ?::text, ?')
    expect(fingerprint('select 1').id).toBe(fingerprint('SELECT 2').id)
    expect(fingerprint('select 1 from a').id).not.toBe(fingerprint('select 1 from b').id)
    expect(fingerprint(`select '${'x'.repeat(2000)}', ${'a, '.repeat(400)} b`).text.length).toBeLessThanOrEqual(401)
  })
})

describe('watchdog class budgets', () => {
  it('uses the statement timeouts, spares operator commands, and defaults other quad* names', () => {
    const budget = classBudgets(
      loadConfig({ QUAD_STATEMENT_TIMEOUT_MS: '1500', QUAD_REPORT_TIMEOUT_MS: '20000', QUAD_WATCHDOG_BUDGETS: 'quad-batch=60000,quad-seed=5' }),
    )
    expect(budget('quad-web')).toBe(1500)
    expect(budget('quad-report')).toBe(20000)
    expect(budget('quad-batch')).toBe(60000)
    expect(budget('quad-seed')).toBe(5)
    expect(budget('quad-migrate')).toBe(0)
    expect(budget('quad-anything')).toBe(30000)
    expect(budget('psql')).toBe(0)
    expect(() => loadConfig({ QUAD_WATCHDOG_BUDGETS: 'web=5' })).toThrow(/QUAD_WATCHDOG_BUDGETS/)
    expect(() => loadConfig({ QUAD_WATCHDOG_INTERVAL_MS: '10' })).toThrow(/QUAD_WATCHDOG_INTERVAL_MS/)
    expect(loadConfig({ NODE_ENV: 'test' }).watchdog.intervalMs).toBe(0)
    expect(loadConfig({ NODE_ENV: 'development' }).watchdog.intervalMs).toBe(5000)
  })
})

describe('statement timeouts and the watchdog on PostgreSQL', () => {
  const INTERVAL_MS = 500
  const WEB_MS = 2000
  let env: TestEnv
  let q: OwnInstance
  const clients: pg.Client[] = []

  /** A session of its own, like a stuck query from another process with the given name. */
  async function session(applicationName: string): Promise<pg.Client> {
    const c = new pg.Client({ connectionString: env.env.DATABASE_URL, application_name: applicationName })
    c.on('error', () => {})
    await c.connect()
    clients.push(c)
    return c
  }

  beforeAll(async () => {
    env = await createTestEnv('postgres', { seed: 'demo' })
    q = await startOwn(env, {
      env: { QUAD_WATCHDOG_INTERVAL_MS: String(INTERVAL_MS), QUAD_STATEMENT_TIMEOUT_MS: String(WEB_MS), QUAD_REPORT_TIMEOUT_MS: '4000' },
    })
  })
  afterAll(async () => {
    for (const c of clients) await c.end().catch(() => {})
    await q?.close()
    await env?.close()
  })

  it('applies the statement timeout of each pool to its connections', async () => {
    const app = await sql<{ name: string; timeout: string }>`select current_setting('application_name') as name, current_setting('statement_timeout') as timeout`
    expect((await app.execute(q.runtime.db)).rows[0]).toEqual({ name: 'quad-web', timeout: '2s' })
    expect((await app.execute(q.runtime.reportDb)).rows[0]).toEqual({ name: 'quad-report', timeout: '4s' })
    const t0 = performance.now()
    await expect(sql`select pg_sleep(2.5)`.execute(q.runtime.db)).rejects.toMatchObject({ code: '57014' })
    expect(performance.now() - t0).toBeLessThan(WEB_MS + 400)
    // The same statement is fine as a report.
    await expect(sql`select pg_sleep(2.5)`.execute(q.runtime.reportDb)).resolves.toBeTruthy()
  })

  it('cancels a stuck quad-web query within budget + one interval while requests keep being served', async () => {
    const stuck = await session('quad-web') // no statement_timeout on this session: only the watchdog can stop it
    const other = await session('psql') // not Quad's: never touched
    const t0 = performance.now()
    const cancelled = stuck.query('select pg_sleep(60)').then(
      () => ({ ok: true, ms: performance.now() - t0, code: '' }),
      (err: { code: string }) => ({ ok: false, ms: performance.now() - t0, code: err.code }),
    )
    const untouched = other.query('select pg_sleep(3.5)').then(() => 'finished', (err: Error) => err.message)

    // Normal traffic meanwhile: uncached reads (a different search each time) and cached reads.
    const latencies: number[] = []
    const statuses = new Set<number>()
    let n = 0
    let done = false
    void cancelled.then(() => (done = true))
    while (!done) {
      const t = performance.now()
      const url = n % 2 ? `/api/clubs?q=${['a', 'e', 'i', 'o', 'u'][n % 5]}${n}` : '/api/tags'
      const res = await q.app.inject({ method: 'GET', url })
      latencies.push(performance.now() - t)
      statuses.add(res.statusCode)
      n++
      await sleep(50)
    }
    const result = await cancelled
    expect(result).toMatchObject({ ok: false, code: '57014' })
    expect(result.ms).toBeGreaterThan(WEB_MS)
    // Allowance: the pass's own pg_stat_activity query and the cancel reaching the backend.
    expect(result.ms).toBeLessThan(WEB_MS + INTERVAL_MS + 250)
    expect([...statuses]).toEqual([200])
    expect(n).toBeGreaterThan(10)
    console.info(
      `watchdog: pg_sleep(60) as quad-web cancelled after ${Math.round(result.ms)} ms (budget ${WEB_MS} ms + interval ${INTERVAL_MS} ms); ` +
        `${n} requests meanwhile, all 200, p99 ${Math.round(percentile(latencies, 99))} ms`,
    )
    expect(await untouched).toBe('finished')

    const stats = q.runtime.ops.watchdog!.stats()
    expect(stats.leader).toBe(true)
    expect(stats.cancels).toBeGreaterThanOrEqual(1)
    expect(stats.recent[0]).toMatchObject({ action: 'cancel', class: 'quad-web', query: 'select pg_sleep(?)' })
    expect(stats.recent[0]!.ms).toBeGreaterThan(WEB_MS)
    const line = q.logs.find((l) => l.msg.startsWith('watchdog cancelled'))
    expect(line).toMatchObject({ class: 'quad-web', query: 'select pg_sleep(?)', fingerprint: fingerprint('select pg_sleep(60)').id, budgetMs: WEB_MS })
    expect(await q.runtime.ops.metrics.text()).toMatch(/quad_watchdog_actions_total\{action="cancel",class="quad-web"\} [1-9]/)
    // The session survives a cancel and can be used again.
    expect((await stuck.query('select 1 as one')).rows[0].one).toBe(1)
  })

  it('lets only the holder of the advisory lock act, and hands over when it stops', async () => {
    const opts = { connectionString: env.env.DATABASE_URL!, intervalMs: 0, graceMs: 1000, budgetFor: () => 0, log: silent }
    const a = new Watchdog(opts)
    const b = new Watchdog(opts)
    try {
      // The server's own watchdog holds the lock of this database.
      expect((await a.tick()).leader).toBe(false)
      await q.runtime.ops.watchdog!.stop()
      expect((await a.tick()).leader).toBe(true)
      expect((await b.tick()).leader).toBe(false)
      await a.stop()
      expect((await b.tick()).leader).toBe(true)
    } finally {
      await a.stop()
      await b.stop()
    }
  })

  it('terminates a backend that a cancel does not stop (an idle open transaction)', async () => {
    await q.runtime.ops.watchdog!.stop() // this test's watchdog is the one that acts
    const wd = new Watchdog({ connectionString: env.env.DATABASE_URL!, intervalMs: 0, graceMs: 300, budgetFor: (a) => (a === 'quad-idle' ? 200 : 0), log: silent })
    try {
      const idle = await session('quad-idle')
      const ended = new Promise<void>((resolve) => idle.once('end', () => resolve()))
      await idle.query('begin')
      await idle.query('select 1')
      await sleep(300)
      const first = await wd.tick()
      expect(first.actions.map((a) => [a.action, a.state])).toEqual([['cancel', 'idle in transaction']])
      expect((await wd.tick()).actions).toEqual([]) // within the grace: nothing more
      await sleep(350)
      const second = await wd.tick()
      expect(second.actions.map((a) => a.action)).toEqual(['terminate'])
      await ended
      await expect(idle.query('select 1')).rejects.toThrow()
      expect(wd.stats()).toMatchObject({ cancels: 1, terminations: 1 })
    } finally {
      await wd.stop()
    }
  })
})
