import type { TSchema } from '@sinclair/typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { newScope, runInScope } from '../db/scope.js'
import { AppError } from '../errors.js'
import type { FrontDoor } from '../http/front-door.js'
import { etagMatches } from '../http/front-door.js'
import { serverTiming } from '../http/server-timing.js'
import { ERROR_CATALOG, type ErrorCode } from '../error-catalog.js'
import { operationIdOf } from '../http/openapi.js'
import { errorResponseRef } from '../http/schemas.js'
import type { CacheAnswer, CacheEngine, FillResult } from './engine.js'
import { buildEntry, pickEncoding } from './entry.js'
import type { CacheEvents } from './events.js'
import type { VariantStore } from './variants.js'
import type { PublicContext, PublicRouteDef } from './policy.js'
import { RYW_COOKIE, type RywTokens } from './ryw.js'

export interface CacheDeps {
  frontDoor: FrontDoor
  engine: CacheEngine
  ryw: RywTokens
  db: PublicContext['db']
  views: VariantStore
  events: CacheEvents
}

declare module 'fastify' {
  interface FastifyInstance {
    cacheDeps: CacheDeps
  }
}

/**
 * The route schema of a cached GET: shared by every viewer, so it needs no credentials
 * (`security: []`); the error codes it can answer with are listed like a private route's.
 */
export function cachedRouteSchema(
  def: { url: string; summary: string; tags?: string[]; params?: TSchema; querystring?: TSchema; response: TSchema },
  codes: ErrorCode[],
) {
  const statuses = new Map<number, ErrorCode[]>()
  for (const c of def.querystring || def.params ? codes : codes.filter((c) => c !== 'VALIDATION_FAILED')) {
    const s = ERROR_CATALOG[c].status
    statuses.set(s, [...(statuses.get(s) ?? []), c])
  }
  const errors = Object.fromEntries([...statuses].map(([s, list]) => [s, errorResponseRef(list)]))
  return {
    operationId: operationIdOf('GET', def.url),
    summary: def.summary,
    tags: def.tags,
    ...(def.params ? { params: def.params } : {}),
    ...(def.querystring ? { querystring: def.querystring } : {}),
    response: { 200: def.response, ...errors },
    security: [],
    'x-quad-access': 'anyone (shared by every viewer, cached)',
    'x-quad-errors': [...statuses.values()].flat().sort(),
  }
}

/** Registers a GET route whose responses are shared by every viewer and served from the cache. */
export function publicRoute<P extends TSchema, Q extends TSchema, R extends TSchema>(
  app: FastifyInstance,
  def: PublicRouteDef<P, Q, R>,
): void {
  const route = `GET ${def.url}`
  app.get(
    def.url,
    {
      schema: cachedRouteSchema(def, ['VALIDATION_FAILED', 'NOT_FOUND', 'UNAVAILABLE', 'OVERLOADED']),
      config: { cachePolicy: def.cache, queryBudget: def.queryBudget },
    },
    async (req, reply) => {
      const { engine, ryw, db, events, frontDoor } = app.cacheDeps
      const params = (def.params ? req.params : {}) as PublicContext['params']
      // Only schema-declared params make a key: anything else was stripped by validation or is ignored.
      const declared = def.querystring ? req.query : {}
      const query = (def.normalize ? def.normalize(declared as never) : declared) as PublicContext['query']
      const serialize = (reply.getSerializationFunction('200') as ((v: unknown) => string) | undefined) ?? JSON.stringify
      const compute = (): Promise<FillResult> => computeResponse(req, def as never, params, query, db, serialize)
      const token = ryw.verify(req.cookies?.[RYW_COOKIE])
      if (def.share && !def.share(query as never, params as never)) {
        const r = await compute()
        const entry = await buildEntry(r.status, r.body, [], '', 0, 0, Date.now())
        events.served(route, 'uri-miss')
        return sendAnswer(req, reply, { entry, outcome: 'uri-miss', staleMs: 0 })
      }
      const precheck = def.exists
        ? async () => ((await def.exists!(params as never, { ryw: token })) ? null : notFoundResult())
        : undefined
      const key = cacheKey(def.url, params, query)
      const answer = await engine.get({ route, key, policy: def.cache, compute, ryw: token, precheck })
      if (token === null && answer.entry.meta.status === 200 && KEPT.has(answer.outcome)) {
        frontDoor.remember(req.url, def.url, async () => {
          const hit = await engine.peek(route, key, def.cache)
          return hit && { entry: hit.entry, cacheStatus: cacheStatus(hit) }
        })
      }
      return sendAnswer(req, reply, answer)
    },
  )
}

/** Outcomes after which the entry sits in this instance's L1 (the front door can answer it). */
const KEPT = new Set<CacheAnswer['outcome']>(['hit-l1', 'hit-l2', 'hit-memory', 'miss', 'collapsed', 'stale-refresh'])

const notFoundResult = (): FillResult => ({
  status: 404,
  body: Buffer.from(JSON.stringify({ error: { code: 'NOT_FOUND', message: 'Not found' } })),
  deps: [],
  hardUntil: 0,
  store: false,
})

async function computeResponse(
  req: FastifyRequest,
  def: PublicRouteDef<TSchema, TSchema, TSchema>,
  params: unknown,
  query: unknown,
  db: PublicContext['db'],
  serialize: (v: unknown) => string,
): Promise<FillResult> {
  const scope = newScope()
  const deps = new Set<string>()
  scope.deps = { add: (d) => deps.add(d) }
  let hardUntil = 0
  const ctx: PublicContext = {
    params,
    query,
    db,
    now: new Date(),
    validUntil(at) {
      if (!at) return
      const t = typeof at === 'string' ? Date.parse(at) : at.getTime()
      if (Number.isFinite(t) && (hardUntil === 0 || t < hardUntil)) hardUntil = t
    },
    depend: (key) => deps.add(key),
  }
  try {
    const value = await runInScope(scope, () => def.handler(ctx as never))
    return { status: 200, body: Buffer.from(serialize(value)), deps: [...deps], hardUntil }
  } catch (err) {
    // "Not found" is answered but never stored: unknown ids must not mint shared entries.
    if (err instanceof AppError && err.status === 404) {
      const body = JSON.stringify({ error: { code: err.code, message: err.message } })
      return { status: 404, body: Buffer.from(body), deps: [...deps], hardUntil, store: false }
    }
    throw err
  } finally {
    req.dbScope.queries += scope.queries
    req.dbScope.dbMs += scope.dbMs
  }
}

/** Stable key: the route plus its validated (allow-listed, coerced) params and query. */
export function cacheKey(url: string, params: unknown, query: unknown): string {
  return `${url}?${stable(params)}&${stable(query)}`
}

function stable(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? ''
  if (Array.isArray(v)) return `[${v.map(stable).join(',')}]`
  const o = v as Record<string, unknown>
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${stable(o[k])}`)
    .join(',')}}`
}

export function cacheStatus(a: CacheAnswer): string {
  // RFC 9211 ttl is whole seconds; a stale copy is at least one second past freshness.
  const ttl = `; ttl=-${Math.max(1, Math.ceil(a.staleMs / 1000))}`
  const detail = a.detail ? `; detail="${a.detail}"` : ''
  switch (a.outcome) {
    case 'hit-l1':
      return 'quad; hit; detail="l1"'
    case 'hit-l2':
      return 'quad; hit; detail="l2"'
    case 'hit-memory':
      return 'quad; hit; detail="memory"'
    case 'stale-served':
    case 'grace':
      return `quad; hit${ttl}${detail}`
    case 'miss':
      return 'quad; fwd=miss; stored'
    case 'collapsed':
      return 'quad; fwd=miss; collapsed'
    case 'stale-refresh':
      return 'quad; fwd=stale; stored'
    case 'bypass':
      return `quad; fwd=bypass${detail}`
    case 'hit-view':
      return 'quad; hit; detail="view"'
    case 'computed':
      return 'quad; fwd=miss; stored; detail="view"'
    case 'uri-miss':
      return 'quad; fwd=uri-miss'
  }
}

/** Sends cached bytes: status, Cache-Status, ETag (304 on a match), the best accepted encoding. */
export function sendAnswer(req: FastifyRequest, reply: FastifyReply, a: CacheAnswer) {
  const { meta } = a.entry
  reply.header('cache-status', cacheStatus(a))
  reply.header('etag', meta.etag)
  reply.header('vary', 'accept-encoding')
  reply.header('cache-control', 'public, no-cache')
  reply.header('server-timing', serverTiming(req))
  const inm = req.headers['if-none-match']
  if (inm && meta.status === 200 && etagMatches(inm, meta.etag)) return reply.code(304).send()
  const enc = pickEncoding(req.headers['accept-encoding'])
  reply.code(meta.status).header('content-type', 'application/json; charset=utf-8')
  if (enc === 'br') return reply.header('content-encoding', 'br').send(a.entry.br)
  if (enc === 'gz') return reply.header('content-encoding', 'gzip').send(a.entry.gz)
  return reply.send(a.entry.raw)
}
