import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions, LogController } from 'fastify'
import type { Config } from '../config.js'
import { OverloadedError } from './admission.js'
import { budgetMessage, failOverBudget, overBudget, trackRoutes } from './budget.js'
import { runInRequest } from './context.js'

export const REQUEST_ID_HEADER = 'x-request-id'
// Ids from a proxy or client are kept when they are short and plain (they end up in logs).
const SANE_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/

export function requestId(raw: IncomingMessage): string {
  const given = raw.headers[REQUEST_ID_HEADER]
  return typeof given === 'string' && SANE_ID.test(given) ? given : randomUUID()
}

const routeOf = (req: FastifyRequest) => req.routeOptions.url ?? '(unmatched)'

/** One structured line per finished request (instead of Fastify's two), warn when slow. */
class AccessLog extends LogController {
  constructor(private readonly slowMs: number) {
    super()
  }

  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, req: FastifyRequest, reply: FastifyReply): void {
    const ms = reply.elapsedTime
    const line = {
      method: req.method,
      url: req.url,
      route: routeOf(req),
      status: reply.statusCode,
      ms: Math.round(ms * 10) / 10,
      queries: req.dbScope?.queries ?? 0,
      dbMs: Math.round((req.dbScope?.dbMs ?? 0) * 10) / 10,
      cache: reply.getHeader('cache-status'),
    }
    if (error) reply.log.error({ ...line, err: error }, 'request errored')
    else if (ms > this.slowMs) reply.log.warn(line, 'slow request')
    else reply.log.info(line, 'request completed')
  }
}

/** Fastify constructor options: request ids and the access log. */
export function opsServerOptions(config: Config): Pick<FastifyServerOptions, 'genReqId' | 'logController'> {
  return { genReqId: requestId, logController: new AccessLog(config.ops.slowRequestMs) }
}

/**
 * Request-level operations, registered before the feature modules: request id header, request
 * context for logs, the query budget guard, and per-route metrics.
 */
export function registerOps(app: FastifyInstance): void {
  const { config, ops } = app.runtime
  trackRoutes(app)

  app.addHook('onRequest', (req, reply, done) => {
    reply.header(REQUEST_ID_HEADER, req.id)
    runInRequest({ id: req.id, route: routeOf(req), log: req.log }, done)
  })

  // Runs before the cache's onSend, so it sees the same count as Server-Timing.
  app.addHook('onSend', async (req, reply, payload) => {
    // Draining: a kept-alive connection would hold the shutdown open after its last response.
    if (ops.shuttingDown) reply.header('connection', 'close')
    const verdict = overBudget(req)
    if (!verdict) return payload
    ops.metrics.budgetExceeded.inc({ route: verdict.route })
    if (config.env === 'test') {
      req.log.error(verdict, budgetMessage(verdict))
      return failOverBudget(reply, verdict)
    }
    if (config.env === 'development') req.log.warn(verdict, budgetMessage(verdict))
    return payload
  })

  app.addHook('onError', async (_req, _reply, err) => {
    if (err instanceof OverloadedError) ops.window.shed(`${_req.method} ${routeOf(_req)}`)
  })

  app.addHook('onResponse', async (req, reply) => {
    const route = routeOf(req)
    const ms = reply.elapsedTime
    const queries = req.dbScope?.queries ?? 0
    const status = reply.statusCode
    ops.metrics.httpDuration.observe([req.method, route], ms / 1000)
    ops.metrics.httpRequests.inc([req.method, route, status])
    ops.metrics.queriesPerRequest.observe([route], queries)
    if (ms > config.ops.slowRequestMs) {
      ops.metrics.slowRequests.inc({ route })
      ops.window.count('slow_requests')
    }
    ops.window.request(`${req.method} ${route}`, status, ms, queries)
  })
}
