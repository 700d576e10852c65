import { type Static, Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import { DateTime, ErrorResponse } from '../../http/schemas.js'
import { requireUser } from '../auth/guard.js'
import { CodeParams } from '../membership/membership.schema.js'
import { type FollowKind, setFollow, subscribers, toCsv } from './follows.service.js'

/**
 * Query budgets: lists are session + club + role + list; a follow is session + club + one
 * transaction (begin, insert or delete, own-outbox read, commit).
 */
export const FOLLOW_BUDGETS = { follow: 6, subscribers: 4, export: 4 } as const

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse }
const Subscriber = Type.Object({ user_id: Type.Integer(), name: Type.String(), email: Type.String(), subscribed_at: DateTime })
type P = Static<typeof CodeParams>

export async function followRoutes(app: FastifyInstance) {
  const rt = app.runtime
  const routes: [FollowKind, string, string][] = [
    ['bookmarks', 'bookmark', 'bookmarked'],
    ['subscriptions', 'subscription', 'subscribed'],
  ]
  for (const [kind, path, flag] of routes) {
    const response = { 200: Type.Object({ club: Type.String(), [flag]: Type.Boolean() }), ...errors }
    for (const on of [true, false]) {
      app.route<{ Params: P }>({
        method: on ? 'PUT' : 'DELETE',
        url: `/api/clubs/:code/${path}`,
        config: { queryBudget: FOLLOW_BUDGETS.follow },
        schema: { summary: `${on ? 'Add' : 'Remove'} a ${path} (idempotent)`, tags: ['follows'], params: CodeParams, response },
        handler: async (req, reply) => {
          const user = await requireUser(req)
          reply.header('cache-control', 'private, no-store')
          return setFollow(rt, user, req.params.code, kind, on)
        },
      })
    }
  }

  app.get<{ Params: P }>(
    '/api/clubs/:code/subscribers',
    { config: { queryBudget: FOLLOW_BUDGETS.subscribers }, schema: { summary: "A club's subscribers (officers)", tags: ['follows'], params: CodeParams, response: { 200: Type.Object({ subscribers: Type.Array(Subscriber) }), ...errors } } },
    async (req, reply) => {
      reply.header('cache-control', 'private, no-store')
      return { subscribers: await subscribers(rt.db, await requireUser(req), req.params.code) }
    },
  )
  app.get<{ Params: P }>(
    '/api/clubs/:code/subscribers/export',
    { config: { queryBudget: FOLLOW_BUDGETS.export }, schema: { summary: "A club's subscribers as CSV (officers)", tags: ['follows'], params: CodeParams, produces: ['text/csv'], response: { 200: Type.String(), ...errors } } },
    async (req, reply) => {
      const rows = await subscribers(rt.db, await requireUser(req), req.params.code)
      const csv = toCsv(['name', 'email', 'subscribed_at'], rows.map((r) => [r.name, r.email, r.subscribed_at]))
      return reply
        .header('cache-control', 'private, no-store')
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${req.params.code}-subscribers.csv"`)
        .send(csv)
    },
  )
}
