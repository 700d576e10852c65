import type { IncomingHttpHeaders } from 'node:http'
import type { Readable } from 'node:stream'
import type { Static, TSchema } from '@sinclair/typebox'
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify'
import type { QuadDb } from '../db/database.js'
import type { Trx } from '../db/write.js'
import { ERROR_CATALOG, type ErrorCode } from '../error-catalog.js'
import { forbidden, notFound, unauthorized } from '../errors.js'
import type { SessionUser } from '../modules/auth/session.js'
import type { QueryBudget } from '../ops/budget.js'
import { type Access, type AccessResources, atLeast, type ClubAccess, describeAccess, type Grant, lookupRole, resolverOf } from './access.js'
import { operationIdOf } from './openapi.js'
import { errorResponseRef } from './schemas.js'

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
const UNSAFE = new Set<Method>(['POST', 'PUT', 'PATCH', 'DELETE'])

/** Sent by an escape hatch (a download, a redirect): the handler returns it instead of a body. */
export interface Sent {
  readonly sent: true
}

/** Cookie settings the route may choose; path, SameSite and Secure are decided in one place. */
export interface CookieOptions {
  httpOnly: boolean
  /** Seconds; absent = a session cookie. */
  maxAge?: number
  /** Narrower than the whole site (e.g. a sign-in flow's own path). */
  path?: string
}

/** What a handler may do to its response besides returning the body. */
export interface ReplyControls {
  status(code: number): void
  header(name: string, value: string): void
  setCookie(name: string, value: string, o: CookieOptions): void
  clearCookie(name: string, o?: { path?: string }): void
  redirect(url: string): Sent
  /** A body that is not JSON: a CSV download, a calendar feed. */
  send(contentType: string, body: string | Buffer | Readable, o?: { filename?: string }): Sent
}

type ViewerOf<A extends Access> = A extends 'anyone' ? SessionUser | null : SessionUser
type GrantOf<A extends Access> = A extends { of: infer K extends keyof AccessResources } ? Grant<K> : undefined

/** The narrow context of a private handler: no runtime, no raw request. */
export interface RouteContext<A extends Access, P, Q, B, H> {
  readonly viewer: ViewerOf<A>
  /** The resource named by the route's access and the viewer's role in its club. */
  readonly grant: GrantOf<A>
  readonly params: P
  readonly query: Q
  readonly body: B
  readonly headers: H & IncomingHttpHeaders
  /** The request's cookies (signed ones still signed). */
  readonly cookies: Readonly<Record<string, string | undefined>>
  /** Reads (the request's pool; the report pool for routes that declare it). */
  readonly db: QuadDb
  /** One write transaction, visible to every reader when it returns. */
  write<T>(fn: (trx: Trx) => Promise<T>): Promise<T>
  /** One insert/update/delete with RETURNING as its own transaction (two round trips), visible likewise. */
  writeOne<R>(build: (db: QuadDb) => { execute(): Promise<R[]> }): Promise<R[]>
  /** When the request reached the server: deadlines are judged by it, not by a queue. */
  readonly now: Date
  readonly log: FastifyBaseLogger
  /** The client's address (rate limits and audit). */
  readonly ip: string
  readonly reply: ReplyControls
}

export interface PrivateRouteDef<A extends Access, P extends TSchema, Q extends TSchema, B extends TSchema, H extends TSchema, R extends TSchema> {
  readonly method: Method
  readonly url: string
  readonly summary: string
  readonly tags: string[]
  readonly access: A
  readonly params?: P
  readonly querystring?: Q
  readonly body?: B
  readonly headers?: H
  /** The success body; `status` is its code (200 by default; a handler may pick another 2xx). */
  readonly response: R
  /** Content type of a body that is not JSON (the handler sends it with reply.send). */
  readonly produces?: string
  readonly status?: 200 | 201 | 202
  /** Other success codes the handler may choose with reply.status (same body shape). */
  readonly alsoStatus?: readonly (200 | 201)[]
  /** The handler answers with reply.redirect (documented as a 302 with a Location header). */
  readonly redirects?: boolean
  readonly queryBudget: QueryBudget
  /** Codes the handler may return; those implied by access and validation are added. */
  readonly errors: readonly ErrorCode[]
  /** Reports and exports run on the report pool with its longer statement timeout. */
  readonly pool?: 'report'
  /** Set false for endpoints that authenticate otherwise (an identity provider's callback). */
  readonly csrf?: false
  /** Extra Fastify route config (e.g. a rate limit). */
  readonly config?: Record<string, unknown>
  readonly operationId?: string
  readonly handler: (ctx: RouteContext<A, Static<P>, Static<Q>, Static<B>, Static<H>>) => Promise<Static<R> | Sent>
}

export interface PrivateDeps {
  db: QuadDb
  reportDb: QuadDb
  write<T>(fn: (trx: Trx) => Promise<T>): Promise<T>
  writeOne<R>(build: (db: QuadDb) => { execute(): Promise<R[]> }): Promise<R[]>
  /** Whether cookies get the Secure flag for this request. */
  secureCookies(req: FastifyRequest): boolean
}

declare module 'fastify' {
  interface FastifyInstance {
    privateDeps: PrivateDeps
  }
  interface FastifyContextConfig {
    /** Declared access of a private route (read by the authorization matrix test). */
    access?: Access
    /** Error codes a route may answer with. */
    errors?: readonly ErrorCode[]
  }
  interface FastifyRequest {
    /** When the request reached the server. */
    receivedAt: Date
  }
}

/** The error codes a route can answer with: its own, plus those its declaration implies. */
export function routeErrors(def: { access: Access; method: Method; errors: readonly ErrorCode[]; params?: unknown; querystring?: unknown; body?: unknown; headers?: unknown }): ErrorCode[] {
  const codes = new Set<ErrorCode>(def.errors)
  if (def.params || def.querystring || def.body || def.headers) codes.add('VALIDATION_FAILED')
  if (def.access !== 'anyone') codes.add('UNAUTHENTICATED')
  if (def.access === 'approver' || def.access === 'admin' || typeof def.access === 'object') codes.add('FORBIDDEN')
  if (typeof def.access === 'object') codes.add('NOT_FOUND')
  if (UNSAFE.has(def.method)) codes.add('CSRF_FAILED')
  codes.add('OVERLOADED')
  codes.add('UNAVAILABLE')
  return [...codes].sort()
}

function responses(def: PrivateRouteDef<Access, TSchema, TSchema, TSchema, TSchema, TSchema>, codes: ErrorCode[]) {
  const out: Record<number, unknown> = def.redirects
    ? { 302: { type: 'null', description: 'Redirect; the Location header says where' } }
    : { [def.status ?? 200]: def.response }
  for (const s of def.alsoStatus ?? []) out[s] = def.response
  const byStatus = new Map<number, ErrorCode[]>()
  for (const c of codes) {
    const s = ERROR_CATALOG[c].status
    byStatus.set(s, [...(byStatus.get(s) ?? []), c])
  }
  for (const [s, list] of byStatus) out[s] = errorResponseRef(list)
  return out
}

/** OpenAPI security of an access: the session cookie, plus the CSRF header on unsafe methods. */
export function securityOf(access: Access, method: Method): Record<string, string[]>[] {
  const needs: Record<string, string[]> = UNSAFE.has(method) ? { session: [], csrf: [] } : { session: [] }
  return access === 'anyone' ? [{}, needs] : [needs]
}

/**
 * Registers a private (per-viewer, never cached) route: access, schemas, query budget and error
 * codes as data. Before the handler runs the viewer is loaded and the access enforced (401, 403,
 * 404 for a resource that does not exist); the response is marked private here, once.
 */
export function privateRoute<A extends Access, P extends TSchema, Q extends TSchema, B extends TSchema, H extends TSchema, R extends TSchema>(
  app: FastifyInstance,
  def: PrivateRouteDef<A, P, Q, B, H, R>,
): void {
  const deps = app.privateDeps
  const codes = routeErrors(def)
  app.route({
    method: def.method as HTTPMethods,
    url: def.url,
    schema: {
      operationId: def.operationId ?? operationIdOf(def.method, def.url),
      summary: def.summary,
      tags: def.tags,
      ...(def.params ? { params: def.params } : {}),
      ...(def.querystring ? { querystring: def.querystring } : {}),
      ...(def.body ? { body: def.body } : {}),
      ...(def.headers ? { headers: def.headers } : {}),
      response: responses(def as never, codes),
      ...(def.produces ? { produces: [def.produces] } : {}),
      security: securityOf(def.access, def.method),
      'x-quad-access': describeAccess(def.access),
      'x-quad-errors': codes,
    },
    config: { ...def.config, queryBudget: def.queryBudget, access: def.access, errors: codes, ...(def.csrf === false ? { csrf: false } : {}) },
    // Every answer is private, errors included (they may come before the handler runs).
    onRequest: async (_req, reply) => {
      reply.header('cache-control', 'private, no-store')
    },
    // Who you are is checked before what you sent: a caller without access learns nothing about the input.
    preValidation: async (req) => {
      const viewer = await req.viewer()
      if (!viewer && def.access !== 'anyone') throw unauthorized()
      if (def.access === 'admin' && !viewer!.isAdmin) throw forbidden('Administrators only')
      if (def.access === 'approver' && !viewer!.isApprover && !viewer!.isAdmin) throw forbidden('Approvers only')
    },
    handler: async (req, reply) => {
      const viewer = await req.viewer()
      // A resource is looked up by its validated path param.
      const grant = typeof def.access === 'object' ? await authorize(deps.db, viewer!, def.access, req.params as Record<string, unknown>) : undefined
      let sent = false
      const ctx: RouteContext<Access, unknown, unknown, unknown, unknown> = {
        viewer,
        grant,
        params: req.params,
        query: req.query,
        body: req.body,
        headers: req.headers,
        cookies: req.cookies,
        db: def.pool === 'report' ? deps.reportDb : deps.db,
        write: deps.write,
        writeOne: deps.writeOne,
        now: req.receivedAt,
        log: req.log,
        ip: req.ip,
        reply: controls(req, reply, deps, () => (sent = true)),
      }
      const body = await def.handler(ctx as never)
      if (sent) return reply
      if (def.status && reply.statusCode === 200) reply.code(def.status)
      return body
    },
  })
}

async function authorize(db: QuadDb, viewer: SessionUser, access: ClubAccess, params: Record<string, unknown>): Promise<Grant> {
  const resolver = resolverOf(access.of)
  const found = await resolver.find(db, params[access.param] as string | number)
  if (!found) throw notFound(resolver.label)
  const role = await lookupRole(db, viewer, found.clubId)
  if (!atLeast(role, access.role) && !(access.approvers && viewer.isApprover)) {
    throw forbidden(`You need to be ${access.role === 'member' ? 'a member' : `an ${access.role}`} of this club`)
  }
  return { resource: found.resource as never, clubId: found.clubId, role }
}

function controls(req: FastifyRequest, reply: FastifyReply, deps: PrivateDeps, markSent: () => void): ReplyControls {
  const base = () => ({ path: '/', sameSite: 'lax' as const, secure: deps.secureCookies(req) })
  return {
    status: (code) => void reply.code(code),
    header: (name, value) => void reply.header(name, value),
    setCookie: (name, value, o) =>
      void reply.setCookie(name, value, { ...base(), httpOnly: o.httpOnly, ...(o.maxAge !== undefined ? { maxAge: o.maxAge } : {}), ...(o.path ? { path: o.path } : {}) }),
    // Cleared with the attributes it was set with, or browsers may keep the Secure one.
    clearCookie: (name, o = {}) => void reply.clearCookie(name, { ...base(), path: o.path ?? '/' }),
    redirect(url) {
      markSent()
      void reply.redirect(url, 302)
      return { sent: true }
    },
    send(contentType, body, o = {}) {
      markSent()
      reply.header('content-type', contentType)
      if (o.filename) reply.header('content-disposition', `attachment; filename="${o.filename.replace(/[^\w.-]/g, '_')}"`)
      void reply.send(body)
      return { sent: true }
    },
  }
}
