import type { LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeUser, PEOPLE_PASSWORD } from '../../../test/helpers/people.js'
import { createTestEnv, type QuadInstance, type TestEnv } from '../../../test/helpers/quad.js'
import { Client } from '../../../test/helpers/session.js'

const PLANTED = 'planted-by-someone-else-0123456789'

type SetCookie = { name: string; value: string; secure?: boolean }
const cookiesOf = (res: LightMyRequestResponse) => res.cookies as SetCookie[]
const secureFlags = (res: LightMyRequestResponse) => Object.fromEntries(cookiesOf(res).map((c) => [c.name, c.secure === true]))

describe('session and CSRF cookies', () => {
  let env: TestEnv
  let plain: QuadInstance

  beforeAll(async () => {
    env = await createTestEnv('postgres')
    plain = await env.start()
    await makeUser(plain.runtime, 'cookie@example.org')
  })
  afterAll(async () => env?.close())

  /** A browser holding a CSRF cookie it did not get from Quad. */
  function planted(q: QuadInstance): Client {
    const c = new Client(q.app)
    c.cookies.set('quad_csrf', PLANTED)
    return c
  }

  it('replaces a planted CSRF token when signing in, and the planted one is refused afterwards', async () => {
    const c = planted(plain)
    const res = await c.post('/api/auth/login', { email: 'cookie@example.org', password: PEOPLE_PASSWORD })
    expect(res.statusCode).toBe(200)
    const fresh = c.cookies.get('quad_csrf')!
    expect(fresh).toBeTruthy()
    expect(fresh).not.toBe(PLANTED)
    expect((await c.get('/api/me')).json().csrf_token).toBe(fresh)
    // The old token, even sent as cookie and header together, no longer passes.
    const stale = await plain.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { cookie: `quad_session=${c.cookies.get('quad_session')}; quad_csrf=${PLANTED}`, 'x-csrf-token': PLANTED },
    })
    expect(stale.statusCode).toBe(403)
    expect(stale.json().error.code).toBe('CSRF_FAILED')
    expect((await c.get('/api/me')).json().user).toMatchObject({ email: 'cookie@example.org' })
  })

  it('replaces a planted CSRF token when signing up', async () => {
    const c = planted(plain)
    const res = await c.post('/api/auth/signup', { email: 'new.cookie@example.org', password: 'a long enough password', name: 'New' })
    expect(res.statusCode).toBe(201)
    expect(c.cookies.get('quad_csrf')).not.toBe(PLANTED)
    expect((await c.get('/api/me')).json()).toMatchObject({ user: { email: 'new.cookie@example.org' }, csrf_token: c.cookies.get('quad_csrf') })
  })

  it('gives a new CSRF token when signing out', async () => {
    const c = await new Client(plain.app).login('cookie@example.org', PEOPLE_PASSWORD)
    const session = c.cookies.get('quad_csrf')!
    const res = await c.post('/api/auth/logout')
    expect(res.statusCode).toBe(200)
    expect(cookiesOf(res).find((x) => x.name === 'quad_csrf')?.value).toBeTruthy()
    expect(c.cookies.get('quad_csrf')).not.toBe(session)
    expect(c.cookies.has('quad_session')).toBe(false)
    expect((await c.get('/api/me')).json()).toMatchObject({ user: null, csrf_token: c.cookies.get('quad_csrf') })
  })

  /**
   * Signs in and out on `q` with extra request headers and checks that the CSRF cookie (on every
   * step), the session cookie (in and out) and any other cookie set carry Secure exactly when expected.
   */
  async function expectSecure(q: QuadInstance, expected: boolean, headers: Record<string, string> = {}) {
    const c = new Client(q.app)
    const me = await c.get('/api/me', headers)
    const login = await c.post('/api/auth/login', { email: 'cookie@example.org', password: PEOPLE_PASSWORD }, headers)
    expect(login.statusCode).toBe(200)
    const logout = await c.post('/api/auth/logout', undefined, headers)
    expect(logout.statusCode).toBe(200)
    const steps = [me, login, logout].map(secureFlags)
    expect(Object.keys(steps[0]!)).toContain('quad_csrf')
    for (const step of steps.slice(1)) expect(Object.keys(step)).toEqual(expect.arrayContaining(['quad_session', 'quad_csrf']))
    for (const step of steps) for (const [name, secure] of Object.entries(step)) expect(secure, name).toBe(expected)
  }

  it('marks cookies Secure when the public URL is https', async () => {
    const https = await env.start({ env: { QUAD_PUBLIC_URL: 'https://quad.example.edu' } })
    await expectSecure(https, true)
    await https.close()
    await expectSecure(plain, false)
  })

  it('marks cookies Secure behind a trusted TLS proxy only', async () => {
    const proxied = await env.start({ env: { QUAD_TRUST_PROXY: '1' } })
    const tls = { 'x-forwarded-proto': 'https' }
    await expectSecure(proxied, true, tls)
    await expectSecure(proxied, false)
    await proxied.close()
    // Without QUAD_TRUST_PROXY anyone could send the header: it is ignored.
    await expectSecure(plain, false, tls)
  })
})
