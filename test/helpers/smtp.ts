import { simpleParser } from 'mailparser'
import { SMTPServer } from 'smtp-server'
import { freePort } from './services.js'

export interface ReceivedMail {
  from: string
  to: string[]
  subject: string
  text: string
  messageId: string
  kind: string
}

/** A local SMTP server that keeps what it receives; failNext(n) answers the next n messages with 451. */
export interface SmtpSink {
  url: string
  messages: ReceivedMail[]
  failNext(n: number): void
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedMail[]>
  close(): Promise<void>
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const messages: ReceivedMail[] = []
  let failures = 0
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        if (failures > 0) {
          failures--
          const err = Object.assign(new Error('Try again later'), { responseCode: 451 })
          return callback(err)
        }
        simpleParser(Buffer.concat(chunks))
          .then((m) => {
            messages.push({
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((r) => r.address),
              subject: m.subject ?? '',
              text: m.text ?? '',
              messageId: m.messageId ?? '',
              kind: String(m.headers.get('x-quad-kind') ?? ''),
            })
            callback()
          })
          .catch(callback)
      })
    },
  })
  const port = await freePort()
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolve())
  })
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    failNext(n) {
      failures = n
    },
    async waitFor(count, timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs
      while (messages.length < count) {
        if (Date.now() > until) throw new Error(`SMTP sink got ${messages.length} of ${count} messages`)
        await new Promise((r) => setTimeout(r, 25))
      }
      return messages
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
