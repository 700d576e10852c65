import { sql } from 'kysely'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createTestEnv, type QuadInstance, type TestEnv } from '../../../test/helpers/quad.js'
import { freePort } from '../../../test/helpers/services.js'
import { Client } from '../../../test/helpers/session.js'
import { type SmtpSink, startSmtpSink } from '../../../test/helpers/smtp.js'
import { DEMO_PASSWORD } from '../../seed/generate.js'

describe('the mail outbox sender', () => {
  let env: TestEnv
  let sink: SmtpSink
  const running: QuadInstance[] = []
  let n = 0

  const start = async (extra: Record<string, string> = {}) => {
    const inst = await env.start({ env: { QUAD_SMTP_URL: sink.url, QUAD_MAIL_POLL_MS: '30', QUAD_MAIL_RETRY_BASE_MS: '10', ...extra } })
    running.push(inst)
    return inst
  }
  /** Rows another module (e.g. invitations) puts in the outbox. */
  const enqueue = async (inst: QuadInstance, count: number, kind = 'invite') => {
    const rows = Array.from({ length: count }, () => ({ kind, to_email: `person${++n}@example.edu`, subject: `Invitation ${n}`, body: `Hello ${n}`, dedupe_key: `test:${n}` }))
    const ids = await inst.runtime.write((trx) => trx.insertInto('email_outbox').values(rows).returning('id').execute())
    inst.app.mail.wake()
    return ids.map((r) => r.id)
  }
  const rows = (inst: QuadInstance, ids: number[]) => inst.runtime.db.selectFrom('email_outbox').where('id', 'in', ids).selectAll().orderBy('id').execute()

  beforeAll(async () => {
    sink = await startSmtpSink()
    env = await createTestEnv('postgres', { seed: 'demo' })
  })
  afterEach(async () => {
    for (const i of running.splice(0)) await i.close()
    sink.messages.length = 0
  })
  afterAll(async () => {
    await env?.close()
    await sink?.close()
  })

  it('sends rows other modules queue, and records them as sent', async () => {
    const inst = await start()
    const ids = await enqueue(inst, 3)
    const got = await sink.waitFor(3)
    expect(got.map((m) => m.subject).sort()).toEqual((await rows(inst, ids)).map((r) => r.subject).sort())
    expect(got.every((m) => m.kind === 'invite' && m.from === 'no-reply@quad.local')).toBe(true)
    await expect.poll(async () => (await rows(inst, ids)).map((r) => r.status)).toEqual(['sent', 'sent', 'sent'])
    expect((await rows(inst, ids)).every((r) => r.attempts === 1 && r.sent_at !== null)).toBe(true)
    const admin = await new Client(inst.app).login('admin@quad.local', DEMO_PASSWORD)
    expect((await admin.get('/api/admin/outbox')).json()).toMatchObject({ enabled: true, sent: expect.any(Number) })
  })

  it('retries a temporary SMTP failure until it goes through', async () => {
    const inst = await start()
    sink.failNext(2)
    const [id] = await enqueue(inst, 1)
    await sink.waitFor(1)
    await expect.poll(async () => (await rows(inst, [id!]))[0]!.status).toBe('sent')
    const [row] = await rows(inst, [id!])
    expect(row).toMatchObject({ attempts: 3, status: 'sent' })
    expect(sink.messages).toHaveLength(1)
  })

  it('gives up after the last attempt, keeping the error', async () => {
    const inst = await start({ QUAD_MAIL_MAX_ATTEMPTS: '2' })
    sink.failNext(5)
    const [id] = await enqueue(inst, 1)
    await expect.poll(async () => (await rows(inst, [id!]))[0]!.status, { timeout: 5000 }).toBe('failed')
    const [row] = await rows(inst, [id!])
    expect(row!.attempts).toBe(2)
    expect(row!.last_error).toMatch(/451|Try again/)
    sink.failNext(0)
  })

  it('keeps mail queued while SMTP is unreachable, and sends it later', async () => {
    const down = await start({ QUAD_SMTP_URL: `smtp://127.0.0.1:${await freePort()}`, QUAD_MAIL_RETRY_BASE_MS: '60000' })
    const ids = await enqueue(down, 2)
    await expect.poll(async () => (await rows(down, ids)).map((r) => r.status), { timeout: 15_000 }).toEqual(['queued', 'queued'])
    await expect.poll(async () => (await rows(down, ids)).every((r) => r.last_error !== null && r.attempts === 1), { timeout: 15_000 }).toBe(true)
    await down.close()
    running.splice(running.indexOf(down), 1)
    // SMTP is back and the back-off has run out: an instance that reaches it sends the mail.
    const up = await start()
    await up.runtime.db.updateTable('email_outbox').set({ next_attempt_at: sql`now()` }).where('id', 'in', ids).execute()
    up.app.mail.wake()
    await sink.waitFor(2)
    await expect.poll(async () => (await rows(up, ids)).map((r) => r.status)).toEqual(['sent', 'sent'])
  })

  it('takes over rows whose sender died mid-send', async () => {
    const inst = await start()
    const [id] = await inst.runtime.write((trx) =>
      trx
        .insertInto('email_outbox')
        .values({ kind: 'invite', to_email: 'orphan@example.edu', subject: 'Orphan', body: 'Left behind', status: 'sending', attempts: 1, next_attempt_at: sql`now() - interval '1 second'` })
        .returning('id')
        .execute(),
    )
    inst.app.mail.wake()
    await sink.waitFor(1)
    expect(sink.messages[0]!.subject).toBe('Orphan')
    await expect.poll(async () => (await rows(inst, [id!.id]))[0]!.status).toBe('sent')
  })

  it('shares the queue between instances without sending anything twice', async () => {
    const one = await start()
    const two = await start()
    expect(one.runtime).not.toBe(two.runtime)
    const ids = [...(await enqueue(one, 25)), ...(await enqueue(two, 25))]
    await sink.waitFor(50, 20_000)
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(sink.messages).toHaveLength(50)
    expect(new Set(sink.messages.map((m) => m.messageId)).size).toBe(50)
    await expect.poll(async () => (await rows(one, ids)).filter((r) => r.status === 'sent').length).toBe(50)
    expect((await rows(one, ids)).every((r) => r.attempts === 1)).toBe(true)
  })
})
