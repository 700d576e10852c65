import * as client from 'openid-client'
import type { OidcConfig } from '../../config.js'
import type { Trx } from '../../db/write.js'
import { fail } from '../../errors.js'

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
  const bySubject = await trx.selectFrom('users').where('oidc_subject', '=', id.subject).select('id').executeTakeFirst()
  if (bySubject) return bySubject.id
  if (!id.email || !/^[^@\s]+@[^@\s]+$/.test(id.email) || id.email.length > 254) {
    throw fail('OIDC_NO_EMAIL', 'The identity provider did not share a usable email address')
  }
  const byEmail = await trx.selectFrom('users').where('email', '=', id.email).select(['id', 'oidc_subject']).forUpdate().executeTakeFirst()
  if (byEmail) {
    if (!id.emailVerified || byEmail.oidc_subject) throw fail('EMAIL_TAKEN', 'An account with this email exists; sign in with its password')
    await trx.updateTable('users').set({ oidc_subject: id.subject, updated_at: new Date() }).where('id', '=', byEmail.id).execute()
    return byEmail.id
  }
  const created = await trx
    .insertInto('users')
    .values({ email: id.email, name: id.name, oidc_subject: id.subject })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst()
  if (created) return created.id
  // A concurrent first sign-in of the same person won the insert.
  const again = await trx.selectFrom('users').where('oidc_subject', '=', id.subject).select('id').executeTakeFirst()
  if (!again) throw fail('EMAIL_TAKEN', 'An account with this email exists; sign in with its password')
  return again.id
}
