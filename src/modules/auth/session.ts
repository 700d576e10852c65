import { createHash, randomBytes } from 'node:crypto'
import type { QuadDb } from '../../db/database.js'
import type { ReplyControls } from '../../http/private-route.js'
import type { CacheEngine } from '../../cache/engine.js'
import { VersionedValues } from '../../cache/versioned-values.js'
import * as repo from './auth.repository.js'

export const SESSION_COOKIE = 'quad_session'
export const CSRF_COOKIE = 'quad_csrf'
export const CSRF_HEADER = 'x-csrf-token'
const SESSION_DAYS = 30
const COOKIE_MAX_AGE = SESSION_DAYS * 86_400

export interface SessionUser {
  id: number
  email: string
  name: string
  isAdmin: boolean
  isApprover: boolean
  sessionId: string
  csrfToken: string
}

/** The cookie controls of a route's reply (path, SameSite and Secure are privateRoute's). */
export type CookieControls = Pick<ReplyControls, 'setCookie' | 'clearCookie'>

/** What a new session takes from the request. */
export interface SessionRequest {
  cookies: Readonly<Record<string, string | undefined>>
  userAgent?: string | undefined
}

const hash = (token: string) => createHash('sha256').update(token).digest('hex')
export const newToken = () => randomBytes(32).toString('base64url')

/**
 * Creates a server-side session; the cookie holds only a random token (its hash is the key).
 * The CSRF token is always new: one planted in the browser before sign-in (by a sibling subdomain
 * or a man in the middle on http) must not become the session's. The web app reads the cookie on
 * every request, so open pages pick up the new token.
 */
export async function startSession(db: QuadDb, reply: CookieControls, req: SessionRequest, userId: number): Promise<void> {
  const token = newToken()
  const csrf = newToken()
  await repo.insertSession(db, {
    id: hash(token),
    userId,
    csrfToken: csrf,
    expiresAt: new Date(Date.now() + SESSION_DAYS * 86_400_000),
    userAgent: req.userAgent?.slice(0, 300) ?? null,
  })
  reply.setCookie(SESSION_COOKIE, token, { httpOnly: true, maxAge: COOKIE_MAX_AGE })
  reply.setCookie(CSRF_COOKIE, csrf, { httpOnly: false, maxAge: COOKIE_MAX_AGE })
}

/**
 * Revokes the viewer's session (if any) and drops the cookie; every instance forgets it first.
 * The signed-out browser gets a fresh CSRF token: the session's must not outlive it.
 */
export async function endSession(writeOne: WriteOne, reply: CookieControls, viewer: SessionUser | null, now: Date): Promise<void> {
  if (viewer) await writeOne(repo.revokeSession(viewer.sessionId, now))
  reply.clearCookie(SESSION_COOKIE)
  reply.setCookie(CSRF_COOKIE, newToken(), { httpOnly: false, maxAge: COOKIE_MAX_AGE })
}

type WriteOne = <R>(build: (db: QuadDb) => { execute(): Promise<R[]> }) => Promise<R[]>

interface KeptSession extends SessionUser {
  expiresAt: number
}

/**
 * Signed-in sessions kept in this process, so a request costs no session query: each is kept
 * current by the versions of its session row and its user row (a sign-out or a role change on
 * any instance reaches every instance before that request returns).
 */
export class Sessions {
  private readonly values: VersionedValues<KeptSession>

  constructor(db: QuadDb, engine: CacheEngine) {
    this.values = new VersionedValues(
      engine,
      async (id) => {
        const row = await repo.liveSession(db, id, new Date())
        if (!row) return null
        const value: KeptSession = {
          id: row.id,
          email: row.email,
          name: row.name,
          isAdmin: row.is_admin,
          isApprover: row.is_approver,
          sessionId: row.session_id,
          csrfToken: row.csrf_token,
          expiresAt: new Date(row.expires_at).getTime(),
        }
        return { value, deps: [`r:sessions:${id}`, `r:users:${row.id}`] }
      },
      { max: 50_000, ttlMs: 15 * 60_000 },
    )
  }

  async lookup(token: string): Promise<SessionUser | null> {
    const id = hash(token)
    const s = await this.values.get(id)
    if (!s) return null
    if (s.expiresAt <= Date.now()) {
      this.values.forget(id)
      return null
    }
    return s
  }
}

/** Anonymous visitors get a CSRF cookie too: signing in and up are state-changing requests. */
export function ensureCsrfCookie(reply: CookieControls, req: SessionRequest): string {
  const held = req.cookies[CSRF_COOKIE]
  if (held) return held
  const token = newToken()
  reply.setCookie(CSRF_COOKIE, token, { httpOnly: false, maxAge: COOKIE_MAX_AGE })
  return token
}
