import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeUser, PEOPLE_PASSWORD } from '../../../test/helpers/people.js'
import { createTestEnv, type QuadInstance, type TestEnv } from '../../../test/helpers/quad.js'
import { Client } from '../../../test/helpers/session.js'
import { addressKey, holdFor, SPRAY_POLICY } from './sign-in-throttle.js'

describe('the sign-in throttle policy', () => {
  it('holds nothing within the free failures, then a growing, capped hold', () => {
    expect(holdFor(SPRAY_POLICY.free)).toBe(0)
    const holds = Array.from({ length: 40 }, (_, i) => holdFor(SPRAY_POLICY.free + 1 + i))
    expect(holds[0]).toBe(SPRAY_POLICY.firstHoldMs)
    for (let i = 1; i < holds.length; i++) expect(holds[i]).toBeGreaterThanOrEqual(holds[i - 1]!)
    expect(holds.at(-1)).toBe(SPRAY_POLICY.maxHoldMs)
  })

  it('counts IPv4 addresses one by one and IPv6 by /64', () => {
    expect(addressKey('10.1.2.3')).toBe('10.1.2.3')
    expect(addressKey('::ffff:10.1.2.3')).toBe('10.1.2.3')
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64')
    expect(addressKey('2001:db8:1:2:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64')
    expect(addressKey('2001:db8::7')).toBe('2001:db8:0:0::/64')
    expect(addressKey('::1')).toBe('0:0:0:0::/64')
  })
})

describe('password spraying from one address', () => {
  let env: TestEnv
  let a: QuadInstance
  let b: QuadInstance
  const ACCOUNTS = 30

  beforeAll(async () => {
    env = await createTestEnv('postgres', { redis: true })
    a = await env.start()
    b = await env.start()
    for (let i = 0; i < ACCOUNTS; i++) await makeUser(a.runtime, `sprayed-${i}@campus.example`)
    await makeUser(a.runtime, 'right@campus.example')
  })
  afterAll(async () => env?.close())

  /** A browser at `address` on instance `q`, holding a CSRF cookie. */
  async function browser(q: QuadInstance, address: string) {
    const c = new Client(q.app)
    await c.request({ method: 'GET', url: '/api/me', remoteAddress: address })
    return {
      login: (email: string, password: string) => c.request({ method: 'POST', url: '/api/auth/login', payload: { email, password }, remoteAddress: address }),
    }
  }

  /** Wrong passwords for every account at once, spread over `instances`; the answers in order. */
  async function spray(instances: QuadInstance[], address: string, accounts: number, tag: string) {
    const browsers = await Promise.all(instances.map((q) => browser(q, address)))
    return Promise.all(Array.from({ length: accounts }, (_, i) => browsers[i % browsers.length]!.login(`sprayed-${i}@campus.example`, `Summer2025!${tag}`)))
  }

  it('slows failures from the address across instances, while right passwords and other addresses pass', async () => {
    const answers = await spray([a, b], '10.1.2.3', ACCOUNTS, 'a')
    const codes = answers.map((r) => r.statusCode)
    // Each instance saw 15 failures: only the shared count passes the free 20.
    expect(codes.filter((c) => c === 401)).toHaveLength(SPRAY_POLICY.free)
    const limited = answers.filter((r) => r.statusCode === 429)
    expect(limited).toHaveLength(ACCOUNTS - SPRAY_POLICY.free)
    for (const r of limited) expect(r.json().error.code).toBe('RATE_LIMITED')
    const waits = limited.map((r) => Number(r.headers['retry-after']))
    expect(Math.min(...waits)).toBeGreaterThanOrEqual(1)
    expect(Math.max(...waits)).toBeGreaterThan(Math.min(...waits))

    // The right password from the same address signs in, on either instance.
    for (const q of [a, b]) expect((await (await browser(q, '10.1.2.3')).login('right@campus.example', PEOPLE_PASSWORD)).statusCode).toBe(200)
    // Another address is not slowed down.
    const other = await (await browser(b, '10.9.9.9')).login('sprayed-0@campus.example', 'wrong-but-elsewhere')
    expect(other.statusCode).toBe(401)
    expect(other.json().error.code).toBe('BAD_CREDENTIALS')
  })

  it('behind a trusted proxy, counts the address the proxy saw, whatever the client claims before it', async () => {
    const proxied = await env.start({ env: { QUAD_TRUST_PROXY: '1' } })
    const c = new Client(proxied.app)
    // Each attempt claims another address; the proxy (10.0.0.1) appends the real one.
    const via = (i: number) => ({ remoteAddress: '10.0.0.1', headers: { 'x-forwarded-for': `192.0.2.${i}, 10.6.6.6` } })
    await c.request({ method: 'GET', url: '/api/me', ...via(0) })
    const tries = SPRAY_POLICY.free + 2
    const answers = await Promise.all(
      Array.from({ length: tries }, (_, i) => c.request({ method: 'POST', url: '/api/auth/login', payload: { email: `sprayed-${i}@campus.example`, password: 'Winter2025!' }, ...via(i) })),
    )
    expect(answers.filter((r) => r.statusCode === 429)).toHaveLength(2)
    await proxied.close()
  })

  it('keeps the same count in process memory without Redis', async () => {
    const embedded = await env.start({ env: { REDIS_URL: '' } })
    expect(embedded.runtime.cache.redis).toBeNull()
    const codes = (await spray([embedded], '10.4.4.4', 25, 'b')).map((r) => r.statusCode)
    expect(codes.filter((c) => c === 401)).toHaveLength(SPRAY_POLICY.free)
    expect(codes.filter((c) => c === 429)).toHaveLength(25 - SPRAY_POLICY.free)
    expect((await (await browser(embedded, '10.4.4.4')).login('right@campus.example', PEOPLE_PASSWORD)).statusCode).toBe(200)
    expect((await (await browser(embedded, '10.5.5.5')).login('sprayed-1@campus.example', 'nope-nope-nope')).statusCode).toBe(401)
    await embedded.close()
  })
})
