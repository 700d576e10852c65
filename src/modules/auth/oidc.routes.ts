import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import { privateRoute } from '../../http/private-route.js'
import { OidcStartQuery } from './auth.schema.js'
import { type CookieSigner, finishSignIn, OidcClient, startSignIn } from './oidc.js'

/**
 * Query budgets: the session lookup when a session cookie is sent (privateRoute loads the viewer
 * of 'anyone' routes too, hence one more than the start's nothing and the callback's eight); the
 * callback links the identity in one transaction (begin, by subject, by email, create, re-read
 * after a lost race, own-outbox read, commit) and starts the session.
 */
export const OIDC_BUDGETS = { start: 1, callback: 9 } as const

export async function oidcRoutes(app: FastifyInstance) {
  const { db, write } = app.privateDeps
  const config = app.runtime.config.oidc
  const oidc = config ? new OidcClient(config) : null
  const signer: CookieSigner = { sign: (v) => app.signCookie(v), unsign: (v) => app.unsignCookie(v) }
  const tags = ['auth']

  privateRoute(app, {
    method: 'GET',
    url: '/api/auth/oidc/start',
    summary: 'Sign in with the university identity provider (redirects to it)',
    tags,
    access: 'anyone',
    querystring: OidcStartQuery,
    response: Type.Null(),
    redirects: true,
    queryBudget: OIDC_BUDGETS.start,
    errors: ['NOT_FOUND', 'OIDC_UNAVAILABLE'],
    async handler({ query, reply }) {
      return reply.redirect(await startSignIn(oidc, signer, reply, query.return_to))
    },
  })

  privateRoute(app, {
    method: 'GET',
    url: '/api/auth/oidc/callback',
    summary: 'Where the identity provider sends the browser back (redirects into the app)',
    tags,
    access: 'anyone',
    response: Type.Null(),
    redirects: true,
    queryBudget: OIDC_BUDGETS.callback,
    errors: ['NOT_FOUND', 'OIDC_FAILED', 'OIDC_NO_EMAIL', 'OIDC_UNAVAILABLE', 'EMAIL_TAKEN'],
    // The provider's signed answer and the pending state authenticate this request.
    csrf: false,
    async handler({ query, headers, cookies, reply }) {
      const deps = { oidc, signer, db, write }
      return reply.redirect(await finishSignIn(deps, query as Record<string, unknown>, { cookies, userAgent: headers['user-agent'] }, reply))
    },
  })
}
