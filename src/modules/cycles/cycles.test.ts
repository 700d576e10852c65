import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DAY, iso } from '../../../test/helpers/applications.js'
import { queryCount } from '../../../test/helpers/http.js'
import { createTestEnv, type QuadInstance, type TestEnv } from '../../../test/helpers/quad.js'
import { Client } from '../../../test/helpers/session.js'
import { DEMO_PASSWORD } from '../../seed/generate.js'
import { CYCLE_BUDGETS } from './cycles.routes.js'

describe('application cycles (administrators)', () => {
  let env: TestEnv
  let q: QuadInstance
  let admin: Client
  const t0 = Date.now()
  const dates = (startDays: number) => ({
    starts_at: iso(t0 + startDays * DAY),
    ends_at: iso(t0 + (startDays + 7) * DAY),
    results_release_at: iso(t0 + (startDays + 10) * DAY),
  })

  beforeAll(async () => {
    env = await createTestEnv('postgres', { seed: 'demo' })
    q = await env.start()
    admin = await new Client(q.app).login('admin@quad.local', DEMO_PASSWORD)
  })
  afterAll(async () => env?.close())

  it('creates, lists, renames and deletes cycles, with typed errors', async () => {
    let r = await admin.post('/api/admin/cycles', { name: 'Winter', starts_at: iso(t0 + DAY), ends_at: iso(t0), results_release_at: iso(t0) })
    expect(r.json().error).toMatchObject({ code: 'INVALID_DATES', fields: [{ field: 'ends_at', code: 'BEFORE_START' }] })
    r = await admin.post('/api/admin/cycles', { name: 'Winter', ...dates(30), organizer_club: (await q.runtime.db.selectFrom('clubs').where('id', '=', 1).select('code').executeTakeFirstOrThrow()).code, max_committees: 2 })
    expect(r.statusCode, r.body).toBe(201)
    expect(r.json()).toMatchObject({ name: 'Winter', organizer_club: { code: expect.any(String) }, max_committees: 2, applications: 0 })
    const id = r.json().id
    expect((await admin.post('/api/admin/cycles', { name: 'Winter', ...dates(40) })).json().error.code).toBe('CYCLE_NAME_TAKEN')
    r = await admin.get('/api/admin/cycles')
    expect(queryCount(r)).toBeLessThanOrEqual(CYCLE_BUDGETS.list)
    expect(r.json().cycles.map((c: any) => c.name)).toEqual(expect.arrayContaining(['Winter', expect.stringMatching(/Recruitment/)]))
    const other = r.json().cycles.find((c: any) => c.id === 2).name
    expect((await admin.patch(`/api/admin/cycles/${id}`, { name: other })).json().error.code).toBe('CYCLE_NAME_TAKEN')
    expect((await admin.patch(`/api/admin/cycles/${id}`, { results_release_at: iso(t0) })).json().error.code).toBe('INVALID_DATES')
    expect((await admin.patch(`/api/admin/cycles/${id}`, { name: 'Winter Term' })).json()).toMatchObject({ cycle: { name: 'Winter Term' }, moved_applications: 0 })
    expect((await admin.delete('/api/admin/cycles/2')).json().error.code).toBe('CYCLE_HAS_APPLICATIONS')
    expect((await admin.delete(`/api/admin/cycles/${id}`)).statusCode).toBe(200)
    expect((await admin.get(`/api/admin/cycles/${id}`)).statusCode).toBe(404)
  })

  it('attaches clubs, and moves their applications with the cycle except own deadlines', async () => {
    let r = await admin.post('/api/admin/cycles', { name: 'Movable', ...dates(20), max_committees: 3 })
    const id = r.json().id
    const clubs = await q.runtime.db.selectFrom('clubs').where('status', '=', 'approved').where('archived_at', 'is', null).select('code').orderBy('id').limit(3).execute()
    const codes = clubs.map((c) => c.code)
    expect((await admin.post(`/api/admin/cycles/${id}/clubs`, { clubs: [...codes, 'no-such-club'] })).json().error.code).toBe('UNKNOWN_CLUB')
    r = await admin.post(`/api/admin/cycles/${id}/clubs`, { clubs: codes.slice(0, 2) })
    expect(r.json().created.map((c: any) => c.club)).toEqual(codes.slice(0, 2))
    r = await admin.post(`/api/admin/cycles/${id}/clubs`, { clubs: codes })
    expect(r.json()).toMatchObject({ created: [{ club: codes[2] }], already_attached: codes.slice(0, 2) })
    const apps = await q.runtime.db.selectFrom('club_applications').where('cycle_id', '=', id).selectAll().orderBy('id').execute()
    expect(apps).toHaveLength(3)
    expect(apps.every((a) => !a.active && a.max_committees === 3 && a.ends_at.toISOString() === dates(20).ends_at)).toBe(true)

    // One application gets its own deadline; the cycle then moves.
    const exempt = apps[0]!.id
    const own = iso(t0 + 40 * DAY)
    r = await admin.patch(`/api/applications/${exempt}`, { ends_at: own, results_release_at: own })
    expect(r.json()).toMatchObject({ own_deadline: true, ends_at: own })
    const moved = dates(2)
    r = await admin.patch(`/api/admin/cycles/${id}`, { ...moved, max_committees: 2 })
    expect(r.statusCode, r.body).toBe(200)
    expect(r.json().moved_applications).toBe(2)
    const after = await q.runtime.db.selectFrom('club_applications').where('cycle_id', '=', id).selectAll().orderBy('id').execute()
    expect(after[0]!.ends_at.toISOString()).toBe(own)
    for (const a of after.slice(1)) {
      expect([a.starts_at, a.ends_at, a.results_release_at].map((d) => d.toISOString())).toEqual([moved.starts_at, moved.ends_at, moved.results_release_at])
    }
    expect(after.map((a) => a.max_committees)).toEqual([2, 2, 2])

    // Detach: refused once a student has started; fine otherwise.
    await q.runtime.write((trx) => trx.insertInto('submissions').values({ application_id: after[1]!.id, user_id: 500 }).execute())
    expect((await admin.delete(`/api/admin/cycles/${id}/clubs/${codes[1]}`)).json().error.code).toBe('APPLICATION_HAS_SUBMISSIONS')
    expect((await admin.delete(`/api/admin/cycles/${id}/clubs/${codes[2]}`)).statusCode).toBe(200)
    expect((await admin.delete(`/api/admin/cycles/${id}/clubs/${codes[2]}`)).statusCode).toBe(404)
  })

  it('reports per-club progress in three queries, matching the data', async () => {
    const r = await admin.get('/api/admin/cycles/2/progress')
    expect(r.statusCode).toBe(200)
    expect(queryCount(r)).toBeLessThanOrEqual(CYCLE_BUDGETS.progress)
    const expected = await sql<{ drafts: number; submissions: number; decisions: number; clubs: number; applications: number }>`
      select count(*) filter (where s.id is not null and s.submitted_at is null)::int as drafts,
             count(*) filter (where s.submitted_at is not null)::int as submissions,
             count(*) filter (where s.submitted_at is not null and s.status <> 'pending')::int as decisions,
             count(distinct a.club_id)::int as clubs, count(distinct a.id)::int as applications
      from club_applications a left join submissions s on s.application_id = a.id where a.cycle_id = 2`.execute(q.runtime.db)
    const e = expected.rows[0]!
    const body = r.json()
    expect(body.totals).toMatchObject({ drafts: e.drafts, submissions: e.submissions, decisions: e.decisions, applications: e.applications, started: e.drafts + e.submissions })
    expect(body.clubs).toHaveLength(e.clubs)
    expect(body.clubs.reduce((n: number, c: any) => n + c.submissions, 0)).toBe(e.submissions)
    expect(e.submissions).toBeGreaterThan(100)
    expect((await admin.get('/api/admin/cycles/999/progress')).statusCode).toBe(404)
  })
})
