import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cacheStatus, getJson, queryCount } from '../../test/helpers/http.js'
import { createTestEnv, type QuadInstance, type TestEnv } from '../../test/helpers/quad.js'

describe('embedded mode: the same protocol with in-process versions fed by the outbox', () => {
  let env: TestEnv
  let q: QuadInstance

  beforeAll(async () => {
    env = await createTestEnv('pglite', { seed: 'demo' })
    q = await env.start()
    await q.runtime.cache.invalidator.catchUp() // the seed's own invalidations
  })
  afterAll(async () => env?.close())

  const club = () =>
    q.runtime.db.selectFrom('clubs').where('status', '=', 'approved').where('active', '=', true).where('archived_at', 'is', null).select(['id', 'code']).orderBy('id').executeTakeFirstOrThrow()

  it('hits from memory after a miss, with 304 on a matching ETag', async () => {
    const { code } = await club()
    const miss = await q.app.inject({ url: `/api/clubs/${code}` })
    expect(cacheStatus(miss)).toBe('quad; fwd=miss; stored')
    const hit = await q.app.inject({ url: `/api/clubs/${code}` })
    expect(cacheStatus(hit)).toBe('quad; hit; detail="memory"')
    expect(queryCount(hit)).toBe(0)
    const nm = await q.app.inject({ url: `/api/clubs/${code}`, headers: { 'if-none-match': String(hit.headers.etag) } })
    expect(nm.statusCode).toBe(304)
  })

  it('applies a writer’s outbox rows before the write returns', async () => {
    const { id, code } = await club()
    await q.app.inject({ url: `/api/clubs/${code}` })
    await q.runtime.write((trx) => trx.updateTable('clubs').set({ subtitle: 'embedded write' }).where('id', '=', id).execute())
    expect((await getJson(q.app, `/api/clubs/${code}`)).body.subtitle).toBe('embedded write')
  })

  it('picks up writes made outside the write path within a second', async () => {
    const { id, code } = await club()
    await q.app.inject({ url: `/api/clubs/${code}` })
    await sql`update clubs set subtitle = 'raw sql write' where id = ${id}`.execute(q.runtime.db)
    const t0 = Date.now()
    while ((await getJson(q.app, `/api/clubs/${code}`)).body.subtitle !== 'raw sql write') {
      expect(Date.now() - t0).toBeLessThan(1000)
      await new Promise((r) => setTimeout(r, 20))
    }
  })
})
