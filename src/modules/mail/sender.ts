import type { Logger } from 'pino'
import type { Transporter } from 'nodemailer'
import type { QuadDb } from '../../db/database.js'
import { outsideScope } from '../../db/scope.js'
import type { Trx } from '../../db/write.js'
import * as repo from './outbox.repository.js'

export interface SenderOptions {
  db: QuadDb
  write<T>(fn: (trx: Trx) => Promise<T>): Promise<T>
  transport: Transporter
  from: string
  log: Logger
  pollMs: number
  retryBaseMs: number
  maxAttempts: number
  batch?: number
  /** How long a claimed row is ours before another sender may take it over. */
  leaseMs?: number
}

const MAX_BACKOFF_MS = 60 * 60_000

/**
 * Drains the durable email_outbox over SMTP: claims due rows, sends each, records the outcome.
 * Failures retry with exponential back-off until maxAttempts. Mail is sent at least once: a
 * crash between the SMTP answer and the commit sends that row again when its lease lapses.
 */
export class OutboxSender {
  private timer: NodeJS.Timeout | null = null
  private running: Promise<void> | null = null
  private again = false
  private stopped = true

  constructor(private readonly o: SenderOptions) {}

  start(): void {
    this.stopped = false
    this.schedule(0)
  }

  /** Something was queued: look now instead of at the next poll. */
  wake(): void {
    if (this.stopped) return
    if (this.running) this.again = true
    else this.schedule(0)
  }

  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    await this.running
    this.o.transport.close()
  }

  /** Sends every due row (used by the loop, and by tests and scripts that want it done now). */
  async drain(): Promise<{ sent: number; failed: number }> {
    let sent = 0
    let failed = 0
    for (;;) {
      const rows = await repo.claimDue(this.o.db, this.o.batch ?? 20, this.o.leaseMs ?? 5 * 60_000)
      if (!rows.length) return { sent, failed }
      for (const row of rows) {
        if (await this.sendOne(row)) sent++
        else failed++
      }
    }
  }

  private async sendOne(row: repo.Claimed): Promise<boolean> {
    try {
      await this.o.transport.sendMail({
        from: this.o.from,
        to: row.to_email,
        subject: row.subject,
        text: row.body,
        messageId: `<outbox-${row.id}@quad>`,
        headers: { 'X-Quad-Kind': row.kind },
      })
    } catch (err) {
      const wait = Math.min(this.o.retryBaseMs * 2 ** (row.attempts - 1), MAX_BACKOFF_MS)
      const status = await this.o.write((trx) => repo.markFailed(trx, row, (err as Error).message ?? String(err), wait, this.o.maxAttempts))
      this.o.log.warn({ err, outboxId: row.id, attempts: row.attempts, status }, 'email not sent')
      return false
    }
    await this.o.write((trx) => repo.markSent(trx, row))
    return true
  }

  private schedule(ms: number): void {
    if (this.stopped) return
    if (this.timer) clearTimeout(this.timer)
    // Background work: a wake() from a request must not run the drain in that request's query scope.
    this.timer = outsideScope(() => setTimeout(() => this.tick(), ms))
    this.timer.unref()
  }

  private tick(): void {
    this.timer = null
    if (this.running || this.stopped) return
    this.running = this.drain()
      .then(() => undefined)
      .catch((err) => this.o.log.warn({ err }, 'mail outbox drain failed'))
      .finally(() => {
        this.running = null
        const soon = this.again
        this.again = false
        this.schedule(soon ? 0 : this.o.pollMs)
      })
  }
}
