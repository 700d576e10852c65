import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DAY, buildApplication, completeProfiles, foreignClub, goodAnswers, iso, officerClub } from '../../../test/helpers/applications.js'
import { cacheStatus, queryCount } from '../../../test/helpers/http.js'
import { BACKENDS, createTestEnv, type QuadInstance, type TestEnv } from '../../../test/helpers/quad.js'
import { Client } from '../../../test/helpers/session.js'
import { DEMO_PASSWORD } from '../../seed/generate.js'
import { APPLICATION_BUDGETS } from './applications.routes.js'

describe.each(BACKENDS)('building applications on %s', (backend) => {
  let env: TestEnv
  let q: QuadInstance
  let anon: Client
  let admin: Client
  let officer: Client
  let code: string
  const open = () => ({ starts_at: iso(Date.now() - DAY), ends_at: iso(Date.now() + DAY), results_release_at: iso(Date.now() + 2 * DAY) })

  beforeAll(async () => {
    env = await createTestEnv(backend, { seed: 'demo' })
    q = await env.start()
    anon = new Client(q.app)
    admin = await new Client(q.app).login('admin@quad.local', DEMO_PASSWORD)
    officer = await new Client(q.app).login('officer@quad.local', DEMO_PASSWORD)
    code = (await officerClub(q.runtime)).code
  })
  afterAll(async () => env?.close())

  it('creates standalone and cycle applications with consistent dates and kinds', async () => {
    const post = (body: unknown, who = officer, club = code) => who.post(`/api/clubs/${club}/applications`, body)
    let r = await post({ name: 'No dates' })
    expect(r.json().error).toMatchObject({ code: 'DATES_REQUIRED', fields: [{ field: 'starts_at' }, { field: 'ends_at' }] })
    r = await post({ name: 'Backwards', starts_at: iso(Date.now() + DAY), ends_at: iso(Date.now()) })
    expect(r.json().error).toMatchObject({ code: 'INVALID_DATES', fields: [{ field: 'ends_at', code: 'BEFORE_START' }] })
    expect((await post({ name: 'Ext', kind: 'external', ...open() })).json().error.code).toBe('EXTERNAL_URL_REQUIRED')
    expect((await post({ name: 'Int', external_url: 'https://x.example.org', ...open() })).json().error.code).toBe('EXTERNAL_URL_NOT_ALLOWED')
    expect((await post({ name: 'Foreign', ...open() }, officer, (await foreignClub(q.runtime)).code)).statusCode).toBe(403)
    const student = await new Client(q.app).login('student@quad.local', DEMO_PASSWORD)
    expect((await post({ name: 'Student', ...open() }, student)).statusCode).toBe(403)

    r = await post({ name: 'In the current cycle', cycle_id: 2 })
    expect(r.statusCode, r.body).toBe(201)
    const cycle = await q.runtime.db.selectFrom('application_cycles').where('id', '=', 2).selectAll().executeTakeFirstOrThrow()
    expect(r.json()).toMatchObject({ cycle: { id: 2 }, own_deadline: false, max_committees: 2, starts_at: iso(cycle.starts_at.getTime()), ends_at: iso(cycle.ends_at.getTime()) })
    expect(r.json().rules).toMatchObject({ freeze_committees: true, committee_word_cap: 500, max_committees: 2, require_complete_profile: true })
    const inCycle = r.json().id
    expect((await post({ name: 'Own dates', cycle_id: 2, ...open() })).json().error.code).toBe('DATES_FROM_CYCLE')
    expect((await post({ name: 'Too many', cycle_id: 2, max_committees: 3 })).json().error.code).toBe('MAX_COMMITTEES_OVER_CAP')
    expect((await post({ name: 'Past', cycle_id: 1 })).json().error.code).toBe('CYCLE_ENDED')
    expect((await post({ name: 'Nowhere', cycle_id: 999 })).statusCode).toBe(404)

    // Only administrators grant an application its own deadline, and can take it back.
    expect((await officer.patch(`/api/applications/${inCycle}`, { ends_at: iso(Date.now() + 9 * DAY) })).json().error.code).toBe('DATES_FROM_CYCLE')
    expect((await officer.patch(`/api/applications/${inCycle}`, { own_deadline: true })).statusCode).toBe(403)
    const later = iso(cycle.ends_at.getTime() + DAY)
    r = await admin.patch(`/api/applications/${inCycle}`, { ends_at: later, results_release_at: iso(cycle.results_release_at.getTime() + DAY) })
    expect(r.json()).toMatchObject({ own_deadline: true, ends_at: later })
    r = await admin.patch(`/api/applications/${inCycle}`, { own_deadline: false })
    expect(r.json()).toMatchObject({ own_deadline: false, ends_at: iso(cycle.ends_at.getTime()) })

    r = await officer.get(`/api/clubs/${code}/applications`)
    expect(r.json().applications.map((x: any) => x.id)).toContain(inCycle)
    expect((await officer.delete(`/api/applications/${inCycle}`)).statusCode).toBe(200)
    expect((await officer.get(`/api/applications/${inCycle}/manage`)).statusCode).toBe(404)
  })

  it('enforces question shapes, committee links and choice rules', async () => {
    const b = await buildApplication(officer, code, { name: 'Shapes', max_committees: 2, ...open() })
    const add = (body: unknown) => officer.post(`/api/applications/${b.id}/questions`, body)
    expect((await add({ type: 'free_response', prompt: 'No limit' })).json().error.fields[0]).toMatchObject({ field: 'word_limit', code: 'REQUIRED' })
    expect((await add({ type: 'short_answer', prompt: 'Limit', word_limit: 5 })).json().error.fields[0].code).toBe('NOT_ALLOWED')
    expect((await add({ type: 'single_choice', prompt: 'One', choices: ['Only'] })).json().error.fields[0].code).toBe('TOO_FEW')
    expect((await add({ type: 'multi_choice', prompt: 'Dup', choices: ['A', 'A '] })).json().error.fields[0].code).toBe('DUPLICATE')
    expect((await add({ type: 'short_answer', prompt: 'Choices', choices: ['A', 'B'] })).json().error.fields[0].code).toBe('NOT_ALLOWED')
    const other = await buildApplication(officer, code, { name: 'Other', ...open() })
    expect((await add({ type: 'short_answer', prompt: 'x', committee_ids: [other.committees.Marketing] })).json().error.code).toBe('UNKNOWN_COMMITTEE')
    const info = await add({ type: 'info', prompt: 'Read me', required: true })
    expect(info.json()).toMatchObject({ required: false, choices: [] })

    // Choices: relabel, reorder (even swapping labels), add; removing a picked one is refused.
    const time = b.questions.time!
    const [morning, evening] = time.choices
    let r = await officer.patch(`/api/applications/${b.id}/questions/${time.id}`, {
      choices: [{ id: evening!.id, label: 'Morning' }, { id: morning!.id, label: 'Evening' }, { label: 'Weekend' }],
    })
    expect(r.statusCode, r.body).toBe(200)
    expect(r.json().choices).toEqual([{ id: evening!.id, label: 'Morning' }, { id: morning!.id, label: 'Evening' }, { id: expect.any(Number), label: 'Weekend' }])
    const weekend = r.json().choices[2].id
    const student = await new Client(q.app).login('student@quad.local', DEMO_PASSWORD)
    expect((await student.put(`/api/applications/${b.id}/draft`, { answers: [{ question_id: time.id, choice_ids: [weekend] }] })).statusCode).toBe(200)
    r = await officer.patch(`/api/applications/${b.id}/questions/${time.id}`, { choices: [{ id: evening!.id, label: 'Morning' }, { id: morning!.id, label: 'Evening' }] })
    expect(r.json().error.code).toBe('CHOICE_IN_USE')
    r = await officer.patch(`/api/applications/${b.id}/questions/${time.id}`, { choices: [{ id: other.questions.time!.choices[0]!.id, label: 'Stolen' }, { label: 'X' }] })
    expect(r.json().error.code).toBe('UNKNOWN_CHOICE')
    r = await officer.patch(`/api/applications/${b.id}/questions/${time.id}`, { choices: [{ label: 'Same' }, { label: 'Same' }] })
    expect(r.statusCode).toBe(400)

    // Questions answered in a submission stay; others may go. Chosen committees stay too.
    await completeProfiles(q.runtime, ['student@quad.local'])
    expect((await student.post(`/api/applications/${b.id}/submit`, goodAnswers(b, ['Events']), { 'idempotency-key': `shapes-${backend}` })).statusCode).toBe(201)
    expect((await officer.delete(`/api/applications/${b.id}/questions/${b.questions.why!.id}`)).json().error.code).toBe('QUESTION_HAS_RESPONSES')
    expect((await officer.delete(`/api/applications/${b.id}/questions/${b.questions.pitch!.id}`)).statusCode).toBe(200)
    expect((await officer.delete(`/api/applications/${b.id}/questions/${b.questions.pitch!.id}`)).statusCode).toBe(404)
    expect((await officer.delete(`/api/applications/${b.id}/committees/${b.committees.Events}`)).json().error.code).toBe('COMMITTEE_CHOSEN')
    expect((await officer.post(`/api/applications/${b.id}/committees`, { name: 'Marketing' })).json().error.code).toBe('COMMITTEE_EXISTS')
    expect((await officer.patch(`/api/applications/${b.id}/committees/${b.committees.Marketing}`, { name: 'Events' })).json().error.code).toBe('COMMITTEE_EXISTS')
    expect((await officer.delete(`/api/applications/${b.id}`)).json().error.code).toBe('APPLICATION_HAS_SUBMISSIONS')
    expect((await officer.put(`/api/applications/${b.id}/questions/order`, { question_ids: [b.questions.why!.id] })).json().error.code).toBe('ORDER_MISMATCH')

    r = await officer.get(`/api/applications/${b.id}/manage`)
    expect(queryCount(r)).toBeLessThanOrEqual(APPLICATION_BUDGETS.manage)
    expect(r.json().counts).toEqual({ drafts: 0, submissions: 1 })
  })

  it('applies the cycle rules: frozen committees and the committee word cap', async () => {
    // The seed's current cycle freezes committees, caps a committee at 500 words and opened days ago.
    const r = await officer.post(`/api/clubs/${code}/applications`, { name: 'Frozen', cycle_id: 2 })
    const id = r.json().id
    expect(r.json().rules.committees_frozen).toBe(true)
    expect((await officer.post(`/api/applications/${id}/committees`, { name: 'Late' })).json().error.code).toBe('COMMITTEES_FROZEN')
    expect((await officer.patch(`/api/applications/${id}`, { max_committees: 1 })).json().error.code).toBe('COMMITTEES_FROZEN')

    const draftCycle = await admin.post('/api/admin/cycles', {
      name: `Capped ${backend}`,
      starts_at: iso(Date.now() + DAY),
      ends_at: iso(Date.now() + 2 * DAY),
      results_release_at: iso(Date.now() + 3 * DAY),
      freeze_committees: true,
      committee_word_cap: 300,
    })
    const capped = (await officer.post(`/api/clubs/${code}/applications`, { name: 'Capped', cycle_id: draftCycle.json().id })).json().id
    const committee = (await officer.post(`/api/applications/${capped}/committees`, { name: 'Design' })).json().id
    const essay = (words: number) => ({ type: 'free_response', prompt: `Essay ${words}`, word_limit: words, committee_ids: [committee] })
    const first = await officer.post(`/api/applications/${capped}/questions`, essay(200))
    expect(first.statusCode).toBe(201)
    let over = await officer.post(`/api/applications/${capped}/questions`, essay(101))
    expect(over.json().error).toMatchObject({ code: 'WORD_CAP_EXCEEDED', fields: [{ message: expect.stringContaining('301 words') }] })
    expect((await officer.post(`/api/applications/${capped}/questions`, essay(100))).statusCode).toBe(201)
    over = await officer.patch(`/api/applications/${capped}/questions/${first.json().id}`, { word_limit: 201 })
    expect(over.json().error.code).toBe('WORD_CAP_EXCEEDED')
  })

  it("duplicates last cycle's application into the current cycle with fresh dates", async () => {
    const rt = q.runtime
    const source = await rt.db
      .selectFrom('club_applications as a')
      .where('a.cycle_id', '=', 1)
      .where('a.kind', '=', 'internal')
      .where((eb) => eb.exists(eb.selectFrom('committees').whereRef('committees.application_id', '=', 'a.id').select('id')))
      .select(['a.id', 'a.name', 'a.club_id'])
      .orderBy('a.id')
      .executeTakeFirstOrThrow()
    const before = (await admin.get(`/api/applications/${source.id}/manage`)).json()
    let r = await admin.post(`/api/applications/${source.id}/duplicate`, {})
    expect(r.statusCode, r.body).toBe(201)
    const copy = r.json()
    const cycle = await rt.db.selectFrom('application_cycles').where('id', '=', 2).selectAll().executeTakeFirstOrThrow()
    expect(copy).toMatchObject({ name: source.name, cycle: { id: 2 }, active: false, own_deadline: false, starts_at: iso(cycle.starts_at.getTime()), ends_at: iso(cycle.ends_at.getTime()), counts: { drafts: 0, submissions: 0 } })
    expect(copy.id).not.toBe(source.id)
    const strip = (m: any) => ({
      committees: m.committees.map((c: any) => [c.name, c.description, c.position]),
      questions: m.questions.map((x: any) => [x.type, x.prompt, x.word_limit, x.required, x.position, x.choices.map((c: any) => c.label), x.committee_ids.map((cid: number) => m.committees.find((c: any) => c.id === cid).name)]),
    })
    expect(strip(copy)).toEqual(strip(before))
    expect(copy.questions.some((x: any) => x.committee_ids.length > 0)).toBe(true)
    const oldIds = new Set([...before.questions.map((x: any) => x.id), ...before.committees.map((c: any) => c.id)])
    expect([...copy.questions, ...copy.committees].some((x: any) => oldIds.has(x.id))).toBe(false)

    expect((await admin.post(`/api/applications/${copy.id}/duplicate`, { cycle_id: 2 })).json().error.code).toBe('SAME_CYCLE')
    expect((await admin.post(`/api/applications/${copy.id}/duplicate`, { cycle_id: 1 })).json().error.code).toBe('CYCLE_ENDED')

    // The target cycle's word cap applies to the copy.
    const wordy = await officer.post(`/api/clubs/${code}/applications`, { name: 'Wordy', ...open() })
    const c = (await officer.post(`/api/applications/${wordy.json().id}/committees`, { name: 'Press' })).json().id
    for (const w of [300, 300]) await officer.post(`/api/applications/${wordy.json().id}/questions`, { type: 'free_response', prompt: `Essay ${w}`, word_limit: w, committee_ids: [c] })
    r = await officer.post(`/api/applications/${wordy.json().id}/duplicate`, { cycle_id: 2 })
    expect(r.json().error.code).toBe('WORD_CAP_EXCEEDED')
  })

  it('serves public pages from the cache, never stale, and expires them when an application opens', async () => {
    const b = await buildApplication(officer, code, { name: 'Cached page', ...open() })
    let r = await anon.get(`/api/applications/${b.id}`)
    expect(r.statusCode).toBe(200)
    expect(queryCount(r)).toBeLessThanOrEqual(APPLICATION_BUDGETS.page)
    r = await anon.get(`/api/applications/${b.id}`)
    expect(cacheStatus(r)).toMatch(/hit/)
    expect(queryCount(r)).toBe(0)
    await officer.patch(`/api/applications/${b.id}/questions/${b.questions.why!.id}`, { prompt: 'Why us, really?' })
    r = await anon.get(`/api/applications/${b.id}`)
    expect(cacheStatus(r)).not.toMatch(/; hit/)
    expect(r.json().questions.find((x: any) => x.id === b.questions.why!.id).prompt).toBe('Why us, really?')

    const soon = Date.now() + 1500
    const later = await officer.post(`/api/clubs/${code}/applications`, { name: 'Opens soon', starts_at: iso(soon), ends_at: iso(soon + DAY) })
    const list = async () => (await anon.get('/api/applications')).json().applications.map((x: any) => x.id) as number[]
    r = await anon.get('/api/applications')
    expect(queryCount(r)).toBeLessThanOrEqual(APPLICATION_BUDGETS.openList)
    expect(await list()).not.toContain(later.json().id)
    expect(cacheStatus(await anon.get('/api/applications'))).toMatch(/hit/)
    expect((await anon.get(`/api/applications/${later.json().id}`)).json().state).toBe('upcoming')
    await new Promise((resolve) => setTimeout(resolve, soon - Date.now() + 50))
    expect(await list()).toContain(later.json().id)
    expect((await anon.get(`/api/applications/${later.json().id}`)).json().state).toBe('open')
    r = await anon.get('/api/cycles')
    expect(queryCount(r)).toBeLessThanOrEqual(APPLICATION_BUDGETS.cycles)
    expect(r.json().cycles.map((c: any) => c.id)).toEqual(expect.arrayContaining([1, 2]))
  })

  it('manages extensions', async () => {
    const b = await buildApplication(officer, code, { name: 'Extensions', ...open() })
    const ends = (await officer.get(`/api/applications/${b.id}/manage`)).json().ends_at
    let r = await officer.post(`/api/applications/${b.id}/extensions`, { email: 'nobody@nowhere.example', ends_at: ends })
    expect(r.statusCode).toBe(404)
    // Only someone who started the application can be given more time.
    expect((await officer.post(`/api/applications/${b.id}/extensions`, { email: 'student@quad.local', ends_at: ends })).statusCode).toBe(404)
    const student = await new Client(q.app).login('student@quad.local', DEMO_PASSWORD)
    expect((await student.post(`/api/applications/${b.id}/start`)).statusCode).toBe(201)
    r = await officer.post(`/api/applications/${b.id}/extensions`, { email: 'student@quad.local', ends_at: ends })
    expect(r.statusCode, r.body).toBe(200)
    r = await officer.post(`/api/applications/${b.id}/extensions`, { email: 'STUDENT@quad.local', ends_at: iso(Date.parse(ends) + 3_600_000), reason: 'Travel' })
    expect(r.json()).toMatchObject({ email: 'student@quad.local', reason: 'Travel' })
    expect((await officer.get(`/api/applications/${b.id}/extensions`)).json().extensions).toHaveLength(1)
    const uid = r.json().user_id
    expect((await officer.delete(`/api/applications/${b.id}/extensions/${uid}`)).statusCode).toBe(200)
    expect((await officer.delete(`/api/applications/${b.id}/extensions/${uid}`)).statusCode).toBe(404)
  })
})
