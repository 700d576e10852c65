import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cacheStatus, getJson } from '../../../test/helpers/http.js'
import { makeClub, makeUser, setRole, signedIn } from '../../../test/helpers/people.js'
import { createTestEnv, type QuadInstance, type TestEnv } from '../../../test/helpers/quad.js'

/** Anonymous readers of the cached club page on two instances sharing Redis. */
describe('member names on the public club page', () => {
  let env: TestEnv
  let a: QuadInstance
  let b: QuadInstance
  let memberId: number

  beforeAll(async () => {
    env = await createTestEnv('postgres', { redis: true })
    a = await env.start()
    b = await env.start()
    const owner = await makeUser(a.runtime, 'owner@nv.example', { name: 'Olive Owner' })
    memberId = await makeUser(a.runtime, 'member@nv.example', { name: 'Milo Member' })
    const clubId = await makeClub(a.runtime, 'nv-club', owner)
    await setRole(a.runtime, clubId, memberId, 'member')
  })
  afterAll(async () => env?.close())

  /** Names on the page as each instance serves it, after making sure both hold a cached copy. */
  async function names(): Promise<string[][]> {
    return Promise.all(
      [a, b].map(async (q) => {
        const { res, body } = await getJson(q.app, '/api/clubs/nv-club')
        expect(res.statusCode).toBe(200)
        return (body.members as { name: string }[]).map((m) => m.name)
      }),
    )
  }

  async function warm() {
    await names()
    const again = await getJson(b.app, '/api/clubs/nv-club')
    expect(cacheStatus(again.res)).toMatch(/hit/)
  }

  it('drops a name as soon as its owner hides it in their profile, and brings it back', async () => {
    const member = await signedIn(a.app, 'member@nv.example')
    await warm()
    expect(await names()).toEqual([
      ['Olive Owner', 'Milo Member'],
      ['Olive Owner', 'Milo Member'],
    ])

    expect((await member.patch('/api/me/profile', { profile_public: false })).statusCode).toBe(200)
    expect(await names()).toEqual([['Olive Owner'], ['Olive Owner']])

    expect((await member.patch('/api/me/profile', { profile_public: true })).statusCode).toBe(200)
    expect(await names()).toEqual([
      ['Olive Owner', 'Milo Member'],
      ['Olive Owner', 'Milo Member'],
    ])
  })

  it('drops a name hidden on one membership only, and brings it back', async () => {
    const member = await signedIn(a.app, 'member@nv.example')
    await warm()
    expect((await member.patch(`/api/clubs/nv-club/members/${memberId}`, { is_public: false })).statusCode).toBe(200)
    expect(await names()).toEqual([['Olive Owner'], ['Olive Owner']])
    expect((await member.patch(`/api/clubs/nv-club/members/${memberId}`, { is_public: true })).statusCode).toBe(200)
    expect(await names()).toEqual([
      ['Olive Owner', 'Milo Member'],
      ['Olive Owner', 'Milo Member'],
    ])
  })
})
