import type { FastifyInstance } from 'fastify'
import { privateRoute } from '../../http/private-route.js'
import { OutboxSummary } from './mail.schema.js'
import { outboxSummary } from './mail.service.js'

/** Query budgets: the outbox summary is session + one grouped count. */
export const MAIL_BUDGETS = { outbox: 2 } as const

/** The mail routes; `enabled` says whether this instance runs a sender. */
export function mailRoutes(app: FastifyInstance, enabled: boolean): void {
  privateRoute(app, {
    method: 'GET',
    url: '/api/admin/outbox',
    summary: 'Administrators: outgoing mail by state',
    tags: ['mail'],
    access: 'admin',
    response: OutboxSummary,
    queryBudget: MAIL_BUDGETS.outbox,
    errors: [],
    handler: ({ db }) => outboxSummary(db, enabled),
  })
}
