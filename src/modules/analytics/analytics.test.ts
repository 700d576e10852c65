import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD } from '../../seed/generate.js'
import { createTestEnv, type QuadInstance, type TestEnv } from '../../../test/helpers/quad.js'
import { Client } from '../../../test/helpers/session.js'

describe('page views and search terms', () => {
  let env: TestEnv
  let q: QuadInstance

  beforeAll(async () => {
    env = await createTestEnv('postgres', { seed: 'demo' })
    q = await env.start()
  })
  afterAll(async () => env?.close())

  it('counts cached page views in batches and shows them to officers only', async () => {
    const club = await q.runtime.db.selectFrom('clubs').where('id', '=', 2).select('code').executeTakeFirstOrThrow()
    for (let i = 0; i < 5; i++) expect((await q.app.inject({ url: `/api/clubs/${club.code}` })).statusCode).toBe(200)
    await q.app.inject({ url: '/api/clubs?q=Chess' })
    await q.app.inject({ url: '/api/clubs?q=chess ' })
    await q.app.analytics.flush()

    const officer = await new Client(q.app).login('officer@quad.local', DEMO_PASSWORD)
    const res = await officer.get(`/api/clubs/${club.code}/analytics`)
    expect(res.statusCode).toBe(200)
    expect(res.json().total).toBe(5)
    expect(res.headers['cache-control']).toBe('private, no-store')

    const student = await new Client(q.app).login('student@quad.local', DEMO_PASSWORD)
    expect((await student.get(`/api/clubs/${club.code}/analytics`)).statusCode).toBe(403)
    expect((await new Client(q.app).get(`/api/clubs/${club.code}/analytics`)).statusCode).toBe(401)

    const admin = await new Client(q.app).login('admin@quad.local', DEMO_PASSWORD)
    const terms = (await admin.get('/api/admin/search-terms')).json().terms
    expect(terms).toContainEqual({ term: 'chess', count: 2 })
    expect((await student.get('/api/admin/search-terms')).statusCode).toBe(403)
  })
})
