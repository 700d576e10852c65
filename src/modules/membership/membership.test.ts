import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { queryCount } from '../../../test/helpers/http.js'
import { anonymous, count, makeClub, makeUser, setRole, signedIn } from '../../../test/helpers/people.js'
import { createTestEnv, type QuadInstance, type TestEnv } from '../../../test/helpers/quad.js'
import { DEMO_PASSWORD } from '../../seed/generate.js'
import { MEMBERSHIP_BUDGETS } from './membership.routes.js'
import { hashToken } from './membership.service.js'

describe('membership: requests, invites, roles', () => {
  let env: TestEnv
  let q: QuadInstance
  let clubId: number
  const ids: Record<string, number> = {}

  beforeAll(async () => {
    env = await createTestEnv('postgres', { seed: 'demo' })
    q = await env.start()
    for (const who of ['owner', 'officer', 'member', 'joiner', 'invitee', 'other']) ids[who] = await makeUser(q.runtime, `${who}@m.example`, { name: who })
    clubId = await makeClub(q.runtime, 'm-club', ids.owner!)
    await setRole(q.runtime, clubId, ids.officer!, 'officer', 'Secretary')
    await setRole(q.runtime, clubId, ids.member!, 'member')
  })
  afterAll(async () => env?.close())

  it('turns a double-clicked join request into one request, and one accept into one membership', async () => {
    const joiner = await signedIn(q.app, 'joiner@m.example')
    const [a, b] = await Promise.all([joiner.post('/api/clubs/m-club/requests', { message: 'Hi!' }), joiner.post('/api/clubs/m-club/requests', { message: 'Hi!' })])
    expect([a.statusCode, b.statusCode].sort()).toEqual([201, 409])
    expect([a, b].find((r) => r.statusCode === 409)!.json().error.code).toBe('REQUEST_PENDING')
    expect(await count(q.runtime, 'membership_requests', { club_id: clubId, user_id: ids.joiner })).toBe(1)
    expect((await joiner.get('/api/me/overlay')).json().sections.requests).toMatchObject([{ club: 'm-club' }])

    const officer = await signedIn(q.app, 'officer@m.example')
    const list = await officer.get('/api/clubs/m-club/requests')
    expect(queryCount(list)).toBeLessThanOrEqual(MEMBERSHIP_BUDGETS.requests)
    const [req] = list.json().requests
    expect(req).toMatchObject({ message: 'Hi!', user: { id: ids.joiner, email: 'joiner@m.example' } })
    const [x, y] = await Promise.all([officer.post(`/api/clubs/m-club/requests/${req.id}/accept`), officer.post(`/api/clubs/m-club/requests/${req.id}/accept`)])
    expect([x.statusCode, y.statusCode].sort()).toEqual([200, 409])
    expect(await count(q.runtime, 'memberships', { club_id: clubId, user_id: ids.joiner })).toBe(1)
    expect((await officer.post(`/api/clubs/m-club/requests/${req.id}/decline`)).json().error.code).toBe('REQUEST_DECIDED')
    expect((await joiner.post('/api/clubs/m-club/requests', {})).json().error.code).toBe('ALREADY_MEMBER')
    const overlay = (await joiner.get('/api/me/overlay')).json().sections
    expect(overlay.requests).toEqual([])
    expect(overlay.memberships).toEqual([{ club: 'm-club', role: 'member', title: '', is_public: true }])
    // Joining shows on the public page once the member is public.
    expect((await (await anonymous(q.app)).get('/api/clubs/m-club')).json().members.map((m: any) => m.name)).toContain('joiner')

    // Decline and withdraw.
    const other = await signedIn(q.app, 'other@m.example')
    await other.post('/api/clubs/m-club/requests', {})
    const rid = (await officer.get('/api/clubs/m-club/requests')).json().requests[0].id
    expect((await officer.post(`/api/clubs/m-club/requests/${rid}/decline`)).json()).toEqual({ id: rid, status: 'declined' })
    expect(await count(q.runtime, 'memberships', { club_id: clubId, user_id: ids.other })).toBe(0)
    expect((await other.post('/api/clubs/m-club/requests', {})).statusCode).toBe(201)
    expect((await other.delete('/api/clubs/m-club/requests/mine')).statusCode).toBe(200)
    expect((await other.delete('/api/clubs/m-club/requests/mine')).statusCode).toBe(404)
    expect((await officer.post('/api/clubs/m-club/requests/999999/accept')).statusCode).toBe(404)
  })

  it('invites by email with a single-use, hashed, 14-day token and queues one email', async () => {
    const officer = await signedIn(q.app, 'officer@m.example')
    const body = { email: 'Invitee@M.example', role: 'officer', title: 'Events Chair' }
    const [a, b] = await Promise.all([officer.post('/api/clubs/m-club/invites', body), officer.post('/api/clubs/m-club/invites', body)])
    expect([a.statusCode, b.statusCode].sort()).toEqual([201, 409])
    expect([a, b].find((r) => r.statusCode === 409)!.json().error.code).toBe('INVITE_PENDING')
    const invite = [a, b].find((r) => r.statusCode === 201)!.json()
    expect(invite).toMatchObject({ email: 'invitee@m.example', role: 'officer', title: 'Events Chair' })
    const days = (Date.parse(invite.expires_at) - Date.parse(invite.created_at)) / 86_400_000
    expect(days).toBeCloseTo(14, 3)

    const mails = await q.runtime.db.selectFrom('email_outbox').where('kind', '=', 'invite').where('to_email', '=', 'invitee@m.example').selectAll().execute()
    expect(mails).toHaveLength(1)
    expect(mails[0]!.user_id).toBe(ids.invitee)
    const token = /\/invites\/([A-Za-z0-9_-]+)/.exec(mails[0]!.body)![1]!
    const row = await q.runtime.db.selectFrom('invites').where('id', '=', invite.id).selectAll().executeTakeFirstOrThrow()
    expect(row.token_hash).toBe(hashToken(token))
    expect(row.token_hash).not.toContain(token)

    const listed = await officer.get('/api/clubs/m-club/invites')
    expect(queryCount(listed)).toBeLessThanOrEqual(MEMBERSHIP_BUDGETS.invites)
    expect(listed.json().invites.map((i: any) => i.email)).toEqual(['invitee@m.example'])

    const preview = await (await anonymous(q.app)).get(`/api/invites/${token}`)
    expect(preview.statusCode).toBe(200)
    expect(queryCount(preview)).toBeLessThanOrEqual(MEMBERSHIP_BUDGETS.invitePreview)
    expect(preview.json()).toMatchObject({ club: { code: 'm-club' }, role: 'officer', state: 'open' })

    const wrong = await signedIn(q.app, 'other@m.example')
    expect((await wrong.post('/api/invites/accept', { token })).json().error.code).toBe('INVITE_EMAIL_MISMATCH')
    const invitee = await signedIn(q.app, 'invitee@m.example')
    const [x, y] = await Promise.all([invitee.post('/api/invites/accept', { token }), invitee.post('/api/invites/accept', { token })])
    expect([x.statusCode, y.statusCode].sort()).toEqual([200, 409])
    expect([x, y].find((r) => r.statusCode === 200)!.json()).toMatchObject({ club: 'm-club', role: 'officer', title: 'Events Chair' })
    expect([x, y].find((r) => r.statusCode === 409)!.json().error.code).toBe('INVITE_USED')
    expect(await count(q.runtime, 'memberships', { club_id: clubId, user_id: ids.invitee })).toBe(1)
    expect((await invitee.get(`/api/invites/${token}`)).json().state).toBe('used')
    expect((await invitee.post('/api/invites/accept', { token: 'x'.repeat(43) })).statusCode).toBe(404)
  })

  it('expires and revokes invites, and lets a new invite replace an expired one', async () => {
    const owner = await signedIn(q.app, 'owner@m.example')
    const inv = (await owner.post('/api/clubs/m-club/invites', { email: 'late@m.example' })).json()
    const mail = await q.runtime.db.selectFrom('email_outbox').where('dedupe_key', '=', `invite:${inv.id}`).select('body').executeTakeFirstOrThrow()
    const token = /\/invites\/([A-Za-z0-9_-]+)/.exec(mail.body)![1]!
    await q.runtime.write((trx) => trx.updateTable('invites').set({ expires_at: new Date(Date.now() - 1000) }).where('id', '=', inv.id).execute())
    await makeUser(q.runtime, 'late@m.example')
    const late = await signedIn(q.app, 'late@m.example')
    expect((await late.post('/api/invites/accept', { token })).json().error.code).toBe('INVITE_EXPIRED')
    const again = await owner.post('/api/clubs/m-club/invites', { email: 'late@m.example' })
    expect(again.statusCode).toBe(201)
    expect((await owner.delete(`/api/clubs/m-club/invites/${again.json().id}`)).statusCode).toBe(200)
    const mail2 = await q.runtime.db.selectFrom('email_outbox').where('dedupe_key', '=', `invite:${again.json().id}`).select('body').executeTakeFirstOrThrow()
    const token2 = /\/invites\/([A-Za-z0-9_-]+)/.exec(mail2.body)![1]!
    expect((await late.post('/api/invites/accept', { token: token2 })).json().error.code).toBe('INVITE_REVOKED')
    expect(await count(q.runtime, 'memberships', { club_id: clubId, user_id: (await q.runtime.db.selectFrom('users').where('email', '=', 'late@m.example').select('id').executeTakeFirstOrThrow()).id })).toBe(0)
    // Members cannot be invited again; officers cannot invite owners.
    expect((await owner.post('/api/clubs/m-club/invites', { email: 'member@m.example' })).json().error.code).toBe('ALREADY_MEMBER')
    const officer = await signedIn(q.app, 'officer@m.example')
    expect((await officer.post('/api/clubs/m-club/invites', { email: 'boss@m.example', role: 'owner' })).statusCode).toBe(403)
  })

  it('enforces the role rules: no promotion above oneself, owners manage owners, a club keeps an owner', async () => {
    const officer = await signedIn(q.app, 'officer@m.example')
    const owner = await signedIn(q.app, 'owner@m.example')
    const member = await signedIn(q.app, 'member@m.example')
    const promote = await officer.patch(`/api/clubs/m-club/members/${ids.member}`, { role: 'owner' })
    expect(promote.statusCode).toBe(403)
    expect(promote.json().error.code).toBe('ROLE_ABOVE_OWN')
    expect((await officer.patch(`/api/clubs/m-club/members/${ids.invitee}`, { title: 'Boss' })).json().error.code).toBe('OWNERS_ONLY')
    expect((await officer.patch(`/api/clubs/m-club/members/${ids.owner}`, { role: 'member' })).statusCode).toBe(403)
    expect((await officer.patch(`/api/clubs/m-club/members/${ids.member}`, { role: 'officer', title: 'Webmaster' })).json()).toMatchObject({ role: 'officer', title: 'Webmaster' })
    expect((await owner.patch(`/api/clubs/m-club/members/${ids.member}`, { role: 'member', title: '' })).statusCode).toBe(200)
    // Members may hide themselves, nothing else.
    expect((await member.patch(`/api/clubs/m-club/members/${ids.member}`, { is_public: false })).json().is_public).toBe(false)
    expect((await member.patch(`/api/clubs/m-club/members/${ids.member}`, { title: 'King' })).statusCode).toBe(403)
    expect((await member.patch(`/api/clubs/m-club/members/${ids.officer}`, { is_public: false })).statusCode).toBe(403)

    // Sole owner: cannot leave or step down.
    expect((await owner.delete('/api/clubs/m-club/membership')).json().error.code).toBe('LAST_OWNER')
    expect((await owner.patch(`/api/clubs/m-club/members/${ids.owner}`, { role: 'officer' })).json().error.code).toBe('LAST_OWNER')
    // Two owners leaving at once: one of them stays.
    expect((await owner.patch(`/api/clubs/m-club/members/${ids.officer}`, { role: 'owner' })).json().role).toBe('owner')
    const officerNowOwner = officer
    const [l1, l2] = await Promise.all([owner.delete('/api/clubs/m-club/membership'), officerNowOwner.delete('/api/clubs/m-club/membership')])
    expect([l1.statusCode, l2.statusCode].sort()).toEqual([200, 409])
    expect(await count(q.runtime, 'memberships', { club_id: clubId, role: 'owner' })).toBe(1)

    // Leaving as a member, then the membership is gone.
    expect((await member.delete('/api/clubs/m-club/membership')).statusCode).toBe(200)
    expect((await member.delete('/api/clubs/m-club/membership')).statusCode).toBe(404)
  })

  it('shows every member to members (emails to officers and approvers) and lets umbrella officers act below', async () => {
    await setRole(q.runtime, clubId, ids.other!, 'member')
    await q.runtime.write((trx) => trx.updateTable('memberships').set({ is_public: false }).where('user_id', '=', ids.other!).execute())
    const other = await signedIn(q.app, 'other@m.example')
    const res = await other.get('/api/clubs/m-club/members')
    expect(res.statusCode).toBe(200)
    expect(queryCount(res)).toBeLessThanOrEqual(MEMBERSHIP_BUDGETS.members)
    const hidden = res.json().members.find((m: any) => m.user_id === ids.other)
    expect(hidden).toMatchObject({ is_public: false, email: null })
    expect((await (await anonymous(q.app)).get('/api/clubs/m-club')).json().members.map((m: any) => m.name)).not.toContain('other')
    const approver = await signedIn(q.app, 'approver@quad.local', DEMO_PASSWORD)
    expect((await approver.get('/api/clubs/m-club/members')).json().members.find((m: any) => m.user_id === ids.other).email).toBe('other@m.example')

    // The demo officer owns the umbrella club 1 and so officers its member clubs.
    const child = await q.runtime.db.selectFrom('club_parents as p').innerJoin('clubs as c', 'c.id', 'p.club_id').where('p.parent_id', '=', 1).where('c.id', '>', 6).select('c.code').orderBy('c.id').executeTakeFirstOrThrow()
    const umbrella = await signedIn(q.app, 'officer@quad.local', DEMO_PASSWORD)
    expect((await umbrella.get(`/api/clubs/${child.code}/requests`)).statusCode).toBe(200)
    expect((await umbrella.get('/api/clubs/m-club/requests')).statusCode).toBe(403)
  })
})
