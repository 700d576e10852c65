import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { queryCount } from '../../../test/helpers/http.js'
import { anonymous, count, makeClub, makeUser, setRole, signedIn } from '../../../test/helpers/people.js'
import { BACKENDS, createTestEnv, type QuadInstance, type TestEnv } from '../../../test/helpers/quad.js'
import { FOLLOW_BUDGETS } from '../follows/follows.routes.js'
import { ME_BUDGETS } from './me.routes.js'
import { registerOverlaySection } from './overlay.js'
import { queryBuilder } from '../../db/builder.js'

describe.each(BACKENDS)('profile, bookmarks, subscriptions and the overlay on %s', (backend) => {
  let env: TestEnv
  let q: QuadInstance
  let clubId: number
  let userId: number

  beforeAll(async () => {
    env = await createTestEnv(backend, { seed: 'demo' })
    q = await env.start()
    userId = await makeUser(q.runtime, 'me@example.org', { name: 'Mia Me' })
    const owner = await makeUser(q.runtime, 'me-owner@example.org')
    clubId = await makeClub(q.runtime, 'me-club', owner)
  })
  afterAll(async () => env?.close())

  it('reads and changes the profile, validating the time zone', async () => {
    const c = await signedIn(q.app, 'me@example.org')
    const res = await c.get('/api/me/profile')
    expect(res.statusCode).toBe(200)
    expect(res.headers['cache-control']).toBe('private, no-store')
    expect(queryCount(res)).toBeLessThanOrEqual(ME_BUDGETS.profile)
    expect(res.json()).toMatchObject({ email: 'me@example.org', name: 'Mia Me', time_zone: 'UTC', profile_public: true, sso_linked: false })
    const patched = await c.patch('/api/me/profile', { name: '  Mia Q. Me ', graduation_year: 2027, school: 'Engineering', major: 'Physics', time_zone: 'europe/paris', profile_public: false })
    expect(patched.statusCode, patched.body).toBe(200)
    expect(patched.json()).toMatchObject({ name: 'Mia Q. Me', graduation_year: 2027, school: 'Engineering', major: 'Physics', time_zone: 'Europe/Paris', profile_public: false })
    expect((await c.patch('/api/me/profile', { school: null })).json().school).toBeNull()
    for (const bad of [{ time_zone: 'Mars/Olympus' }, { time_zone: '+02:00' }, { graduation_year: 1900 }, { name: '' }, { name: 'x'.repeat(121) }, { major: 'y'.repeat(121) }, { email: 'a@b.c' }, {}]) {
      const r = await c.patch('/api/me/profile', bad)
      expect(r.statusCode, JSON.stringify(bad)).toBe(400)
      expect(r.json().error.code).toBe('VALIDATION_FAILED')
    }
    const after = (await c.get('/api/me/profile')).json()
    expect(after).toMatchObject({ name: 'Mia Q. Me', time_zone: 'Europe/Paris', graduation_year: 2027, school: null })
    expect((await (await anonymous(q.app)).get('/api/me/profile')).statusCode).toBe(401)
  })

  it('bookmarks idempotently, counts once for a double click, and lists bookmarks', async () => {
    const c = await signedIn(q.app, 'me@example.org')
    const before = (await c.get('/api/clubs/me-club')).json().favorite_count
    const [a, b] = await Promise.all([c.put('/api/clubs/me-club/bookmark'), c.put('/api/clubs/me-club/bookmark')])
    expect([a.statusCode, b.statusCode]).toEqual([200, 200])
    expect(await count(q.runtime, 'bookmarks', { club_id: clubId })).toBe(1)
    // The writer reads its own write: the count moved on the club page and in the directory.
    expect((await c.get('/api/clubs/me-club')).json().favorite_count).toBe(before + 1)
    const listed = (await c.get('/api/clubs?q=me-club')).json().clubs.find((x: any) => x.code === 'me-club')
    expect(listed.bookmarks).toBe(before + 1)
    const mine = await c.get('/api/me/bookmarks')
    expect(queryCount(mine)).toBeLessThanOrEqual(ME_BUDGETS.bookmarks)
    expect(mine.json().clubs.map((x: any) => x.code)).toEqual(['me-club'])
    expect((await c.put('/api/clubs/me-club/bookmark')).json()).toEqual({ club: 'me-club', bookmarked: true })
    expect((await c.delete('/api/clubs/me-club/bookmark')).json()).toEqual({ club: 'me-club', bookmarked: false })
    expect((await c.delete('/api/clubs/me-club/bookmark')).statusCode).toBe(200)
    expect(await count(q.runtime, 'bookmarks', { club_id: clubId })).toBe(0)
    expect((await c.get('/api/clubs/me-club')).json().favorite_count).toBe(before)
    expect((await c.put('/api/clubs/no-such-club/bookmark')).statusCode).toBe(404)
  })

  it('subscribes, and officers list and export subscribers as CSV', async () => {
    const c = await signedIn(q.app, 'me@example.org')
    const [a, b] = await Promise.all([c.put('/api/clubs/me-club/subscription'), c.put('/api/clubs/me-club/subscription')])
    expect([a.statusCode, b.statusCode]).toEqual([200, 200])
    expect(await count(q.runtime, 'subscriptions', { club_id: clubId })).toBe(1)
    const subs = await c.get('/api/me/subscriptions')
    expect(queryCount(subs)).toBeLessThanOrEqual(ME_BUDGETS.subscriptions)
    expect(subs.json().clubs.map((x: any) => x.code)).toEqual(['me-club'])
    const evil = await makeUser(q.runtime, 'evil@example.org', { name: '=HYPERLINK("http://x")' })
    await q.runtime.write((trx) => trx.insertInto('subscriptions').values({ user_id: evil, club_id: clubId }).execute())

    const officer = await signedIn(q.app, 'me-owner@example.org')
    const list = await officer.get('/api/clubs/me-club/subscribers')
    expect(list.statusCode).toBe(200)
    expect(queryCount(list)).toBeLessThanOrEqual(FOLLOW_BUDGETS.subscribers)
    expect(list.json().subscribers.map((s: any) => s.email).sort()).toEqual(['evil@example.org', 'me@example.org'])
    const csv = await officer.get('/api/clubs/me-club/subscribers/export')
    expect(csv.statusCode).toBe(200)
    expect(queryCount(csv)).toBeLessThanOrEqual(FOLLOW_BUDGETS.export)
    expect(csv.headers['content-type']).toMatch(/^text\/csv/)
    expect(csv.headers['content-disposition']).toContain('me-club-subscribers.csv')
    const lines = csv.body.trim().split('\r\n')
    expect(lines[0]).toBe('name,email,subscribed_at')
    expect(lines).toHaveLength(3)
    expect(csv.body).toContain(`"'=HYPERLINK(""http://x"")"`)
    expect((await c.get('/api/clubs/me-club/subscribers')).statusCode).toBe(403)
  })

  it('serves the overlay privately within its budget, with sections other modules register', async () => {
    await setRole(q.runtime, clubId, userId, 'officer', 'Treasurer')
    registerOverlaySection('test_extra', (id) => queryBuilder.selectFrom('users').where('id', '=', id).select('email'))
    try {
      const c = await signedIn(q.app, 'me@example.org')
      await c.put('/api/clubs/me-club/bookmark')
      const res = await c.get('/api/me/overlay')
      expect(res.statusCode).toBe(200)
      expect(res.headers['cache-control']).toBe('private, no-store')
      expect(res.headers['cache-status']).toBeUndefined()
      expect(queryCount(res)).toBeLessThanOrEqual(ME_BUDGETS.overlay)
      const body = res.json()
      expect(body.user_id).toBe(userId)
      expect(body.sections.bookmarks).toEqual(['me-club'])
      expect(body.sections.subscriptions).toEqual(['me-club'])
      expect(body.sections.memberships).toEqual([{ club: 'me-club', role: 'officer', title: 'Treasurer', is_public: true }])
      expect(body.sections.requests).toEqual([])
      expect(body.sections.test_extra).toBe('me@example.org')
      expect((await (await anonymous(q.app)).get('/api/me/overlay')).statusCode).toBe(401)
    } finally {
      registerOverlaySection('test_extra', null)
    }
  })
})
