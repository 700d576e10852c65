import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD } from '../../seed/generate.js'
import { createTestEnv, type QuadInstance, type TestEnv } from '../../../test/helpers/quad.js'
import { Client } from '../../../test/helpers/session.js'

describe('accounts and sessions', () => {
  let env: TestEnv
  let q: QuadInstance

  beforeAll(async () => {
    env = await createTestEnv('postgres', { seed: 'demo' })
    q = await env.start()
  })
  afterAll(async () => env?.close())

  it('signs up, reads the session, logs out and revokes it', async () => {
    const c = new Client(q.app)
    await c.signup('New.Person@Example.org', 'a long enough password', 'New Person')
    const me = (await c.get('/api/me')).json()
    expect(me.user).toMatchObject({ email: 'new.person@example.org', name: 'New Person', is_admin: false })
    const cookie = (await c.get('/api/me')).headers['cache-control']
    expect(cookie).toBe('private, no-store')
    const token = c.cookies.get('quad_session')!
    expect((await c.post('/api/auth/logout')).statusCode).toBe(200)
    const replay = new Client(q.app)
    replay.cookies.set('quad_session', token)
    expect((await replay.get('/api/me')).json().user).toBeNull()
  })

  it('logs in with the right password only', async () => {
    const c = new Client(q.app)
    await c.get('/api/me')
    const bad = await c.post('/api/auth/login', { email: 'student@quad.local', password: 'wrong password!' })
    expect(bad.statusCode).toBe(401)
    expect(bad.json().error.code).toBe('BAD_CREDENTIALS')
    await c.login('student@quad.local', DEMO_PASSWORD)
    expect((await c.get('/api/me')).json().user.email).toBe('student@quad.local')
  })

  it('refuses state-changing requests without the CSRF header', async () => {
    const c = new Client(q.app)
    await c.login('student@quad.local', DEMO_PASSWORD)
    const res = await c.post('/api/auth/logout', undefined, { 'x-csrf-token': 'forged' })
    expect(res.statusCode).toBe(403)
    expect(res.json().error.code).toBe('CSRF_FAILED')
    const noCookie = await q.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'student@quad.local', password: DEMO_PASSWORD } })
    expect(noCookie.statusCode).toBe(403)
  })

  it('rejects bad signups with field errors and creates one account for a double click', async () => {
    const c = new Client(q.app)
    await c.get('/api/me')
    const bad = await c.post('/api/auth/signup', { email: 'not-an-email', password: 'short', name: '' })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.code).toBe('VALIDATION_FAILED')
    const body = { email: 'twice@example.org', password: 'a long enough password', name: 'Twice' }
    const [a, b] = await Promise.all([c.post('/api/auth/signup', body), c.post('/api/auth/signup', body)])
    expect([a.statusCode, b.statusCode].sort()).toEqual([201, 409])
    const n = await q.runtime.db.selectFrom('users').where('email', '=', 'twice@example.org').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    expect(Number(n.n)).toBe(1)
  })

  it('rate-limits login attempts', async () => {
    const c = new Client(q.app)
    await c.get('/api/me')
    const codes: number[] = []
    for (let i = 0; i < 12; i++) codes.push((await c.post('/api/auth/login', { email: 'nobody@example.org', password: 'whatever-whatever' })).statusCode)
    expect(codes.slice(0, 10).every((s) => s === 401)).toBe(true)
    expect(codes.at(-1)).toBe(429)
  })

  it('offers the password-less demo login only in embedded mode', async () => {
    const c = new Client(q.app)
    await c.get('/api/me')
    expect((await c.post('/api/auth/dev-login', { email: 'admin@quad.local' })).statusCode).toBe(404)
  })
})
