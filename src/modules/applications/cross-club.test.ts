import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Built, DAY, buildApplication, completeProfiles, goodAnswers, iso, officerClub } from '../../../test/helpers/applications.js'
import { queryCount } from '../../../test/helpers/http.js'
import { makeClub, makeUser, signedIn } from '../../../test/helpers/people.js'
import { createTestEnv, type QuadInstance, type TestEnv } from '../../../test/helpers/quad.js'
import type { Client } from '../../../test/helpers/session.js'
import { DEMO_PASSWORD } from '../../seed/generate.js'
import { CYCLE_BUDGETS } from '../cycles/cycles.routes.js'
import { APPLICATION_BUDGETS } from './applications.routes.js'

/**
 * Club A's officer addressing club B's committees, questions, extensions and applicants through
 * A's own application: every such id is a 404, whatever state B's data is in.
 */
describe("ids of another club's application", () => {
  let env: TestEnv
  let q: QuadInstance
  let officerB: Client
  let officerA: Client
  let admin: Client
  let appB: Built
  let appA: Built
  let frozenA: number
  const dates = () => ({ starts_at: iso(Date.now() - DAY), ends_at: iso(Date.now() + DAY), results_release_at: iso(Date.now() + 3 * DAY), max_committees: 2 })
  const applicant = async (email: string) => {
    await makeUser(q.runtime, email)
    await completeProfiles(q.runtime, [email])
    return signedIn(q.app, email)
  }

  beforeAll(async () => {
    env = await createTestEnv('postgres', { seed: 'demo' })
    q = await env.start()
    admin = await signedIn(q.app, 'admin@quad.local', DEMO_PASSWORD)
    officerB = await signedIn(q.app, 'officer@quad.local', DEMO_PASSWORD)
    appB = await buildApplication(officerB, (await officerClub(q.runtime)).code, { name: 'Club B application', ...dates() })
    // B's applicant answers every general question and picks Marketing: B's question and committee are in use.
    const s = await applicant('b-applicant@x.example')
    expect((await s.post(`/api/applications/${appB.id}/submit`, goodAnswers(appB, ['Marketing']), { 'idempotency-key': 'cross-b-1' })).statusCode).toBe(201)

    await makeClub(q.runtime, 'xa-club', await makeUser(q.runtime, 'a-officer@x.example'))
    officerA = await signedIn(q.app, 'a-officer@x.example')
    appA = await buildApplication(officerA, 'xa-club', { name: 'Club A application', ...dates() })
    // The seed's current cycle freezes committees once open (it is).
    const r = await officerA.post('/api/clubs/xa-club/applications', { name: 'Club A frozen', cycle_id: 2 })
    expect(r.json().rules.committees_frozen).toBe(true)
    frozenA = r.json().id
  })
  afterAll(async () => env?.close())

  it('answers 404 for a committee or question of another application before any rule', async () => {
    const marketing = appB.committees.Marketing!
    const why = appB.questions.why!.id
    for (const id of [appA.id, frozenA]) {
      for (const [method, url, body] of [
        ['DELETE', `/api/applications/${id}/committees/${marketing}`],
        ['PATCH', `/api/applications/${id}/committees/${marketing}`, { name: 'Renamed' }],
        ['DELETE', `/api/applications/${id}/questions/${why}`],
        ['PATCH', `/api/applications/${id}/questions/${why}`, { prompt: 'Renamed' }],
        ['DELETE', `/api/applications/${id}/extensions/${await userIdOf('b-applicant@x.example')}`],
      ] as const) {
        const r = await officerA.request({ method, url, ...(body ? { payload: body } : {}) })
        expect(r.statusCode, `${method} ${url}: ${r.body}`).toBe(404)
        expect(r.json().error.code).toBe('NOT_FOUND')
      }
    }
    // A filter by another application's committee is a 404 too, in the list and the export.
    expect((await officerA.get(`/api/applications/${appA.id}/submissions?committee=${marketing}`)).statusCode).toBe(404)
    expect((await officerA.get(`/api/applications/${appA.id}/submissions.csv?committee=${marketing}`)).statusCode).toBe(404)
    expect((await officerA.get(`/api/applications/${appA.id}/submissions?committee=${appA.committees.Marketing}`)).statusCode).toBe(200)

    // B's structure is untouched, and B's officer still meets B's own rules.
    const managed = (await officerB.get(`/api/applications/${appB.id}/manage`)).json()
    expect(managed.committees.map((c: any) => c.name)).toEqual(['Marketing', 'Events'])
    expect(managed.questions.find((x: any) => x.id === why).prompt).toBe('Why do you want to join?')
    expect((await officerB.delete(`/api/applications/${appB.id}/questions/${why}`)).json().error.code).toBe('QUESTION_HAS_RESPONSES')
    expect((await officerB.delete(`/api/applications/${appB.id}/committees/${marketing}`)).json().error.code).toBe('COMMITTEE_CHOSEN')
    // A's own committee in A's frozen application meets the freeze.
    const own = (await officerA.post(`/api/applications/${appA.id}/committees`, { name: 'Own' })).json().id
    expect((await officerA.delete(`/api/applications/${appA.id}/committees/${own}`)).statusCode).toBe(200)
    const frozenOwn = await q.runtime.write((trx) => trx.insertInto('committees').values({ application_id: frozenA, name: 'Late' }).returning('id').executeTakeFirstOrThrow())
    expect((await officerA.delete(`/api/applications/${frozenA}/committees/${frozenOwn.id}`)).json().error.code).toBe('COMMITTEES_FROZEN')
    expect((await officerA.patch(`/api/applications/${frozenA}/committees/${frozenOwn.id}`, { name: 'Later' })).json().error.code).toBe('COMMITTEES_FROZEN')
  })

  async function userIdOf(email: string) {
    return (await q.runtime.db.selectFrom('users').where('email', '=', email).select('id').executeTakeFirstOrThrow()).id
  }

  it('grants extensions only to people who started or submitted the application, and says nothing about other emails', async () => {
    const ends = (await officerA.get(`/api/applications/${appA.id}/manage`)).json().ends_at
    const later = iso(Date.parse(ends) + 3_600_000)
    await makeUser(q.runtime, 'bystander@x.example')
    const unknown = await officerA.post(`/api/applications/${appA.id}/extensions`, { email: 'nobody@x.example', ends_at: later })
    const bystander = await officerA.post(`/api/applications/${appA.id}/extensions`, { email: 'bystander@x.example', ends_at: later })
    // B's applicant has an account and applied elsewhere: still nobody to A.
    const elsewhere = await officerA.post(`/api/applications/${appA.id}/extensions`, { email: 'b-applicant@x.example', ends_at: later })
    for (const r of [unknown, bystander, elsewhere]) {
      expect(r.statusCode).toBe(404)
      expect(r.json()).toEqual(unknown.json())
    }

    const drafting = await applicant('a-drafting@x.example')
    expect((await drafting.post(`/api/applications/${appA.id}/start`)).statusCode).toBe(201)
    const granted = await officerA.post(`/api/applications/${appA.id}/extensions`, { email: 'A-Drafting@x.example', ends_at: later })
    expect(granted.statusCode, granted.body).toBe(200)
    expect(queryCount(granted)).toBeLessThanOrEqual(APPLICATION_BUDGETS.grantExtension)
    const submitted = await applicant('a-submitted@x.example')
    expect((await submitted.post(`/api/applications/${appA.id}/submit`, goodAnswers(appA, ['Events']), { 'idempotency-key': 'cross-a-1' })).statusCode).toBe(201)
    expect((await officerA.post(`/api/applications/${appA.id}/extensions`, { email: 'a-submitted@x.example', ends_at: ends })).statusCode).toBe(200)
    expect((await officerA.get(`/api/applications/${appA.id}/extensions`)).json().extensions.map((e: any) => e.email)).toEqual(['a-drafting@x.example', 'a-submitted@x.example'])
  })

  it('refuses to move the results release before an extension ends', async () => {
    const app = (await officerA.get(`/api/applications/${appA.id}/manage`)).json()
    const extensionEnd = Date.parse(app.ends_at) + 3_600_000
    // The previous test extended a-drafting until an hour after the deadline.
    let r = await officerA.patch(`/api/applications/${appA.id}`, { results_release_at: iso(extensionEnd - 60_000) })
    expect(r.statusCode).toBe(409)
    expect(r.json().error).toMatchObject({ code: 'RELEASE_BEFORE_EXTENSION', fields: [{ field: 'results_release_at', code: 'BEFORE_EXTENSION' }] })
    expect((await officerA.get(`/api/applications/${appA.id}/manage`)).json().results_release_at).toBe(app.results_release_at)
    r = await officerA.patch(`/api/applications/${appA.id}`, { results_release_at: iso(extensionEnd) })
    expect(r.statusCode, r.body).toBe(200)
    expect(queryCount(r)).toBeLessThanOrEqual(APPLICATION_BUDGETS.update)
    // Once the extension is revoked, the release may come earlier.
    expect((await officerA.delete(`/api/applications/${appA.id}/extensions/${await userIdOf('a-drafting@x.example')}`)).statusCode).toBe(200)
    expect((await officerA.patch(`/api/applications/${appA.id}`, { results_release_at: app.ends_at })).statusCode).toBe(200)
  })

  it("refuses a cycle's new release date before an extension of one of its applications", async () => {
    const t = Date.now()
    let r = await admin.post('/api/admin/cycles', { name: 'Extended cycle', starts_at: iso(t - DAY), ends_at: iso(t + DAY), results_release_at: iso(t + 3 * DAY) })
    expect(r.statusCode, r.body).toBe(201)
    const cycle = r.json().id
    r = await officerA.post('/api/clubs/xa-club/applications', { name: 'In the extended cycle', cycle_id: cycle })
    const app = r.json().id
    expect((await officerA.patch(`/api/applications/${app}`, { active: true })).statusCode).toBe(200)
    const s = await applicant('cycle-applicant@x.example')
    expect((await s.post(`/api/applications/${app}/start`)).statusCode).toBe(201)
    expect((await officerA.post(`/api/applications/${app}/extensions`, { email: 'cycle-applicant@x.example', ends_at: iso(t + 2 * DAY) })).statusCode).toBe(200)

    r = await admin.patch(`/api/admin/cycles/${cycle}`, { results_release_at: iso(t + 1.5 * DAY) })
    expect(r.statusCode).toBe(409)
    expect(r.json().error.code).toBe('RELEASE_BEFORE_EXTENSION')
    expect((await officerA.get(`/api/applications/${app}/manage`)).json().results_release_at).toBe(iso(t + 3 * DAY))
    expect((await admin.get(`/api/admin/cycles/${cycle}`)).json().results_release_at).toBe(iso(t + 3 * DAY))
    r = await admin.patch(`/api/admin/cycles/${cycle}`, { results_release_at: iso(t + 2 * DAY) })
    expect(r.statusCode, r.body).toBe(200)
    expect(queryCount(r)).toBeLessThanOrEqual(CYCLE_BUDGETS.update)
  })
})
