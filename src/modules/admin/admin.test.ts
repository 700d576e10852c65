import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { queryCount } from '../../../test/helpers/http.js'
import { anonymous, count, makeClub, makeUser, signedIn } from '../../../test/helpers/people.js'
import { createTestEnv, type QuadInstance, type TestEnv } from '../../../test/helpers/quad.js'
import type { Client } from '../../../test/helpers/session.js'
import { DEMO_PASSWORD } from '../../seed/generate.js'
import { ADMIN_BUDGETS } from './admin.routes.js'

describe('administration: tags, badges, approvers', () => {
  let env: TestEnv
  let q: QuadInstance
  let admin: Client

  beforeAll(async () => {
    env = await createTestEnv('postgres', { seed: 'demo' })
    q = await env.start()
    admin = await signedIn(q.app, 'admin@quad.local', DEMO_PASSWORD)
    const owner = await makeUser(q.runtime, 'adm-owner@example.org')
    await makeClub(q.runtime, 'adm-club', owner)
  })
  afterAll(async () => env?.close())

  it('creates, renames and deletes tags; the public tag list follows at once', async () => {
    const [a, b] = await Promise.all([admin.post('/api/admin/tags', { name: 'Quantum Computing' }), admin.post('/api/admin/tags', { name: 'Quantum Computing' })])
    expect([a.statusCode, b.statusCode].sort()).toEqual([201, 409])
    expect([a, b].find((r) => r.statusCode === 409)!.json().error.code).toBe('TAG_EXISTS')
    const tag = [a, b].find((r) => r.statusCode === 201)!.json()
    expect(tag).toMatchObject({ name: 'Quantum Computing', slug: 'quantum-computing' })
    const anon = await anonymous(q.app)
    expect((await anon.get('/api/tags')).json().tags.map((t: any) => t.slug)).toContain('quantum-computing')
    const list = await admin.get('/api/admin/tags')
    expect(queryCount(list)).toBeLessThanOrEqual(ADMIN_BUDGETS.tags)
    expect(list.json().tags.find((t: any) => t.id === tag.id)).toMatchObject({ club_count: 0 })

    const owner = await signedIn(q.app, 'adm-owner@example.org')
    expect((await owner.patch('/api/clubs/adm-club', { tags: ['quantum-computing'] })).json().pending).toEqual(['tags'])
    expect((await admin.patch(`/api/admin/tags/${tag.id}`, { name: 'Quantum Info' })).json()).toMatchObject({ name: 'Quantum Info', slug: 'quantum-computing' })
    expect((await anon.get('/api/tags')).json().tags.find((t: any) => t.slug === 'quantum-computing').name).toBe('Quantum Info')
    const other = (await admin.get('/api/admin/tags')).json().tags.find((t: any) => t.id !== tag.id)
    expect((await admin.patch(`/api/admin/tags/${tag.id}`, { slug: other.slug })).statusCode).toBe(409)
    expect((await admin.delete(`/api/admin/tags/${tag.id}`)).statusCode).toBe(200)
    expect((await admin.delete(`/api/admin/tags/${tag.id}`)).statusCode).toBe(404)
    expect((await anon.get('/api/tags')).json().tags.map((t: any) => t.slug)).not.toContain('quantum-computing')
  })

  it('manages badges, hidden ones included, and awards them to clubs', async () => {
    const created = await admin.post('/api/admin/badges', { name: 'Founding Member', color: '#123abc', hidden: true, description: 'Since day one' })
    expect(created.statusCode, created.body).toBe(201)
    const badge = created.json()
    const list = await admin.get('/api/admin/badges')
    expect(queryCount(list)).toBeLessThanOrEqual(ADMIN_BUDGETS.badges)
    expect(list.json().badges.find((b: any) => b.id === badge.id)).toMatchObject({ hidden: true, slug: 'founding-member' })
    const anon = await anonymous(q.app)
    expect((await anon.get('/api/badges')).json().badges.map((b: any) => b.slug)).not.toContain('founding-member')

    const [x, y] = await Promise.all([admin.put('/api/admin/clubs/adm-club/badges/founding-member'), admin.put('/api/admin/clubs/adm-club/badges/founding-member')])
    expect([x.statusCode, y.statusCode]).toEqual([200, 200])
    expect(await count(q.runtime, 'club_badges', { badge_id: badge.id })).toBe(1)
    expect((await anon.get('/api/clubs/adm-club')).json().badges).toEqual([])
    expect((await admin.patch(`/api/admin/badges/${badge.id}`, { hidden: false })).json().hidden).toBe(false)
    expect((await anon.get('/api/clubs/adm-club')).json().badges).toEqual([{ slug: 'founding-member', name: 'Founding Member', color: '#123abc' }])
    expect((await anon.get('/api/badges')).json().badges.find((b: any) => b.slug === 'founding-member').club_count).toBe(1)
    expect((await admin.delete('/api/admin/clubs/adm-club/badges/founding-member')).statusCode).toBe(200)
    expect((await anon.get('/api/clubs/adm-club')).json().badges).toEqual([])
    expect((await admin.put('/api/admin/clubs/adm-club/badges/no-such-badge')).statusCode).toBe(404)
    expect((await admin.patch(`/api/admin/badges/${badge.id}`, { fair_id: 999999 })).json().error.code).toBe('UNKNOWN_REFERENCE')
    expect((await admin.delete(`/api/admin/badges/${badge.id}`)).statusCode).toBe(200)
  })

  it('grants and withdraws the approver role, effective on the next request', async () => {
    const id = await makeUser(q.runtime, 'future-approver@example.org', { name: 'Future Approver' })
    const user = await signedIn(q.app, 'future-approver@example.org')
    expect((await user.get('/api/admin/approvals')).statusCode).toBe(403)
    const found = await admin.get('/api/admin/users?q=future-approver')
    expect(queryCount(found)).toBeLessThanOrEqual(ADMIN_BUDGETS.users)
    expect(found.json().users).toEqual([{ id, email: 'future-approver@example.org', name: 'Future Approver', is_approver: false, is_admin: false }])
    expect((await admin.put(`/api/admin/users/${id}/approver`, { is_approver: true })).json().is_approver).toBe(true)
    expect((await user.get('/api/admin/approvals')).statusCode).toBe(200)
    expect((await user.get('/api/me')).json().user.is_approver).toBe(true)
    const staff = (await admin.get('/api/admin/users?staff=true')).json().users.map((u: any) => u.email)
    expect(staff).toEqual(expect.arrayContaining(['admin@quad.local', 'approver@quad.local', 'future-approver@example.org']))
    expect((await admin.put(`/api/admin/users/${id}/approver`, { is_approver: false })).statusCode).toBe(200)
    expect((await user.get('/api/admin/approvals')).statusCode).toBe(403)
    expect((await admin.put('/api/admin/users/99999999/approver', { is_approver: true })).statusCode).toBe(404)
  })
})
