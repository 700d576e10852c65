import { parse } from 'csv-parse/sync'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DAY, type Built, buildApplication, completeProfiles, foreignClub, goodAnswers, iso, officerClub, userId } from '../../../test/helpers/applications.js'
import { queryCount } from '../../../test/helpers/http.js'
import { BACKENDS, createTestEnv, type QuadInstance, type TestEnv } from '../../../test/helpers/quad.js'
import { Client } from '../../../test/helpers/session.js'
import { DEMO_PASSWORD } from '../../seed/generate.js'
import { exportCsv } from './export.js'
import { REVIEW_BUDGETS } from './review.routes.js'

describe.each(BACKENDS)('review and its permissions on %s', (backend) => {
  let env: TestEnv
  let q: QuadInstance
  let anon: Client
  let admin: Client
  let officer: Client
  let foreignOfficer: Client
  let a: Client
  let b: Client
  let own: Built
  let foreign: Built
  let umbrella: Built
  const subs: Record<string, number> = {}

  beforeAll(async () => {
    env = await createTestEnv(backend, { seed: 'demo' })
    q = await env.start()
    const rt = q.runtime
    anon = new Client(q.app)
    await anon.get('/api/me')
    admin = await new Client(q.app).login('admin@quad.local', DEMO_PASSWORD)
    officer = await new Client(q.app).login('officer@quad.local', DEMO_PASSWORD)
    const dates = { starts_at: iso(Date.now() - DAY), ends_at: iso(Date.now() + DAY), results_release_at: iso(Date.now() + 2 * DAY), max_committees: 2 }
    own = await buildApplication(officer, (await officerClub(rt)).code, { name: 'Own club application', ...dates })
    const fclub = await foreignClub(rt)
    foreign = await buildApplication(admin, fclub.code, { name: 'Foreign club application', ...dates })
    // Club 8 sits under the umbrella club 1, which officer@quad.local owns.
    const child = await rt.db.selectFrom('clubs').where('id', '=', 8).select('code').executeTakeFirstOrThrow()
    umbrella = await buildApplication(admin, child.code, { name: 'Umbrella child application', ...dates })

    foreignOfficer = await new Client(q.app).signup(`foreign-officer-${backend}@example.edu`)
    const fo = await userId(rt, `foreign-officer-${backend}@example.edu`)
    await rt.write((trx) => trx.insertInto('memberships').values({ club_id: fclub.id, user_id: fo, role: 'officer' }).execute())

    const emails = [`rev-a-${backend}@example.edu`, `rev-b-${backend}@example.edu`]
    a = await new Client(q.app).signup(emails[0]!, 'correct horse battery', 'Reviewed A')
    b = await new Client(q.app).signup(emails[1]!, 'correct horse battery', 'Reviewed B')
    await completeProfiles(rt, emails)
    const submit = async (c: Client, built: Built, committees: string[], key: string, words?: string) => {
      const r = await c.post(`/api/applications/${built.id}/submit`, goodAnswers(built, committees, words), { 'idempotency-key': key })
      expect(r.statusCode, r.body).toBe(201)
      return r.json().submission_id as number
    }
    subs.aOwn = await submit(a, own, ['Marketing'], 'rev-a-own', '=HYPERLINK("http://evil") secret-a-text')
    subs.bOwn = await submit(b, own, ['Events'], 'rev-b-own', 'secret-b-text')
    subs.aForeign = await submit(a, foreign, ['Events'], 'rev-a-foreign')
    subs.aUmbrella = await submit(a, umbrella, ['Events'], 'rev-a-umbrella')
  })
  afterAll(async () => env?.close())

  it('lets only the club’s officers (umbrella included) and administrators review', async () => {
    const matrix: [string, Client, string, string, number][] = [
      ['anonymous list', anon, 'GET', `/api/applications/${own.id}/submissions`, 401],
      ['applicant list', a, 'GET', `/api/applications/${own.id}/submissions`, 403],
      ['officer list', officer, 'GET', `/api/applications/${own.id}/submissions`, 200],
      ['other officer list', foreignOfficer, 'GET', `/api/applications/${own.id}/submissions`, 403],
      ['admin list', admin, 'GET', `/api/applications/${own.id}/submissions`, 200],
      ['officer on foreign club', officer, 'GET', `/api/applications/${foreign.id}/submissions`, 403],
      ['foreign officer on own club', foreignOfficer, 'GET', `/api/applications/${foreign.id}/submissions`, 200],
      ['umbrella officer below', officer, 'GET', `/api/applications/${umbrella.id}/submissions`, 200],
      ['applicant reads own via review', a, 'GET', `/api/submissions/${subs.aOwn}`, 403],
      ['student reads another', b, 'GET', `/api/submissions/${subs.aOwn}`, 403],
      ['officer reads one', officer, 'GET', `/api/submissions/${subs.aOwn}`, 200],
      ['foreign officer reads one', foreignOfficer, 'GET', `/api/submissions/${subs.aOwn}`, 403],
      ['officer reads foreign one', officer, 'GET', `/api/submissions/${subs.aForeign}`, 403],
      ['applicant export', a, 'GET', `/api/applications/${own.id}/submissions.csv`, 403],
      ['foreign officer export', foreignOfficer, 'GET', `/api/applications/${own.id}/submissions.csv`, 403],
      ['applicant manage view', a, 'GET', `/api/applications/${own.id}/manage`, 403],
      ['officer manage foreign', officer, 'GET', `/api/applications/${foreign.id}/manage`, 403],
      ['officer extensions foreign', officer, 'GET', `/api/applications/${foreign.id}/extensions`, 403],
      ['officer admin cycles', officer, 'GET', '/api/admin/cycles', 403],
      ['student progress', a, 'GET', '/api/admin/cycles/2/progress', 403],
      ['anonymous admin cycles', anon, 'GET', '/api/admin/cycles', 401],
    ]
    for (const [label, c, method, url, status] of matrix) {
      const r = await c.request({ method: method as 'GET', url })
      expect(r.statusCode, label).toBe(status)
    }
    const writes: [string, Client, 'patch' | 'post', string, unknown, number][] = [
      ['student sets status', b, 'patch', `/api/submissions/${subs.aOwn}`, { status: 'accepted' }, 403],
      ['foreign officer sets status', foreignOfficer, 'patch', `/api/submissions/${subs.aOwn}`, { status: 'accepted' }, 403],
      ['student adds note', a, 'post', `/api/submissions/${subs.aOwn}/notes`, { body: 'me!', score: 10 }, 403],
      ['student bulk', a, 'post', `/api/applications/${own.id}/submissions/status`, { submission_ids: [subs.aOwn], status: 'accepted' }, 403],
      ['student sends decisions', a, 'post', `/api/applications/${own.id}/decisions/send`, { dry_run: true }, 403],
      ['foreign officer sends decisions', foreignOfficer, 'post', `/api/applications/${own.id}/decisions/send`, { dry_run: true }, 403],
      ['student grants extension', a, 'post', `/api/applications/${own.id}/extensions`, { email: 'x@example.edu', ends_at: iso(Date.now() + 3 * DAY) }, 403],
      ['officer edits foreign app', officer, 'patch', `/api/applications/${foreign.id}`, { name: 'Mine now' }, 403],
      ['officer bulk with a foreign submission', officer, 'post', `/api/applications/${own.id}/submissions/status`, { submission_ids: [subs.bOwn, subs.aForeign], status: 'accepted' }, 400],
      ['student creates cycle', a, 'post', '/api/admin/cycles', { name: 'x', starts_at: iso(Date.now()), ends_at: iso(Date.now() + DAY), results_release_at: iso(Date.now() + DAY) }, 403],
    ]
    for (const [label, c, method, url, body, status] of writes) {
      const r = await c[method](url, body)
      expect(r.statusCode, label).toBe(status)
    }
    const untouched = await q.runtime.db.selectFrom('submissions').where('id', 'in', [subs.aOwn!, subs.bOwn!, subs.aForeign!]).select('status').execute()
    expect(untouched.map((s) => s.status)).toEqual(['pending', 'pending', 'pending'])
    expect(await q.runtime.db.selectFrom('review_notes').where('submission_id', '=', subs.aOwn!).select('id').execute()).toEqual([])
  })

  it("never shows a student another student's answers", async () => {
    const mine = await b.get(`/api/applications/${own.id}/draft`)
    expect(mine.json().submission_id).toBe(subs.bOwn)
    expect(mine.body).not.toContain('secret-a-text')
    const list = await b.get('/api/me/applications')
    expect(list.json().applications.map((x: any) => x.submission_id)).toEqual([subs.bOwn])
    expect((await b.get(`/api/applications/${foreign.id}/draft`)).statusCode).toBe(404)
    // Public pages are the same for everybody and carry no submission data.
    const page = await anon.get(`/api/applications/${own.id}`)
    expect(page.body).not.toContain('secret-a-text')
    expect(page.body).not.toContain('pending')
  })

  it('keeps decisions invisible to applicants until results are released', async () => {
    expect((await officer.patch(`/api/submissions/${subs.aOwn}`, { status: 'accepted', reason: 'Top pick' })).statusCode).toBe(200)
    for (const url of ['/api/me/applications', `/api/applications/${own.id}/draft`]) {
      const r = await a.get(url)
      expect(r.statusCode).toBe(200)
      expect(r.body, url).not.toMatch(/accepted|Top pick/)
    }
    const mine = (await a.get('/api/me/applications')).json().applications.find((x: any) => x.application.id === own.id)
    expect(mine).toMatchObject({ state: 'submitted', decision: null, results_released: false })
    expect((await officer.post(`/api/applications/${own.id}/decisions/send`, { dry_run: false })).statusCode).toBe(409)
    const aId = await userId(q.runtime, `rev-a-${backend}@example.edu`)
    const club = await officerClub(q.runtime)
    expect(await q.runtime.db.selectFrom('memberships').where('club_id', '=', club.id).where('user_id', '=', aId).select('id').execute()).toEqual([])

    // Release (the officer moves the standalone application's dates into the past).
    const r = await officer.patch(`/api/applications/${own.id}`, { starts_at: iso(Date.now() - 2 * DAY), ends_at: iso(Date.now() - 2000), results_release_at: iso(Date.now() - 1000) })
    expect(r.statusCode, r.body).toBe(200)
    const after = (await a.get('/api/me/applications')).json().applications.find((x: any) => x.application.id === own.id)
    expect(after).toMatchObject({ results_released: true, decision: { status: 'accepted', reason: 'Top pick' } })
    expect((await a.get(`/api/applications/${own.id}/draft`)).json().decision).toEqual({ status: 'accepted', reason: 'Top pick' })
    // B has no decision yet: still nothing to show.
    expect((await b.get(`/api/applications/${own.id}/draft`)).json()).toMatchObject({ results_released: true, decision: null })
  })

  it('counts applicants already notified (before the outbox knew them) as sent', async () => {
    const past = await q.runtime.db
      .selectFrom('submissions as s')
      .innerJoin('club_applications as a', 'a.id', 's.application_id')
      .where('a.cycle_id', '=', 1)
      .where('s.notified_at', 'is not', null)
      .select('a.id')
      .executeTakeFirstOrThrow()
    const r = await admin.post(`/api/applications/${past.id}/decisions/send`, { dry_run: false })
    expect(r.statusCode, r.body).toBe(200)
    expect(r.json()).toMatchObject({ results_released: true, queued: 0, send: [], memberships_created: 0 })
    expect(r.json().skipped.length).toBeGreaterThan(0)
    expect(r.json().skipped.every((x: any) => x.reason === 'already_sent')).toBe(true)
  })

  it('lists any number of submissions with all answers in the same few queries', async () => {
    const rt = q.runtime
    const big = await rt.db
      .selectFrom('submissions')
      .where('submitted_at', 'is not', null)
      .groupBy('application_id')
      .select(['application_id', (eb) => eb.fn.countAll<number>().as('n')])
      .orderBy('n', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow()
    expect(Number(big.n)).toBeGreaterThan(20)
    const large = await admin.get(`/api/applications/${big.application_id}/submissions`)
    const small = await admin.get(`/api/applications/${own.id}/submissions`)
    expect(large.json().total).toBe(Number(big.n))
    expect(large.json().submissions).toHaveLength(Number(big.n))
    const responses = await rt.db
      .selectFrom('responses as r')
      .innerJoin('submissions as s', 's.id', 'r.submission_id')
      .where('s.application_id', '=', big.application_id)
      .where('s.submitted_at', 'is not', null)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    expect(large.json().submissions.reduce((n: number, s: any) => n + s.responses.length, 0)).toBe(Number(responses.n))
    expect(queryCount(large)).toBeLessThanOrEqual(REVIEW_BUDGETS.list)
    expect(queryCount(large)).toBe(queryCount(small))
    const page = await admin.get(`/api/applications/${big.application_id}/submissions?limit=5&offset=5`)
    expect(page.json()).toMatchObject({ total: Number(big.n), limit: 5, offset: 5 })
    expect(page.json().submissions.map((s: any) => s.id)).toEqual(large.json().submissions.slice(5, 10).map((s: any) => s.id))
    const one = await officer.get(`/api/submissions/${subs.bOwn}`)
    expect(queryCount(one)).toBeLessThanOrEqual(REVIEW_BUDGETS.one)
  })

  it('exports CSV in batches from the database, with spreadsheet formulas defused', async () => {
    const rt = q.runtime
    // 1,300 more applicants for the officer's application (seeded users; set-based setup).
    const questions = Object.values(own.questions).filter((x) => x.type === 'free_response' && x.id === own.questions.why!.id)
    await rt.write(async (trx) => {
      await sql`
        with s as (
          insert into submissions (application_id, user_id, submitted_at, content_digest)
          select ${own.id}, u.id, now() - interval '1 hour', md5(u.id::text)
          from users u where u.id between 100 and 1399
          on conflict do nothing
          returning id, user_id
        )
        insert into responses (submission_id, question_id, text)
        select s.id, ${questions[0]!.id}, 'bulk answer ' || s.user_id from s`.execute(trx)
    })
    const expected = Number(
      (await rt.db.selectFrom('submissions').where('application_id', '=', own.id).where('submitted_at', 'is not', null).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n,
    )
    expect(expected).toBeGreaterThan(1300)
    const r = await officer.get(`/api/applications/${own.id}/submissions.csv`)
    expect(r.statusCode).toBe(200)
    expect(queryCount(r)).toBeLessThanOrEqual(REVIEW_BUDGETS.exportStart)
    expect(r.headers['content-disposition']).toMatch(/^attachment; filename=".+\.csv"$/)
    const rows = parse(r.body, { columns: true }) as Record<string, string>[]
    expect(rows).toHaveLength(expected)
    const ids = rows.map((x) => Number(x.submission_id))
    expect(ids).toEqual([...ids].sort((x, y) => x - y))
    const rowA = rows.find((x) => Number(x.submission_id) === subs.aOwn)!
    expect(rowA['Q1. Why do you want to join?']).toBe(`'=HYPERLINK("http://evil") secret-a-text`)
    expect(rows.filter((x) => x['Q1. Why do you want to join?']!.startsWith('bulk answer '))).toHaveLength(1300)
    const filtered = parse((await officer.get(`/api/applications/${own.id}/submissions.csv?status=accepted`)).body, { columns: true }) as unknown[]
    expect(filtered).toHaveLength(1)

    // Read two chunks, abandon the download: the rows came in pieces and the connection returns.
    const { stream } = await exportCsv({ db: rt.db, cursor: backend === 'postgres' }, { id: own.id, club_code: 'own' }, {})
    const chunks: string[] = []
    for await (const chunk of stream) {
      chunks.push(String(chunk))
      if (chunks.length === 2) break
    }
    expect(chunks[1]!.split('\n').length).toBeGreaterThan(100)
    expect(chunks.join('').length).toBeLessThan(r.body.length / 2)
    await new Promise((resolve) => setTimeout(resolve, 50))
    const ok = await Promise.race([
      rt.db.selectFrom('clubs').select('id').limit(1).execute().then(() => 'free'),
      new Promise((resolve) => setTimeout(() => resolve('stuck'), 3000)),
    ])
    expect(ok).toBe('free')
    if (backend === 'postgres') expect(rt.database.pool.totalCount - rt.database.pool.idleCount).toBe(0)
  })
})
