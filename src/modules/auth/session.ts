import { createHash, randomBytes } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { QuadDb } from '../../db/database.js'

export const SESSION_COOKIE = 'quad_session'
export const CSRF_COOKIE = 'quad_csrf'
export const CSRF_HEADER = 'x-csrf-token'
const SESSION_DAYS = 30

export interface SessionUser {
  id: number
  email: string
  name: string
  isAdmin: boolean
  isApprover: boolean
  sessionId: string
  csrfToken: string
}

const hash = (token: string) => createHash('sha256').update(token).digest('hex')
export const newToken = () => randomBytes(32).toString('base64url')

const cookieBase = (req: FastifyRequest) => ({ path: '/', sameSite: 'lax' as const, secure: req.protocol === 'https' })

/** Creates a server-side session; the cookie holds only a random token (its hash is the key). */
export async function startSession(db: QuadDb, req: FastifyRequest, reply: FastifyReply, userId: number): Promise<void> {
  const token = newToken()
  const csrf = req.cookies[CSRF_COOKIE] || newToken()
  await db
    .insertInto('sessions')
    .values({
      id: hash(token),
      user_id: userId,
      csrf_token: csrf,
      expires_at: new Date(Date.now() + SESSION_DAYS * 86_400_000),
      user_agent: req.headers['user-agent']?.slice(0, 300) ?? null,
    })
    .execute()
  reply.setCookie(SESSION_COOKIE, token, { ...cookieBase(req), httpOnly: true, maxAge: SESSION_DAYS * 86_400 })
  reply.setCookie(CSRF_COOKIE, csrf, { ...cookieBase(req), httpOnly: false, maxAge: SESSION_DAYS * 86_400 })
}

export async function endSession(db: QuadDb, req: FastifyRequest, reply: FastifyReply): Promise<void> {
  const token = req.cookies[SESSION_COOKIE]
  if (token) await db.updateTable('sessions').set({ revoked_at: new Date() }).where('id', '=', hash(token)).execute()
  reply.clearCookie(SESSION_COOKIE, { path: '/' })
}

/** Revokes every session of a user (password change, admin action). */
export async function revokeAllSessions(db: QuadDb, userId: number): Promise<void> {
  await db.updateTable('sessions').set({ revoked_at: new Date() }).where('user_id', '=', userId).where('revoked_at', 'is', null).execute()
}

export async function lookupSession(db: QuadDb, token: string): Promise<SessionUser | null> {
  const row = await db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .where('s.id', '=', hash(token))
    .where('s.revoked_at', 'is', null)
    .where('s.expires_at', '>', new Date())
    .select(['u.id', 'u.email', 'u.name', 'u.is_admin', 'u.is_approver', 's.id as session_id', 's.csrf_token'])
    .executeTakeFirst()
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

export function ensureCsrfCookie(req: FastifyRequest, reply: FastifyReply): void {
  if (!req.cookies[CSRF_COOKIE]) reply.setCookie(CSRF_COOKIE, newToken(), { ...cookieBase(req), httpOnly: false, maxAge: SESSION_DAYS * 86_400 })
}
