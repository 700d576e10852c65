import { sql } from 'kysely'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIRECTORY_POLICY } from '../cache/policy.js'
import { publicRoute } from '../cache/public-route.js'
import { DEMO_PASSWORD } from '../seed/generate.js'
import { AUTH_BUDGETS } from '../modules/auth/auth.routes.js'
import { EVENT_BUDGETS } from '../modules/events/events.routes.js'
import { FAIR_BUDGETS } from '../modules/fairs/fairs.routes.js'
import { TAXONOMY_BUDGETS } from '../modules/taxonomy/taxonomy.routes.js'
import { startOwn, type OwnInstance } from '../../test/helpers/instance.js'
import { getJson, queryCount } from '../../test/helpers/http.js'
import { BACKENDS, createTestEnv, type TestEnv } from '../../test/helpers/quad.js'
import { Client } from '../../test/helpers/session.js'
import { Type } from '@sinclair/typebox'
import { routesWithoutBudget, routeTable } from './budget.js'
import { OPS_BUDGETS } from './ops.routes.js'

describe.each(BACKENDS)('every /api route declares a query budget (%s)', (backend) => {
  it('finds no route without one', async () => {
    const env = await createTestEnv(backend)
    // On the embedded database the in-server watchdog stays off even when configured.
    const q = await startOwn(env, { env: { QUAD_WATCHDOG_INTERVAL_MS: '500' } })
    try {
      expect(routeTable(q.app).length).toBeGreaterThan(10)
      const missing = routesWithoutBudget(q.app)
      expect(
        missing,
        `Every /api route declares how many SQL queries it may run. Add \`config: { queryBudget: N }\` to the route options ` +
          `(or \`queryBudget: N\` to publicRoute) and assert it with queryCount(res) in the module's test. Missing: ${missing.join(', ')}`,
      ).toEqual([])
      expect(q.runtime.ops.watchdog === null).toBe(backend === 'pglite')
    } finally {
      await q.close()
      await env.close()
    }
  })
})

let settingBudget = 1

/** Test routes: a private one with an N+1 over clubs, and a cached one with the same flaw. */
function nPlusOne(app: FastifyInstance) {
  const clubsOneByOne = async (n: number) => {
    const ids = await app.runtime.db.selectFrom('clubs').select('id').orderBy('id').limit(n).execute()
    for (const { id } of ids) await app.runtime.db.selectFrom('clubs').where('id', '=', id).select('name').executeTakeFirst()
    return { n: ids.length }
  }
  app.get('/api/test/n-plus-one', { config: { queryBudget: 3 } }, async (req) => clubsOneByOne(Number((req.query as { n?: string }).n ?? 1)))
  publicRoute(app, {
    url: '/api/test/cached-n-plus-one',
    summary: 'test',
    querystring: Type.Object({ n: Type.Integer() }),
    response: Type.Object({ n: Type.Integer() }),
    cache: DIRECTORY_POLICY,
    queryBudget: 2,
    keyBound: 'one entry per n',
    async handler(ctx) {
      const ids = await ctx.db.selectFrom('clubs').select('id').orderBy('id').limit(ctx.query.n).execute()
      for (const { id } of ids) await ctx.db.selectFrom('clubs').where('id', '=', id).select('name').executeTakeFirst()
      return { n: ids.length }
    },
  })
  // A budget that follows a setting is read per request.
  app.get('/api/test/setting', { config: { queryBudget: () => settingBudget } }, async () => {
    await sql`select 1`.execute(app.runtime.db)
    await sql`select 2`.execute(app.runtime.db)
    return { ok: true }
  })
  app.get('/api/test/raw', { config: { queryBudget: 1 } }, async () => {
    await sql`select 1`.execute(app.runtime.db)
    await sql`select 2`.execute(app.runtime.db)
    return { ok: true }
  })
}

describe('the N+1 guard', () => {
  let env: TestEnv
  const started: OwnInstance[] = []
  const start = async (nodeEnv: string) => {
    const q = await startOwn(env, { env: { NODE_ENV: nodeEnv, QUAD_SECRET: 'x'.repeat(40) }, routes: nPlusOne })
    started.push(q)
    return q
  }

  beforeAll(async () => {
    env = await createTestEnv('postgres', { seed: 'demo' })
  })
  afterAll(async () => {
    for (const q of started) await q.close()
    await env?.close()
  })

  it('fails a request over its budget in tests with a clear message, and passes one within it', async () => {
    const q = await start('test')
    const ok = await q.app.inject({ method: 'GET', url: '/api/test/n-plus-one?n=2' })
    expect(ok.statusCode).toBe(200)
    expect(queryCount(ok)).toBe(3)

    const bad = await q.app.inject({ method: 'GET', url: '/api/test/n-plus-one?n=5' })
    expect(bad.statusCode).toBe(500)
    expect(bad.json().error).toMatchObject({ code: 'QUERY_BUDGET_EXCEEDED' })
    expect(bad.json().error.message).toContain('GET /api/test/n-plus-one ran 6 SQL queries; its budget is 3')
    expect(queryCount(bad)).toBe(6)
    expect(q.logs.some((l) => l.level === 50 && l.route === 'GET /api/test/n-plus-one' && l.queries === 6 && l.budget === 3)).toBe(true)

    expect((await q.app.inject({ method: 'GET', url: '/api/test/raw' })).json().error.code).toBe('QUERY_BUDGET_EXCEEDED')
    settingBudget = 1
    expect((await q.app.inject({ method: 'GET', url: '/api/test/setting' })).json().error.message).toContain('ran 2 SQL queries; its budget is 1')
    settingBudget = 2
    expect((await q.app.inject({ method: 'GET', url: '/api/test/setting' })).statusCode).toBe(200)

    // Cached routes: the fill that runs the queries is the request that fails.
    const cached = await q.app.inject({ method: 'GET', url: '/api/test/cached-n-plus-one?n=4', headers: { 'accept-encoding': 'br' } })
    expect(cached.statusCode).toBe(500)
    expect(cached.headers['content-encoding']).toBeUndefined()
    expect(cached.headers['cache-status']).toBeUndefined()
    expect(cached.json().error.message).toContain('GET /api/test/cached-n-plus-one ran 5 SQL queries; its budget is 2')
    expect((await q.app.inject({ method: 'GET', url: '/api/test/cached-n-plus-one?n=1' })).statusCode).toBe(200)
    expect(await q.runtime.ops.metrics.text()).toMatch(/quad_db_query_budget_exceeded_total\{route="GET \/api\/test\/n-plus-one"\} 1/)
  })

  it('only warns in development and only counts in production', async () => {
    const dev = await start('development')
    const res = await dev.app.inject({ method: 'GET', url: '/api/test/n-plus-one?n=5' })
    expect(res.statusCode).toBe(200)
    const warning = dev.logs.find((l) => l.level === 40 && l.budget === 3)
    expect(warning).toMatchObject({ route: 'GET /api/test/n-plus-one', queries: 6, budget: 3 })
    expect(warning!.msg).toMatch(/N\+1/)

    const prod = await start('production')
    expect((await prod.app.inject({ method: 'GET', url: '/api/test/n-plus-one?n=5' })).statusCode).toBe(200)
    expect(prod.logs.some((l) => l.budget === 3)).toBe(false)
    expect(await prod.runtime.ops.metrics.text()).toMatch(/quad_db_query_budget_exceeded_total\{route="GET \/api\/test\/n-plus-one"\} 1/)
  })

  it('keeps the directory, auth and ops routes within their declared budgets', async () => {
    const q = await start('test')
    const fairs = await getJson(q.app, '/api/fairs')
    const cases: [string, number][] = [
      ['/api/tags', TAXONOMY_BUDGETS.tags],
      ['/api/badges', TAXONOMY_BUDGETS.badges],
      ['/api/events?limit=20', EVENT_BUDGETS.list],
      ['/api/fairs?x=1', FAIR_BUDGETS.list],
      [`/api/fairs/${fairs.body.fairs[0].id}`, FAIR_BUDGETS.detail],
      ['/api/fairs/999999', FAIR_BUDGETS.detail],
    ]
    expect(queryCount(fairs.res)).toBeLessThanOrEqual(FAIR_BUDGETS.list)
    for (const [url, budget] of cases) {
      const { res } = await getJson(q.app, url)
      expect(res.statusCode, url).toBeLessThan(500)
      expect(queryCount(res), url).toBeLessThanOrEqual(budget)
    }

    const c = new Client(q.app)
    const me = await c.get('/api/me')
    expect(queryCount(me)).toBeLessThanOrEqual(AUTH_BUDGETS.me)
    const login = await c.post('/api/auth/login', { email: 'admin@quad.local', password: DEMO_PASSWORD })
    expect(login.statusCode).toBe(200)
    expect(queryCount(login)).toBeLessThanOrEqual(AUTH_BUDGETS.login)
    // Signing in again over an existing session adds the CSRF check's session lookup.
    const again = await c.post('/api/auth/login', { email: 'admin@quad.local', password: DEMO_PASSWORD })
    expect(again.statusCode).toBe(200)
    expect(queryCount(again)).toBeLessThanOrEqual(AUTH_BUDGETS.login)
    expect(queryCount(await c.get('/api/me'))).toBeLessThanOrEqual(AUTH_BUDGETS.me)
    const ops = await c.get('/api/admin/ops')
    expect(ops.statusCode).toBe(200)
    expect(queryCount(ops)).toBeLessThanOrEqual(OPS_BUDGETS.summary)
    const logout = await c.post('/api/auth/logout')
    expect(logout.statusCode).toBe(200)
    expect(queryCount(logout)).toBeLessThanOrEqual(AUTH_BUDGETS.logout)

    const s = new Client(q.app)
    const signup = await s.signup('budget.check@example.org')
    expect(signup).toBeTruthy() // signup() throws unless 201, which the guard would have turned into 500
  })
})
