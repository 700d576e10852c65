import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ThrowawayRedis } from '../../../bench/services.js'
import { queryCount } from '../../../test/helpers/http.js'
import { type QuadInstance, type TestEnv, twoInstancesWithOwnRedis } from '../../../test/helpers/quad.js'
import { Client } from '../../../test/helpers/session.js'
import { DEMO_PASSWORD } from '../../seed/generate.js'

/** A request on `q` carrying the given cookies (a stolen or stale session token, say). */
const asCookies = (q: QuadInstance, cookies: Map<string, string>) => {
  const c = new Client(q.app)
  for (const [k, v] of cookies) c.cookies.set(k, v)
  return c
}

describe('sessions kept in memory, on two instances', () => {
  let redis: ThrowawayRedis
  let env: TestEnv
  let a: QuadInstance
  let b: QuadInstance

  beforeAll(async () => {
    ;({ redis, env, a, b } = await twoInstancesWithOwnRedis())
  })
  afterAll(async () => {
    await env?.close()
    await redis?.destroy()
  })

  it('costs no session query once a session is known', async () => {
    const c = await new Client(a.app).login('student@quad.local', DEMO_PASSWORD)
    // The new session's row versions are announced by the invalidators; wait for them.
    await Promise.all([a, b].map((q) => q.runtime.cache.invalidator.catchUp()))
    const first = await asCookies(b, c.cookies).get('/api/me/profile')
    expect(first.statusCode).toBe(200)
    const again = await asCookies(b, c.cookies).get('/api/me/profile')
    expect(again.statusCode).toBe(200)
    expect(queryCount(again)).toBe(queryCount(first) - 1)
  })

  it('signs out on every instance before the sign-out returns', async () => {
    const c = await new Client(a.app).login('officer@quad.local', DEMO_PASSWORD)
    const token = new Map(c.cookies)
    expect((await asCookies(b, token).get('/api/me/profile')).statusCode).toBe(200) // known to b
    expect((await c.post('/api/auth/logout')).statusCode).toBe(200)
    expect((await asCookies(b, token).get('/api/me/profile')).statusCode).toBe(401)
    expect((await asCookies(a, token).get('/api/me/profile')).statusCode).toBe(401)
  })

  it('takes a role away at once: the user row is part of what a session depends on', async () => {
    const c = await new Client(a.app).login('approver@quad.local', DEMO_PASSWORD)
    expect((await asCookies(b, c.cookies).get('/api/admin/approvals')).statusCode).toBe(200)
    await a.runtime.write((trx) => trx.updateTable('users').set({ is_approver: false }).where('email', '=', 'approver@quad.local').execute())
    expect((await asCookies(b, c.cookies).get('/api/admin/approvals')).statusCode).toBe(403)
    await a.runtime.write((trx) => trx.updateTable('users').set({ is_approver: true }).where('email', '=', 'approver@quad.local').execute())
  })

  it('checks sessions against the database while Redis is away, so a revocation still counts', async () => {
    const c = await new Client(a.app).login('admin@quad.local', DEMO_PASSWORD)
    const token = new Map(c.cookies)
    expect((await asCookies(b, token).get('/api/me/profile')).statusCode).toBe(200)
    await redis.stopServer()
    try {
      const during = await asCookies(b, token).get('/api/me/profile')
      expect(during.statusCode).toBe(200)
      expect(queryCount(during)).toBeGreaterThan(1) // the session was read from the database
      expect((await c.post('/api/auth/logout')).statusCode).toBe(200) // committed; not announced
      expect((await asCookies(b, token).get('/api/me/profile')).statusCode).toBe(401)
    } finally {
      await redis.startServer()
    }
  })
})
