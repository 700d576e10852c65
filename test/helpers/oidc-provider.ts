import { createHash, randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { exportJWK, generateKeyPair, SignJWT } from 'jose'

export interface ProviderUser {
  sub: string
  email?: string
  email_verified?: boolean
  name?: string
}

interface Grant {
  user: ProviderUser
  clientId: string
  redirectUri: string
  challenge: string
  nonce: string | undefined
  used: boolean
}

/**
 * A small OpenID Connect provider on 127.0.0.1 for tests: discovery, JWKS, an authorization
 * endpoint that signs in `nextUser` at once, and a token endpoint that checks client credentials,
 * the redirect URI, single use of the code and the PKCE (S256) verifier, and signs RS256 ID tokens.
 */
export class TestOidcProvider {
  issuer = ''
  nextUser: ProviderUser = { sub: 'user-1' }
  /** Every authorization request seen, for assertions on state/nonce/PKCE parameters. */
  readonly authorizeRequests: URLSearchParams[] = []
  readonly tokenErrors: string[] = []
  private readonly grants = new Map<string, Grant>()
  private server: Server | null = null
  private key!: Awaited<ReturnType<typeof generateKeyPair>>["privateKey"]
  private jwk!: Record<string, unknown>

  constructor(
    readonly clientId: string,
    readonly clientSecret: string,
  ) {}

  async start(): Promise<this> {
    const pair = await generateKeyPair('RS256', { extractable: true })
    this.key = pair.privateKey
    this.jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }
    this.server = createServer((req, res) => {
      this.handle(req)
        .then(({ status, headers, body }) => {
          res.writeHead(status, { 'content-type': 'application/json', ...headers })
          res.end(body === undefined ? undefined : JSON.stringify(body))
        })
        .catch((err) => {
          res.writeHead(500)
          res.end(String(err))
        })
    })
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve))
    this.issuer = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
    return this
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()))
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; headers?: Record<string, string>; body?: unknown }> {
    const url = new URL(req.url ?? '/', this.issuer)
    if (req.method === 'GET' && url.pathname === '/.well-known/openid-configuration') {
      return {
        status: 200,
        body: {
          issuer: this.issuer,
          authorization_endpoint: `${this.issuer}/authorize`,
          token_endpoint: `${this.issuer}/token`,
          jwks_uri: `${this.issuer}/jwks`,
          response_types_supported: ['code'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
          code_challenge_methods_supported: ['S256'],
          token_endpoint_auth_methods_supported: ['client_secret_basic'],
          scopes_supported: ['openid', 'email', 'profile'],
        },
      }
    }
    if (req.method === 'GET' && url.pathname === '/jwks') return { status: 200, body: { keys: [this.jwk] } }
    if (req.method === 'GET' && url.pathname === '/authorize') {
      const p = url.searchParams
      this.authorizeRequests.push(p)
      const redirectUri = p.get('redirect_uri') ?? ''
      if (p.get('client_id') !== this.clientId || p.get('response_type') !== 'code' || p.get('code_challenge_method') !== 'S256' || !p.get('code_challenge')) {
        return { status: 400, body: { error: 'invalid_request' } }
      }
      const code = randomBytes(16).toString('hex')
      this.grants.set(code, {
        user: this.nextUser,
        clientId: this.clientId,
        redirectUri,
        challenge: p.get('code_challenge')!,
        nonce: p.get('nonce') ?? undefined,
        used: false,
      })
      const back = new URL(redirectUri)
      back.searchParams.set('code', code)
      if (p.get('state')) back.searchParams.set('state', p.get('state')!)
      return { status: 302, headers: { location: back.href } }
    }
    if (req.method === 'POST' && url.pathname === '/token') {
      const form = new URLSearchParams(await readBody(req))
      const fail = (why: string) => {
        this.tokenErrors.push(why)
        return { status: 400, body: { error: 'invalid_grant', error_description: why } }
      }
      const basic = Buffer.from(String(req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString()
      const [id, secret] = basic.split(':').map((s) => decodeURIComponent(s))
      if (id !== this.clientId || secret !== this.clientSecret) return { status: 401, body: { error: 'invalid_client' } }
      const grant = this.grants.get(form.get('code') ?? '')
      if (form.get('grant_type') !== 'authorization_code' || !grant) return fail('unknown code')
      if (grant.used) return fail('code already used')
      grant.used = true
      if (form.get('redirect_uri') !== grant.redirectUri) return fail('redirect_uri mismatch')
      const verifier = form.get('code_verifier') ?? ''
      if (createHash('sha256').update(verifier).digest('base64url') !== grant.challenge) return fail('PKCE verification failed')
      const now = Math.floor(Date.now() / 1000)
      const { sub, ...claims } = grant.user
      const idToken = await new SignJWT({ ...claims, ...(grant.nonce ? { nonce: grant.nonce } : {}) })
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setIssuer(this.issuer)
        .setSubject(sub)
        .setAudience(grant.clientId)
        .setIssuedAt(now)
        .setExpirationTime(now + 300)
        .sign(this.key)
      return { status: 200, body: { access_token: randomBytes(16).toString('hex'), token_type: 'Bearer', expires_in: 300, id_token: idToken } }
    }
    return { status: 404, body: { error: 'not_found' } }
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const c of req) chunks.push(c as Buffer)
  return Buffer.concat(chunks).toString()
}
