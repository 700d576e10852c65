import { randomBytes } from 'node:crypto'
import type { Conn, Outgoing, RequestSpec } from './types.js'

// What a browser sends with each request of a traffic class; shared by the closed-loop runner
// (autocannon) and the open-loop generator.
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
const BROWSER_ENCODINGS = 'gzip, deflate, br'
// Anonymous browsers get a CSRF cookie from GET /api/me; one token stands for all of them.
const ANON_CSRF = randomBytes(24).toString('base64url')

export function headersFor(spec: RequestSpec, out: Outgoing, conn: Conn): Record<string, string> {
  const h: Record<string, string> = { accept: 'application/json', 'user-agent': 'quad-bench' }
  // A body the class reads is asked for unencoded; everything else like a browser.
  if (!spec.readBody) h['accept-encoding'] = BROWSER_ENCODINGS
  const cookies: string[] = []
  const csrf = out.as ? out.as.csrf : ANON_CSRF
  if (out.as) cookies.push(`quad_session=${out.as.token}`)
  if (out.as || UNSAFE.has(spec.method)) cookies.push(`quad_csrf=${csrf}`)
  // Read-your-writes: a browser sends back the token its last write set.
  if (typeof conn.__ryw === 'string') cookies.push(`quad_ryw=${conn.__ryw}`)
  if (cookies.length) h.cookie = cookies.join('; ')
  if (UNSAFE.has(spec.method)) h['x-csrf-token'] = csrf
  if (out.body !== undefined) h['content-type'] = 'application/json'
  return { ...h, ...out.headers }
}

export function lowerHeaders(raw: Record<string, string | string[]> | undefined): { headers: Record<string, string>; setCookie: string[] } {
  const headers: Record<string, string> = {}
  let setCookie: string[] = []
  for (const [k, v] of Object.entries(raw ?? {})) {
    const key = k.toLowerCase()
    if (key === 'set-cookie') setCookie = Array.isArray(v) ? v : [v]
    else headers[key] = Array.isArray(v) ? v.join(', ') : v
  }
  return { headers, setCookie }
}

