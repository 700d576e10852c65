import rateLimit from '@fastify/rate-limit'
import type { FastifyInstance } from 'fastify'
import { fail } from '../../errors.js'
import { Ok } from '../../http/params.js'
import { privateRoute } from '../../http/private-route.js'
import { DevLoginBody, LoginBody, Me, SignupBody } from './auth.schema.js'
import { devLogin, login, signup, whoAmI } from './auth.service.js'
import { registerAuth } from './guard.js'
import { endSession } from './session.js'
import { SignInThrottle } from './sign-in-throttle.js'

/**
 * Query budgets (asserted in tests): the session lookup when a session cookie is sent and this
 * instance does not know the session yet (it is kept in memory after); then signing up or in is
 * one read or insert of the user plus the session's insert; signing out is one update as its own
 * transaction and the read of its outbox rows, so every instance forgets it before the answer.
 */
export const AUTH_BUDGETS = { me: 1, signup: 3, login: 3, logout: 3, devLogin: 3 } as const

export async function authRoutes(app: FastifyInstance) {
  registerAuth(app)
  const { runtime } = app
  const { db } = app.privateDeps
  const tags = ['auth']
  await app.register(rateLimit, {
    global: false,
    ...(runtime.cache.redis ? { redis: runtime.cache.redis, nameSpace: 'quad:rl:', skipOnError: true } : {}),
    errorResponseBuilder: (_req, ctx) =>
      fail('RATE_LIMITED', `Too many attempts; retry in ${Math.ceil(ctx.ttl / 1000)} s`, undefined, {
        'retry-after': String(Math.ceil(ctx.ttl / 1000)),
      }) as unknown as object,
  })
  // Per address and account: guessing one account's password from one address is cut off.
  const limited = {
    rateLimit: {
      max: 10,
      timeWindow: 60_000,
      hook: 'preHandler' as const,
      keyGenerator: (req: { ip: string; body?: unknown }) => `${req.ip}:${String((req.body as { email?: string })?.email ?? '').toLowerCase()}`,
    },
  }
  // Per address, failures only: spraying many accounts from one address is slowed down.
  const throttle = new SignInThrottle(runtime.cache.redis ?? null, runtime.cache.prefix ?? runtime.config.redisPrefix)
  const signIn = { devLogin: runtime.config.db.kind === 'pglite', ssoLogin: runtime.config.oidc !== null }

  privateRoute(app, {
    method: 'GET',
    url: '/api/me',
    summary: 'The signed-in user (or null) and the CSRF token',
    tags,
    access: 'anyone',
    response: Me,
    queryBudget: AUTH_BUDGETS.me,
    errors: [],
    async handler({ viewer, headers, cookies, reply }) {
      return whoAmI(viewer, { cookies, userAgent: headers['user-agent'] }, reply, signIn)
    },
  })

  privateRoute(app, {
    method: 'POST',
    url: '/api/auth/signup',
    summary: 'Create an account and sign in',
    tags,
    access: 'anyone',
    body: SignupBody,
    response: Ok,
    status: 201,
    queryBudget: AUTH_BUDGETS.signup,
    errors: ['EMAIL_TAKEN', 'RATE_LIMITED'],
    config: limited,
    async handler({ body, headers, cookies, reply }) {
      await signup(db, { cookies, userAgent: headers['user-agent'] }, reply, body)
      return { ok: true }
    },
  })

  privateRoute(app, {
    method: 'POST',
    url: '/api/auth/login',
    summary: 'Sign in with email and password',
    tags,
    access: 'anyone',
    body: LoginBody,
    response: Ok,
    queryBudget: AUTH_BUDGETS.login,
    errors: ['BAD_CREDENTIALS', 'RATE_LIMITED'],
    config: limited,
    async handler({ body, headers, cookies, reply, ip }) {
      await login({ db, throttle }, { cookies, userAgent: headers['user-agent'], address: ip }, reply, body)
      return { ok: true }
    },
  })

  privateRoute(app, {
    method: 'POST',
    url: '/api/auth/logout',
    summary: 'Sign out (revokes the session)',
    tags,
    access: 'anyone',
    response: Ok,
    queryBudget: AUTH_BUDGETS.logout,
    errors: [],
    async handler({ viewer, reply, writeOne, now }) {
      await endSession(writeOne, reply, viewer, now)
      return { ok: true }
    },
  })

  // Demo mode only: sign in as any seeded account without a password (documented in README).
  if (signIn.devLogin) {
    privateRoute(app, {
      method: 'POST',
      url: '/api/auth/dev-login',
      summary: 'Embedded demo mode only: sign in as any account',
      tags,
      access: 'anyone',
      body: DevLoginBody,
      response: Ok,
      queryBudget: AUTH_BUDGETS.devLogin,
      errors: ['NOT_FOUND'],
      async handler({ body, headers, cookies, reply }) {
        await devLogin(db, { cookies, userAgent: headers['user-agent'] }, reply, body)
        return { ok: true }
      },
    })
  }
}
