/** The one place that talks HTTP to the Quad API: JSON in and out, CSRF header, typed errors. */

export interface FieldError {
  field: string
  code: string
  message: string
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: FieldError[] = [],
  ) {
    super(message)
  }
  /** The server has no such route (a feature this server does not offer). */
  get missingRoute(): boolean {
    return this.status === 404 && /^No route for /.test(this.message)
  }
  /** Message for one form field ("email", "answers.3"), if the server named it. */
  fieldMessage(field: string): string | undefined {
    return this.fields.find((f) => f.field === field || f.field.endsWith(`.${field}`))?.message
  }
}

const CSRF_COOKIE = 'quad_csrf'
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

export function readCookie(name: string): string | null {
  if (typeof document === 'undefined') return null
  for (const part of document.cookie.split(';')) {
    const [k, ...v] = part.trim().split('=')
    if (k === name) return decodeURIComponent(v.join('='))
  }
  return null
}

let csrfFallback: string | null = null
/** Remembers the token GET /api/me returned (the cookie is the source of truth when readable). */
export function setCsrfToken(token: string | null): void {
  csrfFallback = token
}

async function csrfToken(): Promise<string | null> {
  const fromCookie = readCookie(CSRF_COOKIE)
  if (fromCookie) return fromCookie
  if (!csrfFallback) {
    const me = await request<{ csrf_token: string | null }>('GET', '/api/me')
    csrfFallback = me.csrf_token
  }
  return readCookie(CSRF_COOKIE) ?? csrfFallback
}

export interface RequestOptions {
  signal?: AbortSignal
  headers?: Record<string, string>
}

export async function request<T>(method: string, url: string, body?: unknown, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers }
  if (body !== undefined) headers['content-type'] = 'application/json'
  if (UNSAFE.has(method)) {
    const token = await csrfToken()
    if (token) headers['x-csrf-token'] = token
  }
  let res: Response
  try {
    res = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      signal: opts.signal,
    })
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err
    throw new ApiError(0, 'NETWORK', 'Cannot reach Quad. Check your connection and try again.')
  }
  const text = await res.text()
  let data: unknown = undefined
  if (text) {
    try {
      data = JSON.parse(text)
    } catch {
      data = text
    }
  }
  if (!res.ok) {
    const e = (data as { error?: { code?: string; message?: string; fields?: FieldError[] } })?.error
    throw new ApiError(res.status, e?.code ?? `HTTP_${res.status}`, e?.message ?? res.statusText ?? 'Request failed', e?.fields ?? [])
  }
  return data as T
}

export const get = <T>(url: string, opts?: RequestOptions) => request<T>('GET', url, undefined, opts)
export const post = <T>(url: string, body?: unknown, opts?: RequestOptions) => request<T>('POST', url, body ?? {}, opts)
export const put = <T>(url: string, body?: unknown, opts?: RequestOptions) => request<T>('PUT', url, body ?? {}, opts)
export const patch = <T>(url: string, body?: unknown, opts?: RequestOptions) => request<T>('PATCH', url, body ?? {}, opts)
export const del = <T>(url: string, opts?: RequestOptions) => request<T>('DELETE', url, undefined, opts)

/** Builds "/path?a=1&b=2" skipping empty values. */
export function withQuery(path: string, query: Record<string, string | number | boolean | undefined | null>): string {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v))
  const s = q.toString()
  return s ? `${path}?${s}` : path
}
