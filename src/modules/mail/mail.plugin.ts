import fp from 'fastify-plugin'
import nodemailer from 'nodemailer'
import { requireAdmin } from '../auth/guard.js'
import { counts } from './outbox.repository.js'
import { OutboxSender } from './sender.js'

/** Query budgets: the outbox summary is session + one grouped count. */
export const MAIL_BUDGETS = { outbox: 2 } as const

declare module 'fastify' {
  interface FastifyInstance {
    /** The outgoing mail queue: wake() after queueing; drain() sends what is due now. */
    mail: { wake(): void; drain(): Promise<{ sent: number; failed: number }>; enabled: boolean }
  }
}

/**
 * Runs the outbox sender when QUAD_SMTP_URL is set (every instance may run one; they share the
 * queue). Without it mail stays queued, durable, until a configured instance starts.
 */
export const mailPlugin = fp(async (app) => {
  const { config, log } = app.runtime
  const cfg = config.mail
  const sender = cfg.smtpUrl
    ? new OutboxSender({
        runtime: app.runtime,
        transport: nodemailer.createTransport({ url: cfg.smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 }),
        from: cfg.from,
        log,
        pollMs: cfg.pollMs,
        retryBaseMs: cfg.retryBaseMs,
        maxAttempts: cfg.maxAttempts,
      })
    : null
  if (!sender) log.info('QUAD_SMTP_URL is not set: emails stay queued in the outbox')
  app.decorate('mail', {
    enabled: sender !== null,
    wake: () => sender?.wake(),
    drain: async () => (sender ? sender.drain() : { sent: 0, failed: 0 }),
  })
  app.addHook('onReady', async () => sender?.start())
  app.addHook('onClose', async () => sender?.stop())

  app.get(
    '/api/admin/outbox',
    {
      config: { queryBudget: MAIL_BUDGETS.outbox },
      schema: {
        summary: 'Administrators: outgoing mail by state',
        tags: ['mail'],
        response: {
          200: {
            type: 'object',
            properties: {
              enabled: { type: 'boolean' },
              queued: { type: 'integer' },
              sending: { type: 'integer' },
              sent: { type: 'integer' },
              failed: { type: 'integer' },
            },
          },
        },
      },
    },
    async (req, reply) => {
      await requireAdmin(req)
      reply.header('cache-control', 'private, no-store')
      return { enabled: sender !== null, ...(await counts(app.runtime.db)) }
    },
  )
})
