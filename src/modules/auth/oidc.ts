import * as client from 'openid-client'
import type { OidcConfig } from '../../config.js'
import type { QuadDb } from '../../db/database.js'
import type { Trx } from '../../db/write.js'
import { fail, notFound } from '../../errors.js'
import * as repo from './auth.repository.js'
import { type CookieControls, type SessionRequest, startSession } from './session.js'

export const PENDING_COOKIE = 'quad_oidc'

/** What the browser carries between /start and /callback (signed, HttpOnly, 10 minutes). */
export interface PendingLogin {
  state: string
  nonce: string
  verifier: string
  returnTo: string
}

export interface OidcIdentity {
  subject: string
  email: string | null
  emailVerified: boolean
  name: string
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]'])

/**
 * The relying party: discovery happens once per process (retried after a failure), so a provider
 * that is down at start does not stop Quad from serving.
 */
export class OidcClient {
  private config: Promise<client.Configuration> | null = null

  constructor(private readonly cfg: OidcConfig) {}

  private discover(): Promise<client.Configuration> {
    if (!this.config) {
      const issuer = new URL(this.cfg.issuer)
      // Plain HTTP only for a provider on this machine (development and tests).
      const insecure = issuer.protocol === 'http:' && LOOPBACK.has(issuer.hostname)
      const auth = this.cfg.clientSecret ? client.ClientSecretBasic(this.cfg.clientSecret) : client.None()
      this.config = client
        .discovery(issuer, this.cfg.clientId, undefined, auth, insecure ? { execute: [client.allowInsecureRequests] } : undefined)
        .catch((err) => {
          this.config = null
          throw fail('OIDC_UNAVAILABLE', `The identity provider cannot be reached: ${(err as Error).message}`)
        })
    }
    return this.config
  }

  /** The provider's authorization URL with state, nonce and an S256 PKCE challenge. */
  async start(returnTo: string): Promise<{ url: string; pending: PendingLogin }> {
    const config = await this.discover()
    const pending: PendingLogin = { state: client.randomState(), nonce: client.randomNonce(), verifier: client.randomPKCECodeVerifier(), returnTo }
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: this.cfg.redirectUrl,
      scope: 'openid email profile',
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(pending.verifier),
      code_challenge_method: 'S256',
    })
    return { url: url.href, pending }
  }

  /** Exchanges the code (checking state, nonce, PKCE and the ID token) for the user's identity. */
  async finish(query: string, pending: PendingLogin): Promise<OidcIdentity> {
    const config = await this.discover()
    // The redirect URL as registered, not as seen through proxies: it must match exactly.
    const current = new URL(this.cfg.redirectUrl)
    current.search = query
    let claims: client.IDToken | undefined
    try {
      const tokens = await client.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: pending.verifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      })
      claims = tokens.claims()
    } catch (err) {
      throw fail('OIDC_FAILED', `Sign-in with the identity provider failed: ${(err as Error).message}`)
    }
    if (!claims?.sub) throw fail('OIDC_FAILED', 'The identity provider returned no subject')
    const email = typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : null
    const name = typeof claims.name === 'string' ? claims.name : [claims.given_name, claims.family_name].filter((x) => typeof x === 'string').join(' ')
    return { subject: claims.sub, email, emailVerified: claims.email_verified === true, name: name.slice(0, 120) }
  }
}

/**
 * Finds or creates the account of an identity: by subject first; on first sign-in an existing
 * account with the same, provider-verified email is linked; otherwise a new account is created.
 */
export async function linkIdentity(trx: Trx, id: OidcIdentity): Promise<number> {
  const bySubject = await repo.userIdBySubject(trx, id.subject)
  if (bySubject !== undefined) return bySubject
  if (!id.email || !/^[^@\s]+@[^@\s]+$/.test(id.email) || id.email.length > 254) {
    throw fail('OIDC_NO_EMAIL', 'The identity provider did not share a usable email address')
  }
  const byEmail = await repo.userByEmailForUpdate(trx, id.email)
  if (byEmail) {
    if (!id.emailVerified || byEmail.oidc_subject) throw fail('EMAIL_TAKEN', 'An account with this email exists; sign in with its password')
    await repo.setSubject(trx, byEmail.id, id.subject)
    return byEmail.id
  }
  const created = await repo.createSsoUser(trx, { email: id.email, name: id.name, subject: id.subject })
  if (created !== undefined) return created
  // A concurrent first sign-in of the same person won the insert.
  const again = await repo.userIdBySubject(trx, id.subject)
  if (again === undefined) throw fail('EMAIL_TAKEN', 'An account with this email exists; sign in with its password')
  return again
}

/** Signs and checks the pending-login cookie with the server's secret. */
export interface CookieSigner {
  sign(value: string): string
  unsign(value: string): { valid: boolean; value: string | null }
}

/** Only same-site paths: an open redirect after sign-in would help phishing. */
export const safeReturn = (to: string | undefined) => (to && /^\/(?![/\\])/.test(to) ? to : '/')

/** Where to send the browser to sign in; the pending state rides in a signed cookie. */
export async function startSignIn(oidc: OidcClient | null, signer: CookieSigner, reply: CookieControls, returnTo: string | undefined): Promise<string> {
  if (!oidc) throw notFound('Single sign-on')
  const { url, pending } = await oidc.start(safeReturn(returnTo))
  // SameSite=Lax: the provider's redirect back is a top-level GET navigation, which carries it.
  reply.setCookie(PENDING_COOKIE, signer.sign(JSON.stringify(pending)), { httpOnly: true, maxAge: 600, path: '/api/auth/oidc' })
  return url
}

export interface FinishDeps {
  oidc: OidcClient | null
  signer: CookieSigner
  db: QuadDb
  write<T>(fn: (trx: Trx) => Promise<T>): Promise<T>
}

/**
 * Checks the provider's answer against the pending state, links the identity to an account and
 * signs it in; returns where the browser goes next.
 */
export async function finishSignIn(deps: FinishDeps, query: Record<string, unknown>, req: SessionRequest, reply: CookieControls): Promise<string> {
  if (!deps.oidc) throw notFound('Single sign-on')
  const raw = req.cookies[PENDING_COOKIE]
  const unsigned = raw ? deps.signer.unsign(raw) : null
  if (!unsigned?.valid || !unsigned.value) throw fail('OIDC_FAILED', 'No sign-in in progress (start again)')
  const pending = JSON.parse(unsigned.value) as PendingLogin
  // One attempt per start: the pending state is dropped whatever happens next.
  reply.clearCookie(PENDING_COOKIE, { path: '/api/auth/oidc' })
  const identity = await deps.oidc.finish(searchOf(query), pending)
  const userId = await deps.write((trx) => linkIdentity(trx, identity))
  await startSession(deps.db, reply, req, userId)
  return safeReturn(pending.returnTo)
}

/** The callback's query string again ("?code=…&state=…"), as the provider sent it. */
function searchOf(query: Record<string, unknown>): string {
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) for (const x of Array.isArray(v) ? v : [v]) if (x !== undefined) params.append(k, String(x))
  const s = params.toString()
  return s ? `?${s}` : ''
}
