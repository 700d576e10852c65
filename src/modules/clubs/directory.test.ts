import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newScope, runInScope } from '../../db/scope.js'
import { cacheStatus, getJson, queryCount } from '../../../test/helpers/http.js'
import { BACKENDS, createTestEnv, type QuadInstance, type TestEnv } from '../../../test/helpers/quad.js'
import { classifyDirectoryDep, DIRECTORY_TABLES, directorySource } from './directory.model.js'

async function until(fn: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const t0 = Date.now()
  while (Date.now() - t0 < timeoutMs) {
    if (await fn()) return
    await new Promise((r) => setTimeout(r, 5))
  }
  throw new Error(`condition not met within ${timeoutMs} ms`)
}

const statements = (...qs: QuadInstance[]) => qs.map((q) => q.runtime.database.counter.statements)

async function publicClubWithTag(q: QuadInstance, offset: number) {
  return q.runtime.db
    .selectFrom('clubs as c')
    .innerJoin('club_tags as ct', 'ct.club_id', 'c.id')
    .innerJoin('tags as t', 't.id', 'ct.tag_id')
    .where('c.status', '=', 'approved')
    .where('c.active', '=', true)
    .where('c.archived_at', 'is', null)
    .select(['c.id', 'c.code', 't.slug as tag'])
    .orderBy('c.id')
    .offset(offset)
    .limit(1)
    .executeTakeFirstOrThrow()
}

describe('directory model on PostgreSQL + Redis, two instances', () => {
  let env: TestEnv
  let a: QuadInstance
  let b: QuadInstance
  let sqlClient: pg.Client

  beforeAll(async () => {
    env = await createTestEnv('postgres', { seed: 'demo', redis: true })
    // The invalidators poll when a commit notifies them; the idle backstop poll is left out of the count.
    a = await env.start({ cache: { backstopMs: 600_000 } })
    b = await env.start({ cache: { backstopMs: 600_000 } })
    sqlClient = new pg.Client({ connectionString: env.env.DATABASE_URL })
    await sqlClient.connect()
  })
  afterAll(async () => {
    await sqlClient?.end()
    await env?.close()
  })

  it('serves every variant from the model with no SQL once loaded', async () => {
    await getJson(a.app, '/api/clubs')
    const before = statements(a)
    const urls = ['/api/clubs?order=bookmarks', '/api/clubs?size=small&page=2&pageSize=5', '/api/clubs?q=chess', '/api/clubs?order=random&seed=3', '/api/clubs?recruiting=true&order=updated']
    for (const url of urls) {
      const { res } = await getJson(a.app, url)
      expect(res.statusCode, url).toBe(200)
      expect(queryCount(res), url).toBe(0)
      expect(cacheStatus(res), url).toBe('quad; fwd=miss; stored; detail="view"')
      expect(cacheStatus(await a.app.inject({ url })), url).toBe('quad; hit; detail="view"')
    }
    expect(statements(a)).toEqual(before)
  })

  it('an SQL edit to one club costs at most 2 statements per instance, and 50 new variants on each show it', async () => {
    const club = await publicClubWithTag(a, 2)
    const warm = ['/api/clubs', `/api/clubs?tags=${club.tag}`]
    for (const q of [a, b]) for (const url of warm) await q.app.inject({ url })
    const clock0 = (await a.runtime.cache.engine.readClock()).clock
    const before = statements(a, b)

    await sqlClient.query(`update clubs set subtitle = 'Edited with plain SQL' where id = $1`, [club.id])
    // Outside writes are not acknowledged by Quad; they are visible once an invalidator applied them.
    await until(async () => (await a.runtime.cache.engine.readClock()).clock > clock0, 2000)
    const variants = [
      ...['alpha', 'bookmarks', 'updated'].map((o) => `order=${o}`),
      ...Array.from({ length: 47 }, (_, i) => `order=random&seed=${i}`),
    ].map((v) => `/api/clubs?tags=${club.tag}&${v}&pageSize=500`)
    expect(variants).toHaveLength(50)
    const reads = await Promise.all([a, b].flatMap((q) => variants.map((url) => getJson(q.app, url))))
    for (const { res, body } of reads) {
      expect(res.statusCode).toBe(200)
      expect(body.clubs.find((c: any) => c.code === club.code)?.subtitle).toBe('Edited with plain SQL')
    }
    const after = statements(a, b)
    const perInstance = after.map((n, i) => n - before[i]!)
    // Each instance: its invalidator's poll (woken by NOTIFY) and the re-read of that one club.
    for (const n of perInstance) expect(n).toBeLessThanOrEqual(2)
  })

  it('shows an acknowledged write on the other instance at once, and a new club after approval', async () => {
    const club = await publicClubWithTag(a, 3)
    for (const q of [a, b]) await q.app.inject({ url: '/api/clubs?q=zebra' })
    await a.runtime.write((trx) => trx.updateTable('clubs').set({ name: 'Zebra Appreciation Society' }).where('id', '=', club.id).execute())
    const onB = await getJson(b.app, '/api/clubs?q=zebra')
    expect(onB.body.clubs.map((c: any) => c.code)).toEqual([club.code])

    const hidden = await a.runtime.db.selectFrom('clubs').where('status', '=', 'pending').select(['id', 'code']).orderBy('id').executeTakeFirstOrThrow()
    expect((await getJson(b.app, `/api/clubs/${hidden.code}`)).res.statusCode).toBe(404)
    await a.runtime.write((trx) => trx.updateTable('clubs').set({ status: 'approved', active: true, archived_at: null }).where('id', '=', hidden.id).execute())
    const listed = (await getJson(b.app, '/api/clubs')).body.clubs.map((c: any) => c.code)
    expect(listed).toContain(hidden.code)
    expect((await getJson(b.app, `/api/clubs/${hidden.code}`)).res.statusCode).toBe(200)
    await a.runtime.write((trx) => trx.updateTable('clubs').set({ archived_at: new Date() }).where('id', '=', hidden.id).execute())
    expect((await getJson(b.app, '/api/clubs')).body.clubs.map((c: any) => c.code)).not.toContain(hidden.code)
    expect((await getJson(b.app, `/api/clubs/${hidden.code}`)).res.statusCode).toBe(404)
  })

  it('renames a tag everywhere it is shown without reloading the clubs', async () => {
    const club = await publicClubWithTag(a, 4)
    await a.app.inject({ url: '/api/clubs' })
    const tag = await a.runtime.db.selectFrom('tags').where('slug', '=', club.tag).select(['id', 'name']).executeTakeFirstOrThrow()
    await a.runtime.write((trx) => trx.updateTable('tags').set({ name: 'Renamed Tag' }).where('id', '=', tag.id).execute())
    const { body } = await getJson(b.app, `/api/clubs?tags=${club.tag}`)
    expect(body.tags.find((t: any) => t.id === tag.id).name).toBe('Renamed Tag')
    expect((await getJson(a.app, '/api/clubs?q=renamed%20tag')).body.clubs.map((c: any) => c.code)).toContain(club.code)
    await a.runtime.write((trx) => trx.updateTable('tags').set({ name: tag.name }).where('id', '=', tag.id).execute())
  })

  it('shows bookmark counts late within the budget, and at once to the one who bookmarked', async () => {
    const club = await publicClubWithTag(a, 5)
    const url = `/api/clubs?tags=${club.tag}&pageSize=500`
    const count = async (q: QuadInstance, headers: Record<string, string> = {}) => {
      const { res, body } = await getJson(q.app, url, headers)
      return { res, n: body.clubs.find((c: any) => c.code === club.code).bookmarks as number }
    }
    const before = (await count(a)).n
    expect((await count(b)).n).toBe(before)
    const s = newScope()
    await runInScope(s, () => a.runtime.write((trx) => trx.insertInto('bookmarks').values({ user_id: 4, club_id: club.id }).onConflict((oc) => oc.doNothing()).execute()))
    const late = await count(b)
    expect(late.n).toBe(before)
    expect(cacheStatus(late.res)).toMatch(/^quad; hit; ttl=-\d+; detail="stale-while-revalidate"$/)
    const token = a.runtime.cache.ryw.sign(s.wroteClock)
    expect((await count(b, { cookie: `quad_ryw=${token}` })).n).toBe(before + 1)
    await until(async () => (await count(a)).n === before + 1, 6000)
  })

  it('changes "applications open" when an application opens, with no write', async () => {
    const club = await publicClubWithTag(a, 6)
    const opensAt = new Date(Date.now() + 1500)
    await a.runtime.write((trx) =>
      trx
        .insertInto('club_applications')
        .values({ club_id: club.id, name: 'Opens soon', starts_at: opensAt, ends_at: new Date(Date.now() + 86_400_000), results_release_at: new Date(Date.now() + 2 * 86_400_000), active: true })
        .execute(),
    )
    await a.runtime.write((trx) => trx.updateTable('club_applications').set({ active: false }).where('club_id', '=', club.id).where('name', '<>', 'Opens soon').execute())
    const open = async () => (await getJson(b.app, `/api/clubs?tags=${club.tag}&pageSize=500`)).body.clubs.find((c: any) => c.code === club.code).open === true
    expect(await open()).toBe(false)
    await new Promise((r) => setTimeout(r, Math.max(0, opensAt.getTime() - Date.now() + 20)))
    const before = statements(b)
    expect(await open()).toBe(true)
    expect(statements(b)).toEqual(before)
  })

  it('shares the compressed bytes of the whole list between instances', async () => {
    await a.runtime.write((trx) => trx.updateTable('clubs').set({ subtitle: 'share me' }).where('id', '=', 1).execute())
    const ra = await a.app.inject({ url: '/api/clubs', headers: { 'accept-encoding': 'br' } })
    const rb = await b.app.inject({ url: '/api/clubs', headers: { 'accept-encoding': 'br' } })
    expect(rb.headers.etag).toBe(ra.headers.etag)
    expect(rb.rawPayload.equals(ra.rawPayload)).toBe(true)
    const redis = a.runtime.cache.redis!
    expect(await redis.hget(`${a.runtime.cache.prefix}z:clubs:alpha`, 'etag')).toBe(ra.headers.etag)
  })
})

describe.each(BACKENDS)('directory search on %s', (backend) => {
  let env: TestEnv
  let q: QuadInstance

  beforeAll(async () => {
    env = await createTestEnv(backend, { seed: 'demo' })
    q = await env.start()
    const tag = await q.runtime.db.insertInto('tags').values({ name: 'Vocal Performance', slug: 'vocal-performance' }).returning('id').executeTakeFirstOrThrow()
    const clubs = [
      { code: 'harmony-singers', name: 'Harmony Singers', subtitle: 'Close harmony for everyone', description: '<p>We rehearse madrigals and barbershop.</p>' },
      { code: 'midnight-jazz', name: 'Midnight Jazz Collective', subtitle: 'Late sets, early mornings', description: '<p>Improvisation nights.</p>' },
      { code: 'quiet-knitters', name: 'Quiet Knitters', subtitle: 'Yarn and tea', description: '<p>Scarves for charity.</p>' },
    ]
    await q.runtime.write(async (trx) => {
      for (const c of clubs) {
        const { id } = await trx.insertInto('clubs').values({ ...c, status: 'approved', active: true, size: 'small' }).returning('id').executeTakeFirstOrThrow()
        if (c.code === 'harmony-singers') await trx.insertInto('club_tags').values({ club_id: id, tag_id: tag.id }).execute()
      }
    })
  })
  afterAll(async () => env?.close())

  const codes = async (text: string) => ((await getJson(q.app, `/api/clubs?q=${encodeURIComponent(text)}`)).body.clubs as any[]).map((c) => c.code)

  it('finds what students mean: typos, prefixes, description words, tags and topic synonyms', async () => {
    expect(await codes('harmny singrs')).toContain('harmony-singers') // typos
    expect((await codes('harm'))[0]).toBe('harmony-singers') // prefix while typing
    expect(await codes('madrigals')).toEqual(['harmony-singers']) // a word of the description only
    expect(await codes('vocal performance')).toContain('harmony-singers') // a tag name
    const music = await codes('music') // neither club says "music"
    expect(music).toEqual(expect.arrayContaining(['midnight-jazz']))
    expect(music).not.toContain('quiet-knitters')
    expect(await codes('midnight jazz')).toEqual(['midnight-jazz']) // every word must match
    expect(await codes('knitters harmony')).toEqual([])
  })

  it('ranks name matches first and combines search with filters and pages', async () => {
    const { body } = await getJson(q.app, '/api/clubs?q=jazz&size=small')
    expect(body.clubs.map((c: any) => c.code)).toContain('midnight-jazz')
    expect(body.clubs.every((c: any) => c.size === 'small')).toBe(true)
    const named = body.clubs.map((c: any) => /jazz/i.test(c.name))
    expect(named.indexOf(false) === -1 || named.slice(named.indexOf(false)).every((x: boolean) => !x)).toBe(true)
    expect((await codes('midnight'))[0]).toBe('midnight-jazz')
    const page = (await getJson(q.app, '/api/clubs?q=club&pageSize=3&page=2')).body
    expect(page.clubs.length).toBeLessThanOrEqual(3)
    expect(page.pageSize).toBe(3)
  })
})

describe('directory model source', () => {
  it('classifies every table its queries read, so no change can go unnoticed', async () => {
    const env = await createTestEnv('pglite', { seed: 'demo' })
    try {
      const q = await env.start()
      const read = new Set<string>()
      const scope = newScope()
      scope.deps = { add: (d) => read.add(d) }
      const source = directorySource(q.runtime.db)
      const dir = await runInScope(scope, () => source.load())
      const one = [...dir.items.keys()].slice(0, 2)
      await runInScope(scope, () => source.refresh(dir, { items: new Set(one), shared: true }))
      const tables = [...read].filter((d) => d.startsWith('t:')).map((d) => d.slice(2))
      expect(tables.sort()).toEqual([...DIRECTORY_TABLES].sort())
      for (const t of tables) expect(classifyDirectoryDep(`s:${t}`), t).toEqual({ all: true })
      // Changes to one club's rows in each table reach that club.
      expect(classifyDirectoryDep('r:clubs:7')).toEqual({ item: 7 })
      expect(classifyDirectoryDep('r:club_stats:7')).toEqual({ item: 7, soft: true })
      for (const t of ['club_tags', 'club_badges', 'club_applications']) expect(classifyDirectoryDep(`p:${t}:club_id=7`)).toEqual({ item: 7 })
      for (const t of ['tags', 'badges', 'categories']) expect(classifyDirectoryDep(`r:${t}:3`)).toEqual({ shared: true })
    } finally {
      await env.close()
    }
  })
})
