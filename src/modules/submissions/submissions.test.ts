import pg from 'pg'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { DAY, completeProfiles, goodAnswers, type Built, buildApplication, iso, officerClub, userId } from '../../../test/helpers/applications.js'
import { queryCount } from '../../../test/helpers/http.js'
import { BACKENDS, createTestEnv, type QuadInstance, type TestEnv } from '../../../test/helpers/quad.js'
import { Client } from '../../../test/helpers/session.js'
import { DEMO_PASSWORD } from '../../seed/generate.js'
import { SUBMISSION_BUDGETS } from './submissions.routes.js'

describe.each(BACKENDS)('applying on %s', (backend) => {
  let env: TestEnv
  let q: QuadInstance
  let officer: Client
  let built: Built
  /** The application's deadline: a whole second, an hour from now. */
  let deadline: number
  let n = 0

  const student = async (tz = 'America/New_York') => {
    const email = `applicant-${backend}-${++n}@example.edu`
    const c = await new Client(q.app).signup(email, 'correct horse battery', `Applicant ${n}`)
    await completeProfiles(q.runtime, [email], tz)
    return { c, email, id: await userId(q.runtime, email) }
  }
  const at = (ms: number) => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(ms)
  }
  const submit = (c: Client, body: unknown, key: string, id = built.id) => c.post(`/api/applications/${id}/submit`, body, { 'idempotency-key': key })

  beforeAll(async () => {
    env = await createTestEnv(backend, { seed: 'demo' })
    q = await env.start()
    officer = await new Client(q.app).login('officer@quad.local', DEMO_PASSWORD)
    const club = await officerClub(q.runtime, 1)
    deadline = Math.floor((Date.now() + 3_600_000) / 1000) * 1000
    built = await buildApplication(officer, club.code, {
      name: 'Deadline Application',
      starts_at: iso(Date.now() - 3_600_000),
      ends_at: iso(deadline),
      results_release_at: iso(deadline + DAY),
      max_committees: 2,
    })
  })
  afterEach(() => {
    vi.useRealTimers()
  })
  afterAll(async () => env?.close())

  it('accepts a submission one second before the deadline and refuses one at and after it', async () => {
    const early = await student()
    at(deadline - 1000)
    let r = await submit(early.c, goodAnswers(built, ['Marketing']), 'edge-before-1')
    expect(r.statusCode, r.body).toBe(201)
    expect(r.json().submitted_at).toBe(iso(deadline - 1000))

    const onTime = await student()
    at(deadline)
    r = await submit(onTime.c, goodAnswers(built, ['Marketing']), 'edge-exact-1')
    expect(r.statusCode).toBe(409)
    expect(r.json().error).toMatchObject({ code: 'DEADLINE_PASSED', message: `The deadline was ${iso(deadline)}` })

    const late = await student()
    at(deadline + 1000)
    r = await submit(late.c, goodAnswers(built, ['Marketing']), 'edge-after-1')
    expect(r.json().error.code).toBe('DEADLINE_PASSED')
    expect((await late.c.put(`/api/applications/${built.id}/draft`, goodAnswers(built, []))).json().error.code).toBe('DEADLINE_PASSED')
    expect((await late.c.post(`/api/applications/${built.id}/start`)).json().error.code).toBe('DEADLINE_PASSED')
    const rows = await q.runtime.db.selectFrom('submissions').where('user_id', 'in', [onTime.id, late.id]).select('id').execute()
    expect(rows).toEqual([])

    // A retry of the accepted submit, after the deadline, still gets its receipt.
    r = await submit(early.c, goodAnswers(built, ['Marketing']), 'edge-before-1')
    expect(r.statusCode).toBe(200)
    expect(r.json().submitted_at).toBe(iso(deadline - 1000))
  })

  it("honours an applicant's extension, which never ends before the deadline", async () => {
    const s = await student()
    const other = await student()
    expect((await s.c.post(`/api/applications/${built.id}/start`)).statusCode).toBe(201)
    let r = await officer.post(`/api/applications/${built.id}/extensions`, { email: s.email, ends_at: iso(deadline - 60_000) })
    expect(r.statusCode).toBe(400)
    expect(r.json().error.code).toBe('EXTENSION_BEFORE_DEADLINE')
    r = await officer.post(`/api/applications/${built.id}/extensions`, { email: s.email, ends_at: iso(deadline + 2 * DAY) })
    expect(r.json().error.code).toBe('EXTENSION_AFTER_RELEASE')
    r = await officer.post(`/api/applications/${built.id}/extensions`, { email: s.email, ends_at: iso(deadline + 3_600_000), reason: 'Illness' })
    expect(r.statusCode, r.body).toBe(200)
    expect((await officer.get(`/api/applications/${built.id}/extensions`)).json().extensions.map((e: any) => e.email)).toContain(s.email)
    expect((await s.c.get(`/api/applications/${built.id}/extensions`)).statusCode).toBe(403)

    expect((await s.c.get('/api/me/overlay')).json().sections.applications).toEqual([{ application_id: built.id, state: 'draft' }])
    r = await s.c.get('/api/me/applications')
    expect(r.json().applications[0]).toMatchObject({ extended: true, deadline: { utc: iso(deadline + 3_600_000) } })

    at(deadline + 3_600_000 - 1000)
    expect((await submit(other.c, goodAnswers(built, ['Events']), 'ext-other-1')).json().error.code).toBe('DEADLINE_PASSED')
    r = await submit(s.c, goodAnswers(built, ['Events']), 'ext-own-1')
    expect(r.statusCode, r.body).toBe(201)
    expect((await s.c.get('/api/me/overlay')).json().sections.applications).toEqual([{ application_id: built.id, state: 'submitted' }])

    const later = await student()
    vi.useRealTimers()
    expect((await later.c.post(`/api/applications/${built.id}/start`)).statusCode).toBe(201)
    expect((await officer.post(`/api/applications/${built.id}/extensions`, { email: later.email, ends_at: iso(deadline + 3_600_000) })).statusCode).toBe(200)
    at(deadline + 3_600_000 + 1000)
    expect((await submit(later.c, goodAnswers(built, ['Events']), 'ext-late-1')).json().error.code).toBe('DEADLINE_PASSED')
  })

  it("renders deadlines in the student's time zone, hour included", async () => {
    const tokyo = await student('Asia/Tokyo')
    await tokyo.c.post(`/api/applications/${built.id}/start`)
    const r = await tokyo.c.get('/api/me/applications')
    expect(r.statusCode).toBe(200)
    expect(queryCount(r)).toBeLessThanOrEqual(SUBMISSION_BUDGETS.mine)
    const local = new Intl.DateTimeFormat('en-US', { timeZone: 'Asia/Tokyo', hour: 'numeric', minute: '2-digit' }).format(new Date(deadline))
    expect(r.json().time_zone).toBe('Asia/Tokyo')
    expect(r.json().applications[0].deadline.utc).toBe(iso(deadline))
    expect(r.json().applications[0].deadline.local).toContain(`${local} GMT+9`)
    expect(r.json().applications[0].deadline.local_iso).toMatch(/\+09:00$/)
    const ny = (await tokyo.c.get('/api/me/applications?tz=America/New_York')).json()
    expect(ny.applications[0].deadline.local).toMatch(/ E[SD]T$/)
    expect((await tokyo.c.get('/api/me/applications?tz=Mars/Olympus')).statusCode).toBe(400)
    const pub = await new Client(q.app).get(`/api/applications/${built.id}?tz=Asia/Tokyo`)
    expect(pub.json().deadline).toEqual(r.json().applications[0].deadline)
    expect((await new Client(q.app).get(`/api/applications/${built.id}?tz=Not/AZone`)).statusCode).toBe(400)
  })

  it('returns one submission and one receipt for concurrent identical submits', async () => {
    const s = await student()
    const content = goodAnswers(built, ['Marketing', 'Events'])
    const results = await Promise.all(Array.from({ length: 6 }, () => submit(s.c, content, 'double-click-key-1')))
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 200, 200, 200, 200, 201])
    const bodies = new Set(results.map((r) => r.body))
    expect(bodies.size).toBe(1)
    const receipt = results[0]!.json()
    const rows = await q.runtime.db.selectFrom('submissions').where('user_id', '=', s.id).selectAll().execute()
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ id: receipt.submission_id, content_digest: receipt.content_digest, idempotency_key: 'double-click-key-1' })
    const responses = await q.runtime.db.selectFrom('responses').where('submission_id', '=', receipt.submission_id).select('question_id').execute()
    expect(responses).toHaveLength(content.answers.length)
    const committees = await q.runtime.db.selectFrom('submission_committees').where('submission_id', '=', receipt.submission_id).orderBy('rank').select('committee_id').execute()
    expect(committees.map((c) => c.committee_id)).toEqual(content.committees)
  })

  it('lets only one of two different concurrent submits through', async () => {
    const s = await student()
    const [x, y] = await Promise.all([
      submit(s.c, goodAnswers(built, ['Marketing']), 'racer-one-1'),
      submit(s.c, goodAnswers(built, ['Events']), 'racer-two-1'),
    ])
    expect([x!.statusCode, y!.statusCode].sort()).toEqual([201, 409])
    expect([x!, y!].find((r) => r.statusCode === 409)!.json().error.code).toBe('ALREADY_SUBMITTED')
    expect((await s.c.put(`/api/applications/${built.id}/draft`, goodAnswers(built, []))).json().error.code).toBe('ALREADY_SUBMITTED')
    // The winner's key belongs to this application: reusing it elsewhere is refused.
    const winner = [x!, y!].find((r) => r.statusCode === 201)!.json().idempotency_key
    expect((await submit(s.c, goodAnswers(built, ['Marketing']), winner, built.id + 100000)).statusCode).toBe(422)
  })

  it('never leaves partial rows behind bad input', async () => {
    const s = await student()
    const bad = goodAnswers(built, ['Marketing'])
    bad.answers.push({ question_id: built.questions.time!.id + 0, choice_ids: [built.questions.skills!.choices[0]!.id] })
    let r = await submit(s.c, bad, 'bad-input-1')
    expect(r.statusCode).toBe(400)
    expect(r.json().error.fields[0]).toMatchObject({ field: `answers.${built.questions.time!.id}`, code: 'DUPLICATE' })
    r = await s.c.put(`/api/applications/${built.id}/draft`, { answers: [{ question_id: built.questions.time!.id, choice_ids: [999999] }] })
    expect(r.statusCode).toBe(400)
    expect(r.json().error.fields).toEqual([{ field: `answers.${built.questions.time!.id}`, code: 'INVALID_CHOICE', message: 'Not a choice of this question: 999999' }])
    r = await s.c.put(`/api/applications/${built.id}/draft`, { answers: [{ question_id: 'x' }] })
    expect(r.statusCode).toBe(400)
    expect(r.json().error.code).toBe('VALIDATION_FAILED')
    r = await s.c.post(`/api/applications/${built.id}/submit`, goodAnswers(built, ['Marketing']))
    expect(r.statusCode).toBe(400)
    expect(r.json().error.fields[0].field).toBe('idempotency-key')
    r = await submit(s.c, { committees: [built.committees.Marketing, built.committees.Events, built.committees.Marketing], answers: [] }, 'bad-input-2')
    expect(r.json().error.fields.map((f: any) => f.code)).toEqual(expect.arrayContaining(['DUPLICATE', 'TOO_MANY']))
    const rows = await q.runtime.db.selectFrom('submissions').where('user_id', '=', s.id).select('id').execute()
    expect(rows).toEqual([])

    // A valid draft, then a refused submit: the draft stays exactly as saved.
    const draft = goodAnswers(built, ['Marketing'], 'first words')
    expect((await s.c.put(`/api/applications/${built.id}/draft`, draft)).statusCode).toBe(200)
    r = await submit(s.c, goodAnswers(built, ['Marketing'], 'word '.repeat(60)), 'bad-input-3')
    expect(r.statusCode).toBe(400)
    const saved = (await s.c.get(`/api/applications/${built.id}/draft`)).json()
    expect(saved).toMatchObject({ state: 'draft', receipt: null })
    expect(saved.answers.find((a: any) => a.question_id === built.questions.why!.id).text).toBe('first words')
  })

  it('autosaves and submits within their query budgets and commits before answering', async () => {
    const s = await student()
    let r = await s.c.put(`/api/applications/${built.id}/draft`, goodAnswers(built, ['Marketing'], 'draft words'))
    expect(r.statusCode, r.body).toBe(200)
    expect(queryCount(r)).toBeLessThanOrEqual(SUBMISSION_BUDGETS.draft)
    r = await s.c.put(`/api/applications/${built.id}/draft`, { answers: [{ question_id: built.questions.why!.id, text: 'word '.repeat(80) }] })
    expect(r.json().warnings).toEqual([{ field: `answers.${built.questions.why!.id}`, code: 'TOO_MANY_WORDS', message: '80 words; the limit is 50' }])
    expect((await s.c.get(`/api/applications/${built.id}/draft`)).json().answers).toHaveLength(1)
    r = await submit(s.c, goodAnswers(built, ['Marketing']), 'budget-submit-1')
    expect(r.statusCode).toBe(201)
    expect(queryCount(r)).toBeLessThanOrEqual(SUBMISSION_BUDGETS.submit)
    r = await s.c.get(`/api/applications/${built.id}/draft`)
    expect(queryCount(r)).toBeLessThanOrEqual(SUBMISSION_BUDGETS.own)

    if (backend !== 'postgres') return
    // Durable when acknowledged: a separate connection sees the committed row at once.
    const t = await student()
    const outside = new pg.Client({ connectionString: env.env.DATABASE_URL })
    await outside.connect()
    try {
      r = await submit(t.c, goodAnswers(built, ['Events']), 'durable-submit-1')
      const seen = await outside.query('select submitted_at, content_digest from submissions where id = $1', [r.json().submission_id])
      expect(seen.rows[0].content_digest).toBe(r.json().content_digest)
      expect(new Date(seen.rows[0].submitted_at).toISOString()).toBe(r.json().submitted_at)
    } finally {
      await outside.end()
    }
  })

  it('refuses external, inactive and not-yet-open applications', async () => {
    const s = await student()
    const club = await officerClub(q.runtime, 1)
    let r = await officer.post(`/api/clubs/${club.code}/applications`, {
      name: 'External form',
      kind: 'external',
      external_url: 'https://forms.example.org/apply',
      starts_at: iso(Date.now() - DAY),
      ends_at: iso(Date.now() + DAY),
    })
    expect(r.statusCode, r.body).toBe(201)
    expect((await s.c.post(`/api/applications/${r.json().id}/start`)).json().error.code).toBe('EXTERNAL_APPLICATION')
    expect((await new Client(q.app).get(`/api/applications/${r.json().id}`)).json()).toMatchObject({ kind: 'external', external_url: 'https://forms.example.org/apply' })

    r = await officer.post(`/api/clubs/${club.code}/applications`, { name: 'Later', starts_at: iso(Date.now() + DAY), ends_at: iso(Date.now() + 2 * DAY) })
    expect((await s.c.post(`/api/applications/${r.json().id}/start`)).json().error.code).toBe('NOT_OPEN')
    r = await officer.post(`/api/clubs/${club.code}/applications`, { name: 'Hidden', active: false, starts_at: iso(Date.now() - DAY), ends_at: iso(Date.now() + DAY) })
    expect((await s.c.post(`/api/applications/${r.json().id}/start`)).statusCode).toBe(404)
    expect((await new Client(q.app).get(`/api/applications/${r.json().id}`)).statusCode).toBe(404)
    // Signed out: "sign in first" comes before the missing CSRF token.
    expect((await new Client(q.app).post(`/api/applications/${built.id}/start`)).statusCode).toBe(401)
    const anon = new Client(q.app)
    await anon.get('/api/me')
    expect((await anon.post(`/api/applications/${built.id}/start`)).statusCode).toBe(401)
    expect((await anon.get('/api/me/applications')).statusCode).toBe(401)
  })
})
