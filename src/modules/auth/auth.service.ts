import { setTimeout as sleep } from 'node:timers/promises'
import type { Static } from '@sinclair/typebox'
import type { QuadDb } from '../../db/database.js'
import { fail } from '../../errors.js'
import * as repo from './auth.repository.js'
import type { DevLoginBody, LoginBody, SignupBody } from './auth.schema.js'
import { hashPassword, verifyPassword } from './password.js'
import type { SignInThrottle } from './sign-in-throttle.js'
import { type CookieControls, ensureCsrfCookie, type SessionRequest, type SessionUser, startSession } from './session.js'

// Compared against when the email is unknown, so both paths cost one scrypt.
const DUMMY_HASH = await hashPassword('not-a-real-password-at-all')

/** How people may sign in on this instance (the web app shows the matching buttons). */
export interface SignInOptions {
  devLogin: boolean
  ssoLogin: boolean
}

/** The signed-in user (or null) and the CSRF token; gives an anonymous visitor a CSRF cookie. */
export function whoAmI(viewer: SessionUser | null, req: SessionRequest, reply: CookieControls, options: SignInOptions) {
  const held = ensureCsrfCookie(reply, req)
  return {
    user: viewer ? { id: viewer.id, email: viewer.email, name: viewer.name, is_admin: viewer.isAdmin, is_approver: viewer.isApprover } : null,
    csrf_token: viewer?.csrfToken ?? held,
    dev_login: options.devLogin,
    sso_login: options.ssoLogin,
  }
}

export async function signup(db: QuadDb, req: SessionRequest, reply: CookieControls, body: Static<typeof SignupBody>): Promise<void> {
  const passwordHash = await hashPassword(body.password)
  const userId = await repo.createPasswordUser(db, { email: body.email.trim().toLowerCase(), name: body.name.trim(), passwordHash })
  if (userId === undefined) throw fail('EMAIL_TAKEN', 'An account with this email exists; sign in instead')
  await startSession(db, reply, req, userId)
}

/**
 * Signs in with a password. The password is always checked: a right one signs in whatever has
 * failed from the same address. A wrong one is counted against the address (spraying one common
 * password across many accounts); past the free failures its answer is held and becomes 429.
 */
export async function login(
  deps: { db: QuadDb; throttle: SignInThrottle },
  req: SessionRequest & { address: string },
  reply: CookieControls,
  body: Static<typeof LoginBody>,
): Promise<void> {
  const user = await repo.credentialsByEmail(deps.db, body.email.trim().toLowerCase())
  const ok = await verifyPassword(body.password, user?.password_hash ?? DUMMY_HASH)
  if (!user || !ok) {
    const holdMs = await deps.throttle.failed(req.address)
    if (holdMs === 0) throw fail('BAD_CREDENTIALS', 'Wrong email or password')
    await sleep(holdMs)
    throw fail('RATE_LIMITED', 'Wrong email or password. Many sign-ins from your network failed lately, so failed ones are answered slowly.', undefined, {
      'retry-after': String(Math.ceil(holdMs / 1000)),
    })
  }
  await startSession(deps.db, reply, req, user.id)
}

/** Demo mode only: any account, no password. */
export async function devLogin(db: QuadDb, req: SessionRequest, reply: CookieControls, body: Static<typeof DevLoginBody>): Promise<void> {
  const userId = await repo.userIdByEmail(db, body.email.toLowerCase())
  if (userId === undefined) throw fail('NOT_FOUND', 'No such account')
  await startSession(db, reply, req, userId)
}
