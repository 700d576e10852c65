import http, { type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http'
import { LRUCache } from 'lru-cache'
import { type Entry, pickEncoding } from '../cache/entry.js'
import { RYW_COOKIE } from '../cache/ryw.js'
import { requestId, REQUEST_ID_HEADER } from '../ops/http.js'
import type { OpsMetrics } from '../ops/metrics.js'
import type { TrafficWindow } from '../ops/window.js'

/** A cached answer the front door can send as it is. */
export interface FrontAnswer {
  entry: Entry
  cacheStatus: string
  /** Statements the answer took (a derived view that synced one item on the way). */
  queries?: number
  dbMs?: number
}

/** Answers a remembered URL from memory if it is current, or null to take the full path. */
export type FrontResolve = () => Promise<FrontAnswer | null>

export interface FrontDoorDeps {
  securityHeaders: Readonly<Record<string, string>>
  metrics: Pick<OpsMetrics, 'httpDuration' | 'httpRequests' | 'queriesPerRequest' | 'shedOne'>
  window: Pick<TrafficWindow, 'request'>
  /** While draining, every request takes the full path (it closes kept-alive connections). */
  shuttingDown(): boolean
  /** The process is saturated: what is not a cache hit is refused rather than queued. */
  overloaded(): boolean
}

const OVERLOADED_BODY = Buffer.from(JSON.stringify({ error: { code: 'OVERLOADED', message: 'The server is busy; retry shortly' } }))

const RYW_MARK = `${RYW_COOKIE}=`

/**
 * Cache hits served before the framework: a GET of a URL that a cached route answered from a
 * stored entry before is looked up by its exact text (the same text validates to the same key), its
 * entry is checked current exactly as the route would (the coalesced clock read, the change log),
 * and status, headers and stored bytes are written. Anything else — a new URL, a stale or missing
 * entry, a read-your-writes cookie, an error — goes to Fastify unchanged. The answer is the same
 * bytes and headers the route sends (Cache-Status, ETag/304, Server-Timing, request id, security
 * headers); metrics count it; the access log does not list it line by line.
 */
export class FrontDoor {
  /** Paths never refused for overload (health probes, the submit that beats a deadline). */
  private readonly protectedPaths: RegExp[] = [/^\/(healthz|readyz|metrics)(\?|$)/]
  private readonly index = new LRUCache<string, { route: string; resolve: FrontResolve }>({ max: 20_000 })
  /** Requests answered here (tests and the bench read it). */
  served = 0

  constructor(private readonly deps: FrontDoorDeps) {}

  /** Called by a cached route after it answered `url` from a stored entry. */
  remember(url: string, route: string, resolve: FrontResolve): void {
    if (!this.index.has(url)) this.index.set(url, { route, resolve })
  }

  /** Requests to matching paths are never refused for overload. */
  protect(path: RegExp): void {
    this.protectedPaths.push(path)
  }

  /** The HTTP server, with Fastify's handler behind the front door. */
  server(fallback: (req: IncomingMessage, res: ServerResponse) => void): http.Server {
    const server = http.createServer((req, res) => {
      const known = req.method === 'GET' && !this.deps.shuttingDown() ? this.index.get(req.url ?? '') : undefined
      if (!known || req.headers.cookie?.includes(RYW_MARK)) return this.pass(req, res, fallback)
      const t0 = performance.now()
      known.resolve().then(
        (a) => (a ? this.send(req, res, known.route, a, t0) : this.pass(req, res, fallback)),
        () => this.pass(req, res, fallback),
      )
    })
    // Fastify's own default (it does not set it on a server it is given).
    server.keepAliveTimeout = 72_000
    return server
  }

  /** To the routes, unless the process is saturated: then a 503 costs less than a queued request. */
  private pass(req: IncomingMessage, res: ServerResponse, fallback: (req: IncomingMessage, res: ServerResponse) => void): void {
    const url = req.url ?? ''
    if (!this.deps.overloaded() || this.protectedPaths.some((p) => p.test(url))) return fallback(req, res)
    res.writeHead(503, {
      ...this.deps.securityHeaders,
      [REQUEST_ID_HEADER]: requestId(req),
      'retry-after': '1',
      'cache-control': 'no-store',
      'content-type': 'application/json; charset=utf-8',
      'content-length': OVERLOADED_BODY.length,
    })
    res.end(OVERLOADED_BODY)
    this.deps.metrics.shedOne('cpu', 'event_loop')
    this.deps.metrics.httpRequests.inc([req.method ?? '', '(shed)', 503])
    this.deps.window.request(`${req.method} (shed)`, 503, 0, 0)
  }

  private send(req: IncomingMessage, res: ServerResponse, route: string, a: FrontAnswer, t0: number): void {
    const { meta } = a.entry
    const queries = a.queries ?? 0
    const headers: OutgoingHttpHeaders = {
      ...this.deps.securityHeaders,
      [REQUEST_ID_HEADER]: requestId(req),
      'cache-status': a.cacheStatus,
      etag: meta.etag,
      vary: 'accept-encoding',
      'cache-control': 'public, no-cache',
      'server-timing': `db;dur=${(a.dbMs ?? 0).toFixed(1)};desc="${queries} queries", total;dur=${(performance.now() - t0).toFixed(1)}`,
    }
    let status = meta.status
    const inm = req.headers['if-none-match']
    if (inm && status === 200 && etagMatches(inm, meta.etag)) {
      status = 304
      res.writeHead(304, headers).end()
    } else {
      const enc = pickEncoding(req.headers['accept-encoding'])
      const body = enc === 'br' ? a.entry.br : enc === 'gz' ? a.entry.gz : a.entry.raw
      headers['content-type'] = 'application/json; charset=utf-8'
      if (enc !== 'raw') headers['content-encoding'] = enc === 'br' ? 'br' : 'gzip'
      headers['content-length'] = body.length
      res.writeHead(status, headers).end(body)
    }
    this.served++
    const ms = performance.now() - t0
    const { metrics, window } = this.deps
    metrics.httpDuration.observe(['GET', route], ms / 1000)
    metrics.httpRequests.inc(['GET', route, status])
    metrics.queriesPerRequest.observe([route], queries)
    window.request(`GET ${route}`, status, ms, queries)
  }
}

export function etagMatches(header: string, etag: string): boolean {
  if (header.trim() === '*') return true
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)
}
