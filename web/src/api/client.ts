/**
 * The one place that talks HTTP to the Quad API: calls are typed by the generated OpenAPI types
 * (`schema.d.ts`), so a renamed route or a changed body fails the type check, not a user.
 */
import type { paths } from './schema.js'

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
  /** Message for one form field ("email", "answers.3"), if the server named it. */
  fieldMessage(field: string): string | undefined {
    return this.fields.find((f) => f.field === field || f.field.endsWith(`.${field}`))?.message
  }
}

export type Method = 'get' | 'put' | 'post' | 'patch' | 'delete'
export type Path = keyof paths
/** The methods the document declares on a path. */
export type MethodOf<P extends Path> = { [M in Method]: paths[P][M] extends undefined ? never : M }[Method]
/** The generated operation for `method` on `path`. */
export type Operation<P extends Path, M extends Method> = Exclude<paths[P][M], undefined>

type Json<R> = R extends { content: { 'application/json': infer T } } ? T : never
/** The JSON an operation answers with on success (200 or 201). */
export type SuccessOf<O> = O extends { responses: infer R } ? Json<R[Extract<keyof R, 200 | 201>]> : never
/** The JSON body an operation takes (undefined when it takes none). */
export type BodyOf<O> = O extends { requestBody: { content: { 'application/json': infer B } } } ? B : undefined

type Defined<T> = Exclude<T, undefined>
type Part<K extends string, T> = [Defined<T>] extends [never]
  ? { [k in K]?: never }
  : undefined extends T
    ? { [k in K]?: Defined<T> }
    : { [k in K]: T }
type ParamsOf<O> = O extends { parameters: infer P } ? P : never
type Field<T, K extends string> = K extends keyof T ? T[K] : undefined

/** What a call passes: path parameters, query, headers and body, each as the document types them. */
export type Init<O> = Part<'path', Field<ParamsOf<O>, 'path'>> &
  Part<'query', Field<ParamsOf<O>, 'query'>> &
  Part<'header', Field<ParamsOf<O>, 'header'>> &
  Part<'body', BodyOf<O>> & { signal?: AbortSignal }
type Args<I> = {} extends I ? [init?: I] : [init: I]

type Scalar = string | number | boolean | null | undefined
interface AnyInit {
  path?: Record<string, Scalar>
  query?: Record<string, Scalar>
  header?: Record<string, string>
  body?: unknown
  signal?: AbortSignal
}

/** "/api/clubs/{code}" with its parameters filled in and the query appended (empty values left out). */
export function href<P extends Path>(path: P, init: { path?: object; query?: object } = {}): string {
  const params = (init.path ?? {}) as Record<string, Scalar>
  const url = path.replace(/\{(\w+)\}/g, (_, k: string) => encodeURIComponent(String(params[k])))
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries((init.query ?? {}) as Record<string, Scalar>)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v))
  const s = q.toString()
  return s ? `${url}?${s}` : url
}

const CSRF_COOKIE = 'quad_csrf'
const UNSAFE = new Set<Method>(['post', 'put', 'patch', 'delete'])

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
  if (!csrfFallback) csrfFallback = (await call('get', '/api/me')).csrf_token
  return readCookie(CSRF_COOKIE) ?? csrfFallback
}

/** One API call: `call('get', '/api/clubs/{code}', { path: { code } })`. */
export async function call<P extends Path, M extends MethodOf<P>>(method: M, path: P, ...[init]: Args<Init<Operation<P, M>>>): Promise<SuccessOf<Operation<P, M>>> {
  const opts = (init ?? {}) as AnyInit
  const headers: Record<string, string> = { accept: 'application/json', ...opts.header }
  // State-changing calls always send JSON (an empty object when the route takes no body).
  const body = opts.body ?? (method === 'post' || method === 'put' || method === 'patch' ? {} : undefined)
  if (body !== undefined) headers['content-type'] = 'application/json'
  if (UNSAFE.has(method)) {
    const token = await csrfToken()
    if (token) headers['x-csrf-token'] = token
  }
  let res: Response
  try {
    res = await fetch(href(path, opts), {
      method: method.toUpperCase(),
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
  return data as SuccessOf<Operation<P, M>>
}
