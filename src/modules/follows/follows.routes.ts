import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import { clubOfficer } from '../../http/access.js'
import { toCsv } from '../../http/csv.js'
import { CodeParams } from '../../http/params.js'
import { privateRoute } from '../../http/private-route.js'
import { Bookmarked, Subscribed, SubscriberList } from './follows.schema.js'
import { setFollow, subscribers } from './follows.service.js'

/**
 * Query budgets: lists are session + club + role + list; a follow is session (the first time an
 * instance sees it) + club + one statement + its own-outbox read (see writeOne).
 */
export const FOLLOW_BUDGETS = { follow: 4, subscribers: 4, export: 4 } as const

export async function followRoutes(app: FastifyInstance) {
  const { db, writeOne } = app.privateDeps
  const tags = ['follows']

  for (const on of [true, false]) {
    const verb = on ? 'Add' : 'Remove'
    privateRoute(app, {
      method: on ? 'PUT' : 'DELETE',
      url: '/api/clubs/:code/bookmark',
      summary: `${verb} a bookmark (idempotent)`,
      tags,
      access: 'user',
      params: CodeParams,
      response: Bookmarked,
      queryBudget: FOLLOW_BUDGETS.follow,
      errors: ['NOT_FOUND'],
      async handler({ viewer, params }) {
        await setFollow({ db, writeOne }, viewer, params.code, 'bookmarks', on)
        return { club: params.code, bookmarked: on }
      },
    })
    privateRoute(app, {
      method: on ? 'PUT' : 'DELETE',
      url: '/api/clubs/:code/subscription',
      summary: `${verb} a subscription to the club's news (idempotent)`,
      tags,
      access: 'user',
      params: CodeParams,
      response: Subscribed,
      queryBudget: FOLLOW_BUDGETS.follow,
      errors: ['NOT_FOUND'],
      async handler({ viewer, params }) {
        await setFollow({ db, writeOne }, viewer, params.code, 'subscriptions', on)
        return { club: params.code, subscribed: on }
      },
    })
  }

  privateRoute(app, {
    method: 'GET',
    url: '/api/clubs/:code/subscribers',
    summary: "A club's subscribers (officers)",
    tags,
    access: clubOfficer(),
    params: CodeParams,
    response: SubscriberList,
    queryBudget: FOLLOW_BUDGETS.subscribers,
    errors: [],
    async handler({ db: read, grant }) {
      return { subscribers: await subscribers(read, grant.clubId) }
    },
  })
  privateRoute(app, {
    method: 'GET',
    url: '/api/clubs/:code/subscribers/export',
    summary: "A club's subscribers as CSV (officers)",
    tags,
    access: clubOfficer(),
    params: CodeParams,
    response: Type.String(),
    produces: 'text/csv',
    queryBudget: FOLLOW_BUDGETS.export,
    errors: [],
    async handler({ db: read, grant, params, reply }) {
      const rows = await subscribers(read, grant.clubId)
      const csv = toCsv(['name', 'email', 'subscribed_at'], rows.map((r) => [r.name, r.email, r.subscribed_at]))
      return reply.send('text/csv; charset=utf-8', csv, { filename: `${params.code}-subscribers.csv` })
    },
  })
}
