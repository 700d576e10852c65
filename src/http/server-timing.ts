import type { FastifyInstance, FastifyRequest } from 'fastify'
import { type DbScope, newScope, runInScope } from '../db/scope.js'

declare module 'fastify' {
  interface FastifyRequest {
    dbScope: DbScope
    startedAt: number
  }
}

/**
 * Every request runs in its own database scope so queries are counted and timed, and reports
 * `Server-Timing: db;dur=..;desc="N queries", total;dur=..`.
 */
export function registerServerTiming(app: FastifyInstance): void {
  app.decorateRequest('dbScope', null as unknown as DbScope)
  app.decorateRequest('startedAt', 0)
  app.decorateRequest('receivedAt', null as unknown as Date)
  app.addHook('onRequest', (req, _reply, done) => {
    req.startedAt = performance.now()
    req.receivedAt = new Date()
    req.dbScope = newScope()
    runInScope(req.dbScope, done)
  })
  app.addHook('onSend', async (req, reply, payload) => {
    if (!reply.hasHeader('server-timing')) reply.header('server-timing', serverTiming(req))
    return payload
  })
}

export function serverTiming(req: FastifyRequest, extra = ''): string {
  const s = req.dbScope
  const total = performance.now() - req.startedAt
  const db = s ? `db;dur=${s.dbMs.toFixed(1)};desc="${s.queries} queries"` : 'db;dur=0;desc="0 queries"'
  return `${db}, ${extra ? `${extra}, ` : ''}total;dur=${total.toFixed(1)}`
}
