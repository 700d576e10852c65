import type { FastifyInstance, FastifyRequest } from 'fastify'
import { fail } from '../../errors.js'
import { CSRF_COOKIE, CSRF_HEADER, Sessions, type SessionUser, SESSION_COOKIE } from './session.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user, loaded once per request on first use. */
    viewer(): Promise<SessionUser | null>
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/**
 * Loads the session lazily (public cached routes never touch it) and enforces CSRF on every
 * state-changing request: the X-CSRF-Token header must equal the quad_csrf cookie, and for a
 * signed-in user also the token stored with the session.
 */
export function registerAuth(app: FastifyInstance): void {
  const sessions = new Sessions(app.privateDeps.db, app.cacheDeps.engine)
  app.decorateRequest('viewer', function (this: FastifyRequest) {
    const self = this as FastifyRequest & { _viewer?: Promise<SessionUser | null> }
    if (!self._viewer) {
      const token = self.cookies[SESSION_COOKIE]
      self._viewer = token ? sessions.lookup(token) : Promise.resolve(null)
    }
    return self._viewer
  })
  app.addHook('preHandler', async (req) => {
    if (!UNSAFE.has(req.method) || req.routeOptions.config?.csrf === false) return
    const header = req.headers[CSRF_HEADER]
    const cookie = req.cookies[CSRF_COOKIE]
    if (typeof header !== 'string' || !cookie || header !== cookie) {
      throw fail('CSRF_FAILED', 'Missing or wrong X-CSRF-Token header')
    }
    const user = await req.viewer()
    if (user && user.csrfToken !== header) throw fail('CSRF_FAILED', 'CSRF token does not belong to this session')
  })
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set false for endpoints that authenticate otherwise (e.g. OIDC callbacks). */
    csrf?: boolean
  }
}

