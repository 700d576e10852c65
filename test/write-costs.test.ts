import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ThrowawayRedis } from '../bench/services.js'
import { DEMO_PASSWORD } from '../src/seed/generate.js'
import { DAY, completeProfiles, goodAnswers, type Built, buildApplication, iso, officerClub, userId } from './helpers/applications.js'
import { queryCount } from './helpers/http.js'
import { createTestEnv, type QuadInstance, type TestEnv } from './helpers/quad.js'
import { Client } from './helpers/session.js'

/**
 * What a deadline-day request costs once its instance knows the session and the form: database
 * statements (BEGIN and COMMIT included) and Redis commands. The route budgets also cover the
 * first request of a session on an instance; these are the costs of every request after it.
 */
const STEADY = { autosave: 2, submit: 4, overlay: 2, bookmark: 3, start: 3 } as const
const AUTOSAVE_REDIS_COMMANDS = 1

describe('steady-state cost of the deadline-day writes', () => {
  let redis: ThrowawayRedis
  let probe: Redis
  let env: TestEnv
  let q: QuadInstance
  let built: Built
  let student: Client
  let n = 0

  /** Commands Redis processed: the instance is the only client of this server besides `probe`. */
  const commands = async () => Number(/total_commands_processed:(\d+)/.exec(await probe.info('stats'))![1])

  beforeAll(async () => {
    redis = await ThrowawayRedis.start()
    probe = new Redis(redis.url, { lazyConnect: true })
    await probe.connect()
    env = await createTestEnv('postgres', { seed: 'demo' })
    q = await env.start({ env: { REDIS_URL: redis.url } })
    const officer = await new Client(q.app).login('officer@quad.local', DEMO_PASSWORD)
    const club = await officerClub(q.runtime, 2)
    built = await buildApplication(officer, club.code, {
      name: 'Costs',
      starts_at: iso(Date.now() - 3_600_000),
      ends_at: iso(Date.now() + DAY),
      results_release_at: iso(Date.now() + 2 * DAY),
      max_committees: 2,
    })
    student = await newStudent()
    // Warm: the instance learns the session and the form.
    expect((await student.post(`/api/applications/${built.id}/start`)).statusCode).toBeLessThan(300)
    expect((await student.put(`/api/applications/${built.id}/draft`, goodAnswers(built, []))).statusCode).toBe(200)
    await q.runtime.cache.invalidator.catchUp()
  })
  afterAll(async () => {
    probe?.disconnect()
    await env?.close()
    await redis?.destroy()
  })

  async function newStudent() {
    const email = `cost-${++n}@example.edu`
    const c = await new Client(q.app).signup(email, 'correct horse battery', `Cost ${n}`)
    await completeProfiles(q.runtime, [email])
    await userId(q.runtime, email)
    return c
  }

  it('autosaves with one statement and at most one Redis command', async () => {
    for (let i = 0; i < 3; i++) {
      const before = await commands()
      const r = await student.put(`/api/applications/${built.id}/draft`, goodAnswers(built, ['Marketing']))
      const sent = (await commands()) - before - 1 // the INFO that read `before`
      expect(r.statusCode, r.body).toBe(200)
      expect(queryCount(r)).toBeLessThanOrEqual(STEADY.autosave)
      expect(sent).toBeLessThanOrEqual(AUTOSAVE_REDIS_COMMANDS)
    }
  })

  it('reads the overlay with one statement', async () => {
    const r = await student.get('/api/me/overlay')
    expect(r.statusCode).toBe(200)
    expect(r.json().sections.applications).toEqual([{ application_id: built.id, state: 'draft' }])
    expect(queryCount(r)).toBeLessThanOrEqual(STEADY.overlay)
  })

  it('bookmarks within three statements', async () => {
    const club = await officerClub(q.runtime, 0)
    for (const method of ['put', 'delete', 'put'] as const) {
      const r = await student[method](`/api/clubs/${club.code}/bookmark`)
      expect(r.statusCode, r.body).toBe(200)
      expect(queryCount(r)).toBeLessThanOrEqual(STEADY.bookmark)
    }
  })

  it('starts within three statements and submits within four', async () => {
    const other = await newStudent()
    await other.get('/api/me/profile') // the instance knows this session now
    const started = await other.post(`/api/applications/${built.id}/start`)
    expect(started.statusCode).toBe(201)
    expect(queryCount(started)).toBeLessThanOrEqual(STEADY.start)
    const submitted = await other.post(`/api/applications/${built.id}/submit`, goodAnswers(built, ['Marketing']), { 'idempotency-key': 'cost-submit-1' })
    expect(submitted.statusCode, submitted.body).toBe(201)
    expect(queryCount(submitted)).toBeLessThanOrEqual(STEADY.submit)
    // What was submitted is what the applicant reads back.
    const own = await other.get(`/api/applications/${built.id}/draft`)
    expect(own.statusCode).toBe(200)
    expect(own.json()).toMatchObject({ state: 'submitted', committees: [built.committees.Marketing], receipt: { submitted_at: submitted.json().submitted_at } })
    expect(own.json().answers).toHaveLength(goodAnswers(built, ['Marketing']).answers.length)
  })
})
