import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import { fail, notFound } from '../../errors.js'
import { ErrorResponse } from '../../http/schemas.js'
import { linkIdentity, OidcClient, type PendingLogin } from './oidc.js'
import { startSession } from './session.js'

/**
 * Query budgets: the start reads nothing; the callback links the identity in one transaction
 * (begin, by subject, by email, create, re-read after a lost race, own-outbox read, commit) and
 * starts the session.
 */
export const OIDC_BUDGETS = { start: 0, callback: 8 } as const

const PENDING_COOKIE = 'quad_oidc'
const COOKIE_PATH = '/api/auth/oidc'

/** Only same-site paths: an open redirect after sign-in would help phishing. */
const safeReturn = (to: string | undefined) => (to && /^\/(?![/\\])/.test(to) ? to : '/')

export async function oidcRoutes(app: FastifyInstance) {
  const { runtime } = app
  const oidc = runtime.config.oidc ? new OidcClient(runtime.config.oidc) : null
  const redirectReply = { 302: Type.Null(), 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 503: ErrorResponse }

  app.get<{ Querystring: { return_to?: string } }>(
    '/api/auth/oidc/start',
    {
      config: { queryBudget: OIDC_BUDGETS.start },
      schema: {
        summary: 'Sign in with the university identity provider (redirects to it)',
        tags: ['auth'],
        querystring: Type.Object({ return_to: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false }),
        response: redirectReply,
      },
    },
    async (req, reply) => {
      if (!oidc) throw notFound('Single sign-on')
      const { url, pending } = await oidc.start(safeReturn(req.query.return_to))
      reply.header('cache-control', 'private, no-store')
      reply.setCookie(PENDING_COOKIE, JSON.stringify(pending), {
        path: COOKIE_PATH,
        httpOnly: true,
        // Lax: the provider's redirect back is a top-level GET navigation, which carries it.
        sameSite: 'lax',
        secure: req.protocol === 'https',
        signed: true,
        maxAge: 600,
      })
      return reply.redirect(url, 302)
    },
  )

  app.get(
    '/api/auth/oidc/callback',
    { config: { queryBudget: OIDC_BUDGETS.callback }, schema: { summary: 'Where the identity provider sends the browser back', tags: ['auth'], response: redirectReply } },
    async (req, reply) => {
      if (!oidc) throw notFound('Single sign-on')
      reply.header('cache-control', 'private, no-store')
      const raw = req.cookies[PENDING_COOKIE]
      const unsigned = raw ? req.unsignCookie(raw) : null
      if (!unsigned?.valid || !unsigned.value) throw fail('OIDC_FAILED', 'No sign-in in progress (start again)')
      const pending = JSON.parse(unsigned.value) as PendingLogin
      // One attempt per start: the pending state is dropped whatever happens next.
      reply.clearCookie(PENDING_COOKIE, { path: COOKIE_PATH })
      const query = req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : ''
      const identity = await oidc.finish(query, pending)
      const userId = await runtime.write((trx) => linkIdentity(trx, identity))
      await startSession(runtime.db, req, reply, userId)
      return reply.redirect(safeReturn(pending.returnTo), 302)
    },
  )
}
