import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { REVIEW_BUDGETS } from '../../src/modules/review/review.routes.js'
import { DEMO_PASSWORD } from '../../src/seed/generate.js'
import { completeProfiles, DAY, fillApplication, goodAnswers, iso, officerClub, userId } from '../helpers/applications.js'
import { queryCount } from '../helpers/http.js'
import { BACKENDS, createTestEnv, type QuadInstance, type TestEnv } from '../helpers/quad.js'
import { Client } from '../helpers/session.js'
import { type SmtpSink, startSmtpSink } from '../helpers/smtp.js'

describe.each(BACKENDS)('the application flow end to end on %s', (backend) => {
  let env: TestEnv
  let q: QuadInstance
  let sink: SmtpSink

  beforeAll(async () => {
    sink = await startSmtpSink()
    env = await createTestEnv(backend, { seed: 'demo' })
    q = await env.start({ env: { QUAD_SMTP_URL: sink.url, QUAD_MAIL_POLL_MS: '50', QUAD_MAIL_RETRY_BASE_MS: '20' } })
  })
  afterAll(async () => {
    await env?.close()
    await sink?.close()
  })

  it('goes from a new cycle to decisions, emails and memberships', async () => {
    const rt = q.runtime
    const anon = new Client(q.app)
    const admin = await new Client(q.app).login('admin@quad.local', DEMO_PASSWORD)
    const officer = await new Client(q.app).login('officer@quad.local', DEMO_PASSWORD)
    const club = await officerClub(rt)
    const now = Date.now()

    // 1. The administrator creates a cycle that opens tomorrow, with umbrella rules, and attaches the club.
    let r = await admin.post('/api/admin/cycles', {
      name: 'Flow Recruitment',
      starts_at: iso(now + DAY),
      ends_at: iso(now + 2 * DAY),
      results_release_at: iso(now + 3 * DAY),
      organizer_club: 'nonexistent-club-x',
    })
    expect(r.statusCode).toBe(400)
    r = await admin.post('/api/admin/cycles', {
      name: 'Flow Recruitment',
      starts_at: iso(now + DAY),
      ends_at: iso(now + 2 * DAY),
      results_release_at: iso(now + 3 * DAY),
      freeze_committees: true,
      committee_word_cap: 300,
      max_committees: 2,
      require_complete_profile: true,
    })
    expect(r.statusCode, r.body).toBe(201)
    const cycleId = r.json().id
    r = await admin.post(`/api/admin/cycles/${cycleId}/clubs`, { clubs: [club.code] })
    expect(r.statusCode, r.body).toBe(200)
    expect(r.json().created).toHaveLength(1)
    const appId = r.json().created[0].application_id

    // 2. The officer fills in the attached application and activates it.
    r = await officer.patch(`/api/applications/${appId}`, { name: 'Flow Application', description: 'Join us', max_committees: 2 })
    expect(r.statusCode, r.body).toBe(200)
    expect(r.json()).toMatchObject({ cycle: { id: cycleId }, active: false, own_deadline: false })
    expect((await officer.patch(`/api/applications/${appId}`, { ends_at: iso(now + 5 * DAY) })).json().error.code).toBe('DATES_FROM_CYCLE')
    const built = await fillApplication(officer, appId)
    r = await officer.post(`/api/applications/${appId}/questions`, {
      type: 'free_response',
      prompt: 'One more marketing essay',
      word_limit: 150,
      committee_ids: [built.committees.Marketing],
    })
    expect(r.statusCode).toBe(400)
    expect(r.json().error.code).toBe('WORD_CAP_EXCEEDED')
    const order = [built.questions.info!.id, ...Object.values(built.questions).filter((x) => x.type !== 'info').map((x) => x.id)]
    expect((await officer.put(`/api/applications/${appId}/questions/order`, { question_ids: order })).statusCode).toBe(200)
    expect((await officer.patch(`/api/applications/${appId}`, { active: true })).statusCode).toBe(200)

    r = await anon.get(`/api/applications/${appId}`)
    expect(r.json()).toMatchObject({ state: 'upcoming', name: 'Flow Application', max_committees: 2, require_complete_profile: true })
    expect(r.json().questions.map((x: any) => x.id)).toEqual(order)
    expect((await anon.get(`/api/applications?cycle=${cycleId}`)).json().applications).toEqual([])

    // 3. The administrator opens the cycle early: the application moves with it, committees freeze.
    r = await admin.patch(`/api/admin/cycles/${cycleId}`, { starts_at: iso(now - 60_000) })
    expect(r.statusCode, r.body).toBe(200)
    expect(r.json().moved_applications).toBe(1)
    r = await anon.get(`/api/applications?cycle=${cycleId}&tz=America/Los_Angeles`)
    expect(r.json().applications.map((a: any) => a.id)).toEqual([appId])
    expect(r.json().applications[0].deadline).toMatchObject({ utc: iso(now + 2 * DAY), time_zone: 'America/Los_Angeles' })
    expect((await anon.get(`/api/applications/${appId}`)).json().state).toBe('open')
    expect((await officer.post(`/api/applications/${appId}/committees`, { name: 'Finance' })).json().error.code).toBe('COMMITTEES_FROZEN')

    // 4. Students: the profile rule, a draft, a refused submit, then submissions.
    const [a, b, c] = ['flow-a@example.edu', 'flow-b@example.edu', 'flow-c@example.edu']
    const sa = await new Client(q.app).signup(a, 'correct horse battery', 'Avery Applicant')
    r = await sa.post(`/api/applications/${appId}/start`)
    expect(r.statusCode).toBe(400)
    expect(r.json().error.code).toBe('PROFILE_INCOMPLETE')
    expect(r.json().error.fields.map((f: any) => f.field)).toEqual(['profile.graduation_year', 'profile.school', 'profile.major'])
    const sb = await new Client(q.app).signup(b, 'correct horse battery', 'Blake Applicant')
    const sc = await new Client(q.app).signup(c, 'correct horse battery', 'Casey Applicant')
    await completeProfiles(rt, [a, b, c])
    const student = await new Client(q.app).login('student@quad.local', DEMO_PASSWORD)

    expect((await sa.post(`/api/applications/${appId}/start`)).statusCode).toBe(201)
    expect((await sa.post(`/api/applications/${appId}/start`)).statusCode).toBe(200)
    const aContent = goodAnswers(built, ['Marketing'])
    r = await sa.put(`/api/applications/${appId}/draft`, { committees: aContent.committees, answers: aContent.answers.slice(0, 2) })
    expect(r.statusCode, r.body).toBe(200)
    r = await sa.get(`/api/applications/${appId}/draft`)
    expect(r.json()).toMatchObject({ state: 'draft', committees: aContent.committees, receipt: null, decision: null })
    expect(r.json().answers).toHaveLength(2)
    const tooLong = goodAnswers(built, ['Marketing'], 'word '.repeat(51))
    r = await sa.post(`/api/applications/${appId}/submit`, tooLong, { 'idempotency-key': 'flow-a-attempt-1' })
    expect(r.statusCode).toBe(400)
    expect(r.json().error.fields).toEqual([{ field: `answers.${built.questions.why!.id}`, code: 'TOO_MANY_WORDS', message: '51 words; the limit is 50' }])
    expect((await sa.get(`/api/applications/${appId}/draft`)).json().state).toBe('draft')

    r = await sa.post(`/api/applications/${appId}/submit`, aContent, { 'idempotency-key': 'flow-a-attempt-2' })
    expect(r.statusCode, r.body).toBe(201)
    const receiptA = r.json()
    expect(receiptA.content_digest).toMatch(/^[0-9a-f]{64}$/)
    expect((await sb.post(`/api/applications/${appId}/submit`, goodAnswers(built, ['Events']), { 'idempotency-key': 'flow-b-1' })).statusCode).toBe(201)
    expect((await sc.post(`/api/applications/${appId}/submit`, goodAnswers(built, ['Events', 'Marketing']), { 'idempotency-key': 'flow-c-1' })).statusCode).toBe(201)
    expect((await student.put(`/api/applications/${appId}/draft`, goodAnswers(built, ['Events']))).statusCode).toBe(200)
    r = await sa.get('/api/me/applications')
    expect(r.json().applications).toEqual([
      expect.objectContaining({ state: 'submitted', receipt: receiptA, decision: null, can_edit: false, application: expect.objectContaining({ id: appId }) }),
    ])
    expect(r.json().applications[0].deadline.local).toMatch(/\d{1,2}:\d{2} (AM|PM) E[SD]T$/)

    // 5. Review: every answer in one view, filters, statuses, notes, bulk updates.
    const ids = { a: await userId(rt, a), b: await userId(rt, b), c: await userId(rt, c) }
    r = await officer.get(`/api/applications/${appId}/submissions`)
    expect(r.statusCode, r.body).toBe(200)
    expect(queryCount(r)).toBeLessThanOrEqual(REVIEW_BUDGETS.list)
    const list = r.json()
    expect(list.total).toBe(3)
    const byUser = new Map<number, any>(list.submissions.map((s: any) => [s.user.id, s]))
    const subA = byUser.get(ids.a)
    expect(subA.responses).toHaveLength(5)
    expect(subA.committees).toEqual([{ id: built.committees.Marketing, name: 'Marketing', rank: 1 }])
    expect(subA.responses.find((x: any) => x.question_id === built.questions.time!.id).choices).toEqual(['Morning'])
    const subB = byUser.get(ids.b)
    const subC = byUser.get(ids.c)
    r = await officer.get(`/api/applications/${appId}/submissions?committee=${built.committees.Marketing}`)
    expect(r.json().submissions.map((s: any) => s.id).sort()).toEqual([subA.id, subC.id].sort())

    expect((await officer.patch(`/api/submissions/${subA.id}`, { status: 'accepted', reason: 'Great pitch' })).json()).toMatchObject({ status: 'accepted' })
    expect((await officer.post(`/api/submissions/${subA.id}/notes`, { body: 'Strong', score: 9 })).statusCode).toBe(201)
    expect((await officer.post(`/api/submissions/${subA.id}/notes`, { body: 'Good', score: 7 })).statusCode).toBe(201)
    r = await officer.post(`/api/applications/${appId}/submissions/status`, { submission_ids: [subB.id, 99_999_999], status: 'accepted' })
    expect(r.statusCode).toBe(400)
    expect(r.json().error.code).toBe('UNKNOWN_SUBMISSIONS')
    r = await officer.post(`/api/applications/${appId}/submissions/status`, { submission_ids: [subB.id, subC.id], status: 'rejected_written' })
    expect(r.json()).toEqual({ updated: 2, status: 'rejected_written' })
    expect((await officer.patch(`/api/submissions/${subC.id}`, { status: 'rejected_interview' })).statusCode).toBe(200)
    r = await officer.get(`/api/applications/${appId}/submissions?status=rejected_written`)
    expect(r.json().submissions.map((s: any) => s.id)).toEqual([subB.id])
    expect((await officer.get(`/api/submissions/${subA.id}`)).json()).toMatchObject({ status: 'accepted', reason: 'Great pitch', average_score: 8 })

    // 6. CSV: one row per submission, one column per answerable question, answers readable.
    r = await officer.get(`/api/applications/${appId}/submissions.csv`)
    expect(r.statusCode).toBe(200)
    expect(r.headers['content-type']).toMatch(/^text\/csv/)
    const rows = parse(r.body, { columns: true }) as Record<string, string>[]
    expect(rows).toHaveLength(3)
    const header = Object.keys(rows[0]!)
    expect(header.filter((h) => /^Q\d+\. /.test(h))).toHaveLength(6)
    expect(header.some((h) => h.includes('Interviews happen'))).toBe(false)
    const rowA = rows.find((x) => x.email === a)!
    expect(rowA).toMatchObject({ submission_id: String(subA.id), name: 'Avery Applicant', committees: 'Marketing', status: 'accepted', average_score: '8' })
    expect(rowA['Q3. Preferred interview time']).toBe('Morning')
    expect(rowA['Q4. Skills']).toBe('Design; Code')
    expect(rowA['Q6. Plan an event']).toBe('')
    expect(rows.find((x) => x.email === c)!.committees).toBe('Events; Marketing')

    // 7. Before release nothing leaks: not to the applicant, not as a membership, no email.
    r = await sa.get('/api/me/applications')
    expect(r.json().applications[0]).toMatchObject({ state: 'submitted', decision: null, results_released: false })
    expect(JSON.stringify(r.json())).not.toContain('accepted')
    expect((await sa.get(`/api/applications/${appId}/draft`)).json().decision).toBeNull()
    r = await officer.post(`/api/applications/${appId}/decisions/send`, { dry_run: false })
    expect(r.statusCode).toBe(409)
    expect(r.json().error.code).toBe('RESULTS_NOT_RELEASED')
    r = await officer.post(`/api/applications/${appId}/decisions/send`, { dry_run: true })
    expect(r.json()).toMatchObject({ dry_run: true, results_released: false, queued: 0 })
    expect(await rt.db.selectFrom('memberships').where('club_id', '=', club.id).where('user_id', '=', ids.a).select('id').executeTakeFirst()).toBeUndefined()
    expect(sink.messages).toHaveLength(0)

    // 8. Release: the administrator closes the cycle and releases results now.
    r = await admin.patch(`/api/admin/cycles/${cycleId}`, { ends_at: iso(Date.now() - 2000), results_release_at: iso(Date.now() - 1000) })
    expect(r.statusCode, r.body).toBe(200)
    r = await officer.post(`/api/applications/${appId}/decisions/send`, {})
    const plan = r.json()
    expect(plan).toMatchObject({ dry_run: true, results_released: true, queued: 0, skipped: [] })
    expect(plan.send.map((p: any) => [p.email, p.template]).sort()).toEqual([[a, 'acceptance'], [b, 'rejection'], [c, 'rejection']])
    expect(plan.send.find((p: any) => p.email === a).body).toContain('Great pitch')
    r = await officer.post(`/api/applications/${appId}/decisions/send`, { dry_run: false })
    expect(r.json()).toMatchObject({ dry_run: false, queued: 3, memberships_created: 1 })
    const mails = await sink.waitFor(3)
    expect(mails.map((m) => m.to[0]).sort()).toEqual([a, b, c].sort())
    const mailA = mails.find((m) => m.to[0] === a)!
    for (const m of plan.send) expect(mails.find((x) => x.to[0] === m.email)).toMatchObject({ subject: m.subject, text: m.body, kind: 'decision' })
    expect(mailA.subject).toContain(club.name)

    r = await officer.post(`/api/applications/${appId}/decisions/send`, { dry_run: false })
    expect(r.json()).toMatchObject({ queued: 0, send: [] })
    expect(r.json().skipped.map((s: any) => s.reason)).toEqual(['already_sent', 'already_sent', 'already_sent'])
    r = await officer.post(`/api/applications/${appId}/decisions/resend`, { submission_ids: [subB.id], dry_run: false })
    expect(r.json()).toMatchObject({ queued: 1 })
    await sink.waitFor(4)
    expect(sink.messages.filter((m) => m.to[0] === b)).toHaveLength(2)

    // 9. The accepted applicant sees the decision and is a member of the club.
    r = await sa.get('/api/me/applications')
    expect(r.json().applications[0]).toMatchObject({ results_released: true, decision: { status: 'accepted', reason: 'Great pitch' } })
    expect((await sb.get('/api/me/applications')).json().applications[0].decision).toMatchObject({ status: 'rejected_written' })
    r = await anon.get(`/api/clubs/${club.code}`)
    expect(r.json().members.map((m: any) => m.name)).toContain('Avery Applicant')
    expect(r.json().members.map((m: any) => m.name)).not.toContain('Blake Applicant')

    // 10. The cycle's progress report.
    await expect.poll(async () => (await admin.get(`/api/admin/cycles/${cycleId}/progress`)).json().totals.notified, { timeout: 5000 }).toBe(3)
    r = await admin.get(`/api/admin/cycles/${cycleId}/progress`)
    expect(r.json().totals).toEqual({ applications: 1, open: 0, started: 4, drafts: 1, submissions: 3, decisions: 3, notified: 3 })
    expect(r.json().clubs).toEqual([expect.objectContaining({ code: club.code, submissions: 3 })])
  })
})
