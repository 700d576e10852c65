import rateLimit from '@fastify/rate-limit'
import type { Static } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import { fail } from '../../errors.js'
import { ErrorResponse } from '../../http/schemas.js'
import { DevLoginBody, LoginBody, Me, SignupBody } from './auth.schema.js'
import { registerAuth } from './guard.js'
import { hashPassword, verifyPassword } from './password.js'
import { CSRF_COOKIE, endSession, ensureCsrfCookie, startSession } from './session.js'

// Compared against when the email is unknown, so both paths cost one scrypt.
const DUMMY_HASH = await hashPassword('not-a-real-password-at-all')
const OK = { type: 'object', properties: { ok: { type: 'boolean' } } } as const
/** Query budgets (asserted in tests); unsafe methods include the CSRF check's session lookup. */
export const AUTH_BUDGETS = { me: 1, signup: 3, login: 3, logout: 2, devLogin: 3 } as const
const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 409: ErrorResponse, 429: ErrorResponse }

export async function authRoutes(app: FastifyInstance) {
  registerAuth(app)
  const { runtime } = app
  await app.register(rateLimit, {
    global: false,
    ...(runtime.cache.redis ? { redis: runtime.cache.redis, nameSpace: 'quad:rl:', skipOnError: true } : {}),
    errorResponseBuilder: (_req, ctx) =>
      fail('RATE_LIMITED', `Too many attempts; retry in ${Math.ceil(ctx.ttl / 1000)} s`, undefined, {
        'retry-after': String(Math.ceil(ctx.ttl / 1000)),
      }) as unknown as object,
  })
  // Per address and account: guessing one password, or spraying one address, is slowed down.
  const limited = {
    rateLimit: {
      max: 10,
      timeWindow: 60_000,
      hook: 'preHandler' as const,
      keyGenerator: (req: { ip: string; body?: unknown }) => `${req.ip}:${String((req.body as { email?: string })?.email ?? '').toLowerCase()}`,
    },
  }

  app.get('/api/me', { config: { queryBudget: AUTH_BUDGETS.me }, schema: { summary: 'The signed-in user (or null) and the CSRF token', tags: ['auth'], response: { 200: Me } } }, async (req, reply) => {
    ensureCsrfCookie(req, reply)
    reply.header('cache-control', 'private, no-store')
    const u = await req.viewer()
    return {
      user: u ? { id: u.id, email: u.email, name: u.name, is_admin: u.isAdmin, is_approver: u.isApprover } : null,
      csrf_token: u?.csrfToken ?? req.cookies[CSRF_COOKIE] ?? null,
      dev_login: runtime.config.db.kind === 'pglite',
      sso_login: runtime.config.oidc !== null,
    }
  })

  app.post<{ Body: Static<typeof SignupBody> }>(
    '/api/auth/signup',
    { config: { ...limited, queryBudget: AUTH_BUDGETS.signup }, schema: { summary: 'Create an account and sign in', tags: ['auth'], body: SignupBody, response: { 201: OK, ...errors } } },
    async (req, reply) => {
      const email = req.body.email.trim().toLowerCase()
      const hash = await hashPassword(req.body.password)
      const user = await runtime.db
        .insertInto('users')
        .values({ email, name: req.body.name.trim(), password_hash: hash })
        .onConflict((oc) => oc.column('email').doNothing())
        .returning('id')
        .executeTakeFirst()
      if (!user) throw fail('EMAIL_TAKEN', 'An account with this email exists; sign in instead')
      await startSession(runtime.db, req, reply, user.id)
      return reply.code(201).send({ ok: true })
    },
  )

  app.post<{ Body: Static<typeof LoginBody> }>(
    '/api/auth/login',
    { config: { ...limited, queryBudget: AUTH_BUDGETS.login }, schema: { summary: 'Sign in with email and password', tags: ['auth'], body: LoginBody, response: { 200: OK, ...errors } } },
    async (req, reply) => {
      const email = req.body.email.trim().toLowerCase()
      const user = await runtime.db.selectFrom('users').where('email', '=', email).select(['id', 'password_hash']).executeTakeFirst()
      const ok = await verifyPassword(req.body.password, user?.password_hash ?? DUMMY_HASH)
      if (!user || !ok) throw fail('BAD_CREDENTIALS', 'Wrong email or password')
      await startSession(runtime.db, req, reply, user.id)
      return { ok: true }
    },
  )

  app.post('/api/auth/logout', { config: { queryBudget: AUTH_BUDGETS.logout }, schema: { summary: 'Sign out (revokes the session)', tags: ['auth'], response: { 200: OK, ...errors } } }, async (req, reply) => {
    await endSession(runtime.db, req, reply)
    return { ok: true }
  })

  // Demo mode only: sign in as any seeded account without a password (documented in README).
  if (runtime.config.db.kind === 'pglite') {
    app.post<{ Body: Static<typeof DevLoginBody> }>(
      '/api/auth/dev-login',
      { config: { queryBudget: AUTH_BUDGETS.devLogin }, schema: { summary: 'Embedded demo mode only: sign in as any account', tags: ['auth'], body: DevLoginBody, response: { 200: OK, ...errors } } },
      async (req, reply) => {
        const user = await runtime.db.selectFrom('users').where('email', '=', req.body.email.toLowerCase()).select('id').executeTakeFirst()
        if (!user) throw fail('NOT_FOUND', 'No such account')
        await startSession(runtime.db, req, reply, user.id)
        return { ok: true }
      },
    )
  }
}
