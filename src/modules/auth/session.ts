import { createHash, randomBytes } from 'node:crypto'
import type { QuadDb } from '../../db/database.js'
import type { ReplyControls } from '../../http/private-route.js'
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

/** Creates a server-side session; the cookie holds only a random token (its hash is the key). */
export async function startSession(db: QuadDb, reply: CookieControls, req: SessionRequest, userId: number): Promise<void> {
  const token = newToken()
  // The CSRF token the browser already holds stays valid: open forms keep working after sign-in.
  const csrf = req.cookies[CSRF_COOKIE] || newToken()
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

/** Revokes the viewer's session (if any) and drops the cookie. */
export async function endSession(db: QuadDb, reply: CookieControls, viewer: SessionUser | null): Promise<void> {
  if (viewer) await repo.revokeSession(db, viewer.sessionId, new Date())
  reply.clearCookie(SESSION_COOKIE)
}

/** Revokes every session of a user (password change, admin action). */
export async function revokeAllSessions(db: QuadDb, userId: number): Promise<void> {
  await repo.revokeUserSessions(db, userId, new Date())
}

export async function lookupSession(db: QuadDb, token: string): Promise<SessionUser | null> {
  const row = await repo.liveSession(db, hash(token), new Date())
  if (!row) return null
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    isAdmin: row.is_admin,
    isApprover: row.is_approver,
    sessionId: row.session_id,
    csrfToken: row.csrf_token,
  }
}

/** Anonymous visitors get a CSRF cookie too: signing in and up are state-changing requests. */
export function ensureCsrfCookie(reply: CookieControls, req: SessionRequest): void {
  if (!req.cookies[CSRF_COOKIE]) reply.setCookie(CSRF_COOKIE, newToken(), { httpOnly: false, maxAge: COOKIE_MAX_AGE })
}
