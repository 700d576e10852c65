import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'

/** A cookie-keeping client over inject(), sending the CSRF header like the web app does. */
export class Client {
  readonly cookies = new Map<string, string>()

  constructor(readonly app: FastifyInstance) {}

  async request(opts: InjectOptions & { url: string }): Promise<LightMyRequestResponse & { json: () => any }> {
    const headers: Record<string, string> = { ...(opts.headers as Record<string, string>) }
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
    const csrf = this.cookies.get('quad_csrf')
    if (csrf && !('x-csrf-token' in headers)) headers['x-csrf-token'] = csrf
    const res = await this.app.inject({ ...opts, headers })
    for (const c of res.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      const expired = c.maxAge === 0 || (c.expires && c.expires.getTime() < Date.now()) || c.value === ''
      if (expired) this.cookies.delete(c.name)
      else this.cookies.set(c.name, c.value)
    }
    return Object.assign(res, { json: () => (res.body ? JSON.parse(res.body) : undefined) })
  }

  get = (url: string, headers?: Record<string, string>) => this.request({ method: 'GET', url, headers })
  post = (url: string, payload?: unknown, headers?: Record<string, string>) =>
    this.request({ method: 'POST', url, payload: payload as InjectOptions['payload'], headers })
  put = (url: string, payload?: unknown) => this.request({ method: 'PUT', url, payload: payload as InjectOptions['payload'] })
  patch = (url: string, payload?: unknown) => this.request({ method: 'PATCH', url, payload: payload as InjectOptions['payload'] })
  delete = (url: string) => this.request({ method: 'DELETE', url })

  /** Gets a CSRF cookie, then signs in with a password. */
  async login(email: string, password: string): Promise<this> {
    await this.get('/api/me')
    const res = await this.post('/api/auth/login', { email, password })
    if (res.statusCode !== 200) throw new Error(`login ${email} failed: ${res.statusCode} ${res.body}`)
    return this
  }

  async signup(email: string, password = 'correct horse battery', name = 'Test User'): Promise<this> {
    await this.get('/api/me')
    const res = await this.post('/api/auth/signup', { email, password, name })
    if (res.statusCode !== 201) throw new Error(`signup ${email} failed: ${res.statusCode} ${res.body}`)
    return this
  }
}
