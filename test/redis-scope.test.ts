import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../src/config.js'
import { cacheStatus } from './helpers/http.js'
import { createTestEnv, type QuadInstance, type TestEnv } from './helpers/quad.js'

/** Two deployments (their own databases) on one Redis server, with their default prefixes. */
describe('two deployments on one Redis server', () => {
  let one: TestEnv
  let two: TestEnv
  let a: QuadInstance
  let b: QuadInstance

  beforeAll(async () => {
    one = await createTestEnv('postgres', { seed: 'demo', redis: true })
    two = await createTestEnv('postgres', { seed: 'demo', redis: true })
    a = await one.start({ cache: { prefix: undefined } })
    b = await two.start({ cache: { prefix: undefined } })
  })
  afterAll(async () => {
    await one?.close()
    await two?.close()
  })

  it('derives a prefix per database, and takes QUAD_REDIS_PREFIX when given', () => {
    expect(a.runtime.cache.prefix).toMatch(/^quad:[0-9a-f]{10}:$/)
    expect(b.runtime.cache.prefix).not.toBe(a.runtime.cache.prefix)
    expect(loadConfig({ ...one.env, QUAD_REDIS_PREFIX: 'campus-a' }).redisPrefix).toBe('campus-a:')
    expect(() => loadConfig({ ...one.env, QUAD_REDIS_PREFIX: 'no spaces' })).toThrow(/QUAD_REDIS_PREFIX/)
  })

  it('keeps one deployment’s L1 hits while the other writes', async () => {
    const club = await a.runtime.db.selectFrom('clubs').where('status', '=', 'approved').where('active', '=', true).where('archived_at', 'is', null).select('code').orderBy('id').executeTakeFirstOrThrow()
    const url = `/api/clubs/${club.code}`
    await a.app.inject({ url })
    expect(cacheStatus(await a.app.inject({ url }))).toBe('quad; hit; detail="l1"')
    const before = (await b.runtime.cache.engine.readClock()).clock
    for (let i = 0; i < 5; i++) await b.runtime.write((trx) => trx.updateTable('clubs').set({ subtitle: `other deployment ${i}` }).where('id', '=', 1).execute())
    expect((await b.runtime.cache.engine.readClock()).clock).toBeGreaterThan(before)
    await new Promise((r) => setTimeout(r, 100)) // time for any announcement to arrive
    for (let i = 0; i < 5; i++) expect(cacheStatus(await a.app.inject({ url }))).toBe('quad; hit; detail="l1"')
    expect((await a.runtime.cache.redis!.keys(`${b.runtime.cache.prefix}*`)).length).toBeGreaterThan(0)
    expect((await a.runtime.cache.redis!.keys(`${a.runtime.cache.prefix}*`)).every((k) => !k.startsWith(b.runtime.cache.prefix!))).toBe(true)
  })
})
