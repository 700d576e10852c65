import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BACKENDS, createTestEnv, type QuadInstance, type TestEnv } from '../../../test/helpers/quad.js'
import { getJson, queryCount } from '../../../test/helpers/http.js'
import { MEMBER_LIMIT } from './clubs.repository.js'
import { CLUB_BUDGETS } from './clubs.routes.js'

describe.each(BACKENDS)('club directory on %s', (backend) => {
  let env: TestEnv
  let q: QuadInstance

  beforeAll(async () => {
    env = await createTestEnv(backend, { seed: 'demo' })
    q = await env.start()
  })
  afterAll(async () => env?.close())

  /** The cards with their tag and badge ids resolved to slugs. */
  async function list(url: string) {
    const { res, body } = await getJson(q.app, url)
    const tags = new Map<number, string>(body.tags.map((t: any) => [t.id, t.slug]))
    const badges = new Map<number, string>(body.badges.map((b: any) => [b.id, b.slug]))
    const clubs = (body.clubs as any[]).map((c) => ({ ...c, tagSlugs: c.tags.map((id: number) => tags.get(id)), badgeSlugs: (c.badges ?? []).map((id: number) => badges.get(id)) }))
    return { res, body, clubs }
  }

  it('lists active approved clubs as compact cards within the query budget', async () => {
    const { res, body, clubs } = await list('/api/clubs')
    expect(res.statusCode).toBe(200)
    expect(queryCount(res)).toBeLessThanOrEqual(CLUB_BUDGETS.list)
    const expected = await q.runtime.db
      .selectFrom('clubs')
      .where('status', '=', 'approved')
      .where('active', '=', true)
      .where('archived_at', 'is', null)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    expect(body.total).toBe(Number(expected.n))
    expect(clubs).toHaveLength(Number(expected.n))
    expect(clubs.length).toBeGreaterThan(50)
    const names = clubs.map((c) => c.name.toLowerCase())
    expect(names).toEqual([...names].sort((a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)))
    expect(body.clubs[0]).toMatchObject({ code: expect.any(String), tags: expect.any(Array), bookmarks: expect.any(Number), members: expect.any(Number), updated: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) })
    // Every referenced tag and badge is in the dictionaries, and nothing else.
    expect(clubs.every((c) => c.tagSlugs.every(Boolean) && c.badgeSlugs.every(Boolean))).toBe(true)
    expect(new Set(body.tags.map((t: any) => t.id))).toEqual(new Set(body.clubs.flatMap((c: any) => c.tags)))
    // The page keeps what cards and filters need, and leaves the rest to the club page.
    expect(body.clubs[0]).not.toHaveProperty('description')
    expect(body.clubs[0]).not.toHaveProperty('target_majors')
  })

  it('filters by tag, badge, size, recruiting and text, and paginates', async () => {
    const { clubs: all } = await list('/api/clubs')
    const tag = all.find((c) => c.tagSlugs.length)!.tagSlugs[0]
    const byTag = await list(`/api/clubs?tags=${tag}`)
    expect(byTag.clubs.length).toBeGreaterThan(0)
    expect(byTag.clubs.every((c) => c.tagSlugs.includes(tag))).toBe(true)
    expect(byTag.body.total).toBe(all.filter((c) => c.tagSlugs.includes(tag)).length)
    const badge = all.find((c) => c.badgeSlugs.length)!.badgeSlugs[0]
    const byBadge = await list(`/api/clubs?badges=${badge}`)
    expect(byBadge.body.total).toBe(all.filter((c) => c.badgeSlugs.includes(badge)).length)

    const small = (await list('/api/clubs?size=small,medium&recruiting=true')).clubs
    expect(small.length).toBe(all.filter((c) => ['small', 'medium'].includes(c.size) && c.recruiting).length)
    const closed = (await list('/api/clubs?recruiting=false')).clubs
    expect(closed.length).toBe(all.filter((c) => !c.recruiting).length)

    const word = all[3].name.split(' ')[0]
    const found = (await list(`/api/clubs?q=${encodeURIComponent(word.toUpperCase())}`)).clubs
    expect(found.map((c) => c.code)).toContain(all[3].code)

    const page2 = (await getJson(q.app, '/api/clubs?page=2&pageSize=10')).body
    expect(page2).toMatchObject({ page: 2, pageSize: 10, total: all.length })
    expect(page2.clubs.map((c: any) => c.code)).toEqual(all.slice(10, 20).map((c) => c.code))
    const past = (await getJson(q.app, '/api/clubs?page=9999&pageSize=10')).body
    expect(past).toMatchObject({ clubs: [], total: all.length })
  })

  it('orders by bookmarks, recency and a stable seeded shuffle', async () => {
    const byFav = (await getJson(q.app, '/api/clubs?order=bookmarks')).body.clubs as any[]
    for (let i = 1; i < byFav.length; i++) expect(byFav[i - 1].bookmarks).toBeGreaterThanOrEqual(byFav[i].bookmarks)
    const byUpdated = (await getJson(q.app, '/api/clubs?order=updated')).body.clubs as any[]
    for (let i = 1; i < byUpdated.length; i++) expect(byUpdated[i - 1].updated >= byUpdated[i].updated).toBe(true)
    const a = (await getJson(q.app, '/api/clubs?order=random&seed=7')).body.clubs.map((c: any) => c.code)
    const b = (await getJson(q.app, '/api/clubs?order=random&seed=107')).body.clubs.map((c: any) => c.code)
    const c = (await getJson(q.app, '/api/clubs?order=random&seed=8')).body.clubs.map((c: any) => c.code)
    expect(a).toEqual(b)
    expect(a).not.toEqual(c)
    expect([...a].sort()).toEqual([...c].sort())
  })

  it('rejects bad query values with 400 and a code', async () => {
    for (const url of ['/api/clubs?size=huge', '/api/clubs?order=sideways', '/api/clubs?page=0', '/api/clubs?tags=Bad%20Tag', '/api/clubs?recruiting=maybe']) {
      const { res, body } = await getJson(q.app, url)
      expect(res.statusCode, url).toBe(400)
      expect(body.error.code).toBe('VALIDATION_FAILED')
    }
  })

  it('serves a club page within the query budget whatever its size', async () => {
    const biggest = await q.runtime.db
      .selectFrom('memberships')
      .innerJoin('clubs', 'clubs.id', 'memberships.club_id')
      .innerJoin('users', 'users.id', 'memberships.user_id')
      .where('users.profile_public', '=', true)
      .where('clubs.status', '=', 'approved')
      .where('clubs.active', '=', true)
      .where('clubs.archived_at', 'is', null)
      .where('memberships.is_public', '=', true)
      .groupBy('clubs.code')
      .select(['clubs.code', (eb) => eb.fn.countAll<number>().as('n')])
      .orderBy('n', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow()
    expect(Number(biggest.n)).toBeGreaterThan(10)
    const { res, body } = await getJson(q.app, `/api/clubs/${biggest.code}`)
    expect(res.statusCode).toBe(200)
    expect(queryCount(res)).toBeLessThanOrEqual(CLUB_BUDGETS.detail)
    expect(body.members.length).toBe(Math.min(Number(biggest.n), MEMBER_LIMIT))
    expect(body.members.every((m: any) => m.name && ['owner', 'officer', 'member'].includes(m.role))).toBe(true)
    expect(body).toMatchObject({ code: biggest.code, description: expect.any(String), faqs: expect.any(Array), events: expect.any(Array) })
    for (const e of body.events) expect(Date.parse(e.ends_at)).toBeGreaterThan(Date.now())
  })

  it('hides non-public members and advisors from the club page', async () => {
    const club = await q.runtime.db.selectFrom('clubs').where('status', '=', 'approved').where('active', '=', true).where('archived_at', 'is', null).select(['id', 'code']).orderBy('id').executeTakeFirstOrThrow()
    const hidden = await q.runtime.db.selectFrom('users').select(['id', 'name']).where('id', '=', 999).executeTakeFirstOrThrow()
    await q.runtime.write(async (trx) => {
      await trx.insertInto('memberships').values({ club_id: club.id, user_id: hidden.id, role: 'member', is_public: false }).onConflict((oc) => oc.columns(['club_id', 'user_id']).doUpdateSet({ is_public: false })).execute()
      await trx.insertInto('advisors').values({ club_id: club.id, name: 'Secret Advisor', is_public: false }).execute()
    })
    const { body } = await getJson(q.app, `/api/clubs/${club.code}`)
    expect(JSON.stringify(body)).not.toContain('Secret Advisor')
    expect(body.members.map((m: any) => m.name)).not.toContain(hidden.name + '__never')
    const publicIds = await q.runtime.db
      .selectFrom('memberships as m')
      .innerJoin('users as u', 'u.id', 'm.user_id')
      .where('m.club_id', '=', club.id)
      .where('m.is_public', '=', true)
      .where('m.active', '=', true)
      .where('u.profile_public', '=', true)
      .select('m.user_id')
      .execute()
    expect(body.members.length).toBe(Math.min(publicIds.length, MEMBER_LIMIT))
  })

  it('answers unknown clubs and fairs with a JSON 404', async () => {
    for (const url of ['/api/clubs/no-such-club', '/api/fairs/999999']) {
      const { res, body } = await getJson(q.app, url)
      expect(res.statusCode, url).toBe(404)
      expect(body.error.code).toBe('NOT_FOUND')
    }
  })

  it('serves tags, badges, events and fairs', async () => {
    const tags = (await getJson(q.app, '/api/tags')).body.tags
    expect(tags.length).toBeGreaterThan(10)
    expect(tags.some((t: any) => t.club_count > 0)).toBe(true)
    const badges = (await getJson(q.app, '/api/badges')).body.badges
    expect(badges.length).toBeGreaterThan(0)
    const events = (await getJson(q.app, '/api/events?limit=50')).body.events
    expect(events.length).toBe(50)
    for (let i = 1; i < events.length; i++) expect(Date.parse(events[i - 1].starts_at)).toBeLessThanOrEqual(Date.parse(events[i].starts_at))
    const fairs = (await getJson(q.app, '/api/fairs')).body.fairs
    expect(fairs.length).toBeGreaterThan(0)
    const fair = await getJson(q.app, `/api/fairs/${fairs[0].id}`)
    expect(fair.res.statusCode).toBe(200)
    expect(fair.body.clubs.length).toBeGreaterThan(0)
  })

  it('reports Server-Timing on every response and serves the OpenAPI document', async () => {
    const { res, body } = await getJson(q.app, '/api/openapi.json')
    expect(res.statusCode).toBe(200)
    expect(res.headers['server-timing']).toMatch(/db;dur=/)
    expect(body.openapi).toMatch(/^3\./)
    expect(Object.keys(body.paths)).toEqual(expect.arrayContaining(['/api/clubs', '/api/clubs/{code}', '/api/tags', '/api/fairs/{id}']))
    const docs = await q.app.inject({ method: 'GET', url: '/api/docs/' })
    expect(docs.statusCode).toBe(200)
  })
})
