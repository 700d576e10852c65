import { timingSafeEqual } from 'node:crypto'
import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import { fail } from '../errors.js'
import { privateRoute } from '../http/private-route.js'
import { readiness } from './health.js'
import { OpsSummary, opsSummary } from './summary.js'

/** Query budgets: the summary reads the viewer's session and nothing else. */
export const OPS_BUDGETS = { summary: 1 } as const

const Check = Type.Object({ ok: Type.Boolean(), ms: Type.Number(), error: Type.Optional(Type.String()) })
const ReadyResponse = Type.Object({
  status: Type.String(),
  checks: Type.Object({ database: Check, migrations: Check, redis: Type.Union([Check, Type.Null()]) }),
})

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

export async function opsRoutes(app: FastifyInstance) {
  const { runtime } = app
  const probe = { logLevel: 'warn' as const, schema: { hide: true } }

  app.get('/healthz', { ...probe, schema: { ...probe.schema, response: { 200: Type.Object({ status: Type.String() }) } } }, async (_req, reply) => {
    reply.header('cache-control', 'no-store')
    return { status: 'alive' }
  })

  app.get('/readyz', { ...probe, schema: { ...probe.schema, response: { 200: ReadyResponse, 503: ReadyResponse } } }, async (_req, reply) => {
    const r = await readiness(runtime)
    reply.header('cache-control', 'no-store')
    if (r.status !== 'ready') reply.header('retry-after', '5')
    return reply.code(r.status === 'ready' ? 200 : 503).send(r)
  })

  app.get('/metrics', probe, async (req, reply) => {
    const token = runtime.config.ops.metricsToken
    if (token) {
      const auth = req.headers.authorization ?? ''
      if (!auth.startsWith('Bearer ') || !sameToken(auth.slice(7), token)) {
        throw fail('UNAUTHENTICATED', 'Send Authorization: Bearer <QUAD_METRICS_TOKEN>')
      }
    }
    reply.header('content-type', runtime.ops.metrics.contentType).header('cache-control', 'no-store')
    return runtime.ops.metrics.text()
  })

  privateRoute(app, {
    method: 'GET',
    url: '/api/admin/ops',
    summary: 'Operations summary of this instance: recent rates and latency percentiles, pools, cache, watchdog',
    tags: ['admin'],
    access: 'admin',
    response: OpsSummary,
    queryBudget: OPS_BUDGETS.summary,
    errors: [],
    handler: async () => opsSummary(runtime),
  })
}
