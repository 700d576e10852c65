import fp from 'fastify-plugin'
import nodemailer from 'nodemailer'
import { mailRoutes } from './mail.routes.js'
import { OutboxSender } from './sender.js'

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
  const { log } = app.runtime
  const { db, write } = app.privateDeps
  const cfg = app.runtime.config.mail
  const sender = cfg.smtpUrl
    ? new OutboxSender({
        db,
        write,
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

  mailRoutes(app, sender !== null)
})
