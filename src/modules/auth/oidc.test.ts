import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestEnv, type QuadInstance, type TestEnv } from '../../../test/helpers/quad.js'
import { TestOidcProvider } from '../../../test/helpers/oidc-provider.js'
import { Client } from '../../../test/helpers/session.js'
import { ConfigError, loadConfig } from '../../config.js'
import { DEMO_PASSWORD } from '../../seed/generate.js'

const REDIRECT = 'http://quad.test/api/auth/oidc/callback'

describe('OpenID Connect sign-in against a local provider', () => {
  let env: TestEnv
  let q: QuadInstance
  let idp: TestOidcProvider

  beforeAll(async () => {
    idp = await new TestOidcProvider('quad-web', 'quad-client-secret').start()
    env = await createTestEnv('postgres', { seed: 'demo' })
    q = await env.start({
      env: { QUAD_OIDC_ISSUER: idp.issuer, QUAD_OIDC_CLIENT_ID: 'quad-web', QUAD_OIDC_CLIENT_SECRET: 'quad-client-secret', QUAD_OIDC_REDIRECT_URL: REDIRECT },
    })
  })
  afterAll(async () => {
    await env?.close()
    await idp?.stop()
  })

  /** Browser: start at Quad, follow the provider's redirect, come back to the callback. */
  async function signIn(c: Client, returnTo?: string) {
    const start = await c.get(`/api/auth/oidc/start${returnTo ? `?return_to=${encodeURIComponent(returnTo)}` : ''}`)
    expect(start.statusCode).toBe(302)
    const authorize = new URL(String(start.headers.location))
    expect(authorize.origin).toBe(idp.issuer)
    const atIdp = await fetch(authorize, { redirect: 'manual' })
    expect(atIdp.status).toBe(302)
    const back = new URL(atIdp.headers.get('location')!)
    expect(back.origin + back.pathname).toBe(REDIRECT)
    return { authorize, callback: await c.get(`/api/auth/oidc/callback${back.search}`), back }
  }

  it('runs the code flow with state, nonce and PKCE and creates the account on first sign-in', async () => {
    idp.nextUser = { sub: 'uni|alice', email: 'Alice@Uni.example', email_verified: true, name: 'Alice Liddell' }
    const c = new Client(q.app)
    await c.get('/api/me')
    const { authorize, callback } = await signIn(c, '/clubs/chess')
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256')
    expect(authorize.searchParams.get('state')?.length).toBeGreaterThan(20)
    expect(authorize.searchParams.get('nonce')?.length).toBeGreaterThan(20)
    expect(authorize.searchParams.get('scope')).toBe('openid email profile')
    expect(callback.statusCode, callback.body).toBe(302)
    expect(callback.headers.location).toBe('/clubs/chess')
    expect(idp.tokenErrors).toEqual([])
    const me = (await c.get('/api/me')).json()
    expect(me.user).toMatchObject({ email: 'alice@uni.example', name: 'Alice Liddell' })
    const row = await q.runtime.db.selectFrom('users').where('oidc_subject', '=', 'uni|alice').selectAll().execute()
    expect(row).toHaveLength(1)
    expect(row[0]!.password_hash).toBeNull()

    // Second sign-in: same account, found by subject (even if the provider's email changed).
    idp.nextUser = { sub: 'uni|alice', email: 'alice.l@uni.example', email_verified: true, name: 'Alice L' }
    const c2 = new Client(q.app)
    await c2.get('/api/me')
    expect((await signIn(c2)).callback.headers.location).toBe('/')
    expect((await c2.get('/api/me')).json().user.id).toBe(me.user.id)
    const n = await q.runtime.db.selectFrom('users').where('email', 'like', 'alice%').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    expect(Number(n.n)).toBe(1)
  })

  it('links an existing password account by its verified email, and refuses an unverified one', async () => {
    idp.nextUser = { sub: 'uni|sam', email: 'student@quad.local', email_verified: false, name: 'Sam' }
    const c = new Client(q.app)
    await c.get('/api/me')
    const refused = (await signIn(c)).callback
    expect(refused.statusCode).toBe(409)
    expect(refused.json().error.code).toBe('EMAIL_TAKEN')
    expect((await c.get('/api/me')).json().user).toBeNull()

    idp.nextUser = { sub: 'uni|sam', email: 'student@quad.local', email_verified: true, name: 'Sam' }
    const c2 = new Client(q.app)
    await c2.get('/api/me')
    expect((await signIn(c2)).callback.statusCode).toBe(302)
    expect((await c2.get('/api/me')).json().user.email).toBe('student@quad.local')
    const u = await q.runtime.db.selectFrom('users').where('email', '=', 'student@quad.local').select(['oidc_subject', 'password_hash']).executeTakeFirstOrThrow()
    expect(u.oidc_subject).toBe('uni|sam')
    // The password still works too.
    await new Client(q.app).login('student@quad.local', DEMO_PASSWORD)
  })

  it('rejects a forged state, a replayed code, a missing start and an open redirect', async () => {
    idp.nextUser = { sub: 'uni|bob', email: 'bob@uni.example', email_verified: true, name: 'Bob' }
    const c = new Client(q.app)
    await c.get('/api/me')
    const start = await c.get('/api/auth/oidc/start?return_to=//evil.example/x')
    const atIdp = await fetch(String(start.headers.location), { redirect: 'manual' })
    const back = new URL(atIdp.headers.get('location')!)
    const forged = new URLSearchParams(back.search)
    forged.set('state', 'forged-state')
    const bad = await c.get(`/api/auth/oidc/callback?${forged}`)
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.code).toBe('OIDC_FAILED')
    // The attempt is spent: the genuine callback afterwards has no pending sign-in.
    const late = await c.get(`/api/auth/oidc/callback${back.search}`)
    expect(late.statusCode).toBe(400)
    expect(await q.runtime.db.selectFrom('users').where('email', '=', 'bob@uni.example').select('id').executeTakeFirst()).toBeUndefined()

    // A fresh attempt works and the hostile return_to became "/".
    const ok = await signIn(c, '//evil.example/x')
    expect(ok.callback.statusCode).toBe(302)
    expect(ok.callback.headers.location).toBe('/')
    // Replaying the same code with a new pending state fails at the provider.
    await c.get('/api/auth/oidc/start')
    const replay = await c.get(`/api/auth/oidc/callback${ok.back.search}`)
    expect(replay.statusCode).toBe(400)

    const none = await new Client(q.app).get(`/api/auth/oidc/callback${ok.back.search}`)
    expect(none.statusCode).toBe(400)
    expect(none.json().error.code).toBe('OIDC_FAILED')
  })

  it('answers 404 when single sign-on is not configured', async () => {
    const plain = await env.start()
    const res = await plain.app.inject({ method: 'GET', url: '/api/auth/oidc/start' })
    expect(res.statusCode).toBe(404)
    expect((await plain.app.inject({ method: 'GET', url: '/api/me' })).json().sso_login).toBe(false)
    expect((await q.app.inject({ method: 'GET', url: '/api/me' })).json().sso_login).toBe(true)
    await plain.close()
  })

  it('reads the provider settings from the environment and refuses half a configuration', () => {
    const base = { QUAD_OIDC_ISSUER: 'https://login.uni.example', QUAD_OIDC_CLIENT_ID: 'quad', QUAD_OIDC_REDIRECT_URL: 'https://quad.uni.example/api/auth/oidc/callback' }
    expect(loadConfig({ NODE_ENV: 'test', ...base }).oidc).toEqual({ issuer: 'https://login.uni.example', clientId: 'quad', clientSecret: undefined, redirectUrl: base.QUAD_OIDC_REDIRECT_URL })
    expect(loadConfig({ NODE_ENV: 'test' }).oidc).toBeNull()
    expect(() => loadConfig({ NODE_ENV: 'test', QUAD_OIDC_ISSUER: base.QUAD_OIDC_ISSUER })).toThrow(ConfigError)
    expect(() => loadConfig({ NODE_ENV: 'test', ...base, QUAD_OIDC_ISSUER: 'login.uni.example' })).toThrow(/QUAD_OIDC_ISSUER/)
    expect(loadConfig({ NODE_ENV: 'test', QUAD_PUBLIC_URL: 'https://quad.uni.example/' }).publicUrl).toBe('https://quad.uni.example')
  })
})
