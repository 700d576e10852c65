import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD } from '../src/seed/generate.js'
import { makeClub, makeUser, signedIn } from './helpers/people.js'
import { createTestEnv, type QuadInstance, type TestEnv } from './helpers/quad.js'
import type { Client } from './helpers/session.js'

/** Tables these routes write; sessions are left out (signing in is not the input under test). */
const TABLES = [
  'users', 'clubs', 'club_revisions', 'club_tags', 'club_badges', 'club_stats', 'memberships', 'membership_requests', 'invites',
  'email_outbox', 'bookmarks', 'subscriptions', 'events', 'faqs', 'testimonials', 'advisors', 'club_files', 'tags', 'badges',
]

type As = 'owner' | 'admin' | 'student'
interface Case {
  as: As
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  url: string
  body?: unknown
  status: number
  code?: string
}

describe('bad input is refused with a coded JSON error and changes nothing', () => {
  let env: TestEnv
  let q: QuadInstance
  const c = {} as Record<As, Client>
  let ownerId: number
  let eventId: number
  let badgeId: number
  let tagName: string

  beforeAll(async () => {
    env = await createTestEnv('postgres', { seed: 'demo' })
    q = await env.start()
    ownerId = await makeUser(q.runtime, 'bx-owner@example.org')
    await makeUser(q.runtime, 'bx-student@example.org')
    const clubId = await makeClub(q.runtime, 'bx', ownerId)
    await makeClub(q.runtime, 'bx-pending', ownerId, { status: 'pending' })
    c.owner = await signedIn(q.app, 'bx-owner@example.org')
    c.student = await signedIn(q.app, 'bx-student@example.org')
    c.admin = await signedIn(q.app, 'admin@quad.local', DEMO_PASSWORD)
    const start = new Date(Date.now() + 86_400_000)
    eventId = (await q.runtime.write((trx) => trx.insertInto('events').values({ club_id: clubId, name: 'E', starts_at: start, ends_at: new Date(start.getTime() + 3_600_000) }).returning('id').executeTakeFirstOrThrow())).id
    badgeId = (await q.runtime.db.selectFrom('badges').select('id').orderBy('id').executeTakeFirstOrThrow()).id
    tagName = (await q.runtime.db.selectFrom('tags').select('name').orderBy('id').executeTakeFirstOrThrow()).name
  })
  afterAll(async () => env?.close())

  async function fingerprint(): Promise<Record<string, string>> {
    const parts = TABLES.map((t) => sql<string>`(select md5(coalesce(string_agg(x::text, '|' order by x::text), '')) from ${sql.table(t)} x)`.as(t))
    return (await q.runtime.db.selectNoFrom(parts as never).executeTakeFirstOrThrow()) as Record<string, string>
  }

  const long = (n: number) => 'x'.repeat(n)
  const later = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString()
  const cases = (): Case[] => [
    // Profile
    { as: 'owner', method: 'PATCH', url: '/api/me/profile', body: { name: long(121) }, status: 400, code: 'VALIDATION_FAILED' },
    { as: 'owner', method: 'PATCH', url: '/api/me/profile', body: { time_zone: 'Nowhere/Land' }, status: 400, code: 'VALIDATION_FAILED' },
    { as: 'owner', method: 'PATCH', url: '/api/me/profile', body: { graduation_year: 'soon' }, status: 400, code: 'VALIDATION_FAILED' },
    { as: 'owner', method: 'PATCH', url: '/api/me/profile', body: { name: 'Fine', school: long(121) }, status: 400, code: 'VALIDATION_FAILED' },
    // Clubs
    { as: 'owner', method: 'POST', url: '/api/clubs', body: {}, status: 400, code: 'VALIDATION_FAILED' },
    { as: 'owner', method: 'POST', url: '/api/clubs', body: { code: 'Bad Code', name: 'X' }, status: 400, code: 'VALIDATION_FAILED' },
    { as: 'owner', method: 'POST', url: '/api/clubs', body: { code: 'fine-code-1', name: long(121) }, status: 400, code: 'VALIDATION_FAILED' },
    { as: 'owner', method: 'POST', url: '/api/clubs', body: { code: 'bx', name: 'Duplicate' }, status: 409, code: 'CODE_TAKEN' },
    { as: 'owner', method: 'POST', url: '/api/clubs', body: { code: 'fine-code-2', name: 'X', links: { website: 'javascript:alert(1)' } }, status: 400, code: 'VALIDATION_FAILED' },
    { as: 'owner', method: 'POST', url: '/api/clubs', body: { code: 'fine-code-3', name: 'X', tags: ['no-such-tag'] }, status: 400, code: 'UNKNOWN_TAG' },
    { as: 'owner', method: 'PATCH', url: '/api/clubs/bx', body: { image_url: 'ftp://images.example.org/a.png' }, status: 400, code: 'VALIDATION_FAILED' },
    { as: 'owner', method: 'PATCH', url: '/api/clubs/bx', body: { description: long(20001) }, status: 400, code: 'VALIDATION_FAILED' },
    { as: 'owner', method: 'PATCH', url: '/api/clubs/bx', body: { name: 'Good name', tags: ['nope'] }, status: 400, code: 'UNKNOWN_TAG' },
    { as: 'owner', method: 'PATCH', url: '/api/clubs/bx', body: { accepting_members: false, category_id: 999999 }, status: 400, code: 'UNKNOWN_CATEGORY' },
    { as: 'owner', method: 'PATCH', url: '/api/clubs/bx', body: { name: 'Good name', size: 'huge' }, status: 400, code: 'VALIDATION_FAILED' },
    { as: 'owner', method: 'PATCH', url: '/api/clubs/bx', body: {}, status: 400, code: 'VALIDATION_FAILED' },
    { as: 'owner', method: 'PATCH', url: '/api/clubs/bx', body: { links: { 'Bad Key': 'https://x.example.org' } }, status: 400, code: 'VALIDATION_FAILED' },
    { as: 'owner', method: 'PATCH', url: '/api/clubs/no-such-club', body: { subtitle: 'x' }, status: 404, code: 'NOT_FOUND' },
    // Page extras
    { as: 'owner', method: 'POST', url: '/api/clubs/bx/events', body: { name: 'No times' }, status: 400, code: 'VALIDATION_FAILED' },
    { as: 'owner', method: 'POST', url: '/api/clubs/bx/events', body: { name: 'Backwards', starts_at: later(5), ends_at: later(4) }, status: 400, code: 'VALIDATION_FAILED' },
    { as: 'owner', method: 'PATCH', url: `/api/clubs/bx/events/${eventId}`, body: { ends_at: later(1) }, status: 400, code: 'VALIDATION_FAILED' },
    { as: 'owner', method: 'POST', url: '/api/clubs/bx/events', body: { name: 'E', starts_at: later(1), ends_at: later(2), link: 'not a url' }, status: 400, code: 'VALIDATION_FAILED' },
    { as: 'owner', method: 'POST', url: '/api/clubs/bx/faqs', body: { question: long(501) }, status: 400, code: 'VALIDATION_FAILED' },
    { as: 'owner', method: 'POST', url: '/api/clubs/bx/files', body: { name: 'F', url: 'files/local.pdf' }, status: 400, code: 'VALIDATION_FAILED' },
    { as: 'owner', method: 'POST', url: '/api/clubs/bx/advisors', body: { name: 'A', email: 'not-an-email' }, status: 400, code: 'VALIDATION_FAILED' },
    { as: 'owner', method: 'POST', url: '/api/clubs/bx/testimonials', body: { author_name: 'A', body: '' }, status: 400, code: 'VALIDATION_FAILED' },
    { as: 'owner', method: 'PATCH', url: '/api/clubs/bx/faqs/999999', body: { answer: 'x' }, status: 404, code: 'NOT_FOUND' },
    { as: 'owner', method: 'DELETE', url: '/api/clubs/bx/testimonials/999999', status: 404, code: 'NOT_FOUND' },
    { as: 'owner', method: 'PATCH', url: '/api/clubs/bx/events/abc', body: { name: 'x' }, status: 400, code: 'VALIDATION_FAILED' },
    // Membership
    { as: 'owner', method: 'POST', url: '/api/clubs/bx/invites', body: { email: 'nope' }, status: 400, code: 'VALIDATION_FAILED' },
    { as: 'owner', method: 'POST', url: '/api/clubs/bx/invites', body: { email: 'a@b.example', role: 'king' }, status: 400, code: 'VALIDATION_FAILED' },
    { as: 'owner', method: 'POST', url: '/api/clubs/bx/invites', body: { email: 'a@b.example', title: long(81) }, status: 400, code: 'VALIDATION_FAILED' },
    { as: 'owner', method: 'POST', url: '/api/clubs/bx/invites', body: { email: 'bx-owner@example.org' }, status: 409, code: 'ALREADY_MEMBER' },
    { as: 'owner', method: 'POST', url: '/api/clubs/bx/requests/999999/accept', status: 404, code: 'NOT_FOUND' },
    { as: 'owner', method: 'DELETE', url: '/api/clubs/bx/invites/999999', status: 404, code: 'NOT_FOUND' },
    { as: 'owner', method: 'PATCH', url: '/api/clubs/bx/members/999999', body: { title: 'x' }, status: 404, code: 'NOT_FOUND' },
    { as: 'owner', method: 'PATCH', url: `/api/clubs/bx/members/${ownerId}`, body: { role: 'emperor' }, status: 400, code: 'VALIDATION_FAILED' },
    { as: 'owner', method: 'PATCH', url: `/api/clubs/bx/members/${ownerId}`, body: { role: 'member' }, status: 409, code: 'LAST_OWNER' },
    { as: 'owner', method: 'DELETE', url: '/api/clubs/bx/membership', status: 409, code: 'LAST_OWNER' },
    { as: 'student', method: 'POST', url: '/api/invites/accept', body: { token: 'short' }, status: 400, code: 'VALIDATION_FAILED' },
    { as: 'student', method: 'POST', url: '/api/invites/accept', body: { token: long(43) }, status: 404, code: 'NOT_FOUND' },
    { as: 'student', method: 'POST', url: '/api/clubs/bx/requests', body: { message: long(2001) }, status: 400, code: 'VALIDATION_FAILED' },
    { as: 'student', method: 'POST', url: '/api/clubs/bx-pending/requests', body: {}, status: 404, code: 'NOT_FOUND' },
    { as: 'student', method: 'PUT', url: '/api/clubs/no-such-club/bookmark', status: 404, code: 'NOT_FOUND' },
    { as: 'student', method: 'PUT', url: '/api/clubs/bx-pending/subscription', status: 404, code: 'NOT_FOUND' },
    // Approvals
    { as: 'admin', method: 'POST', url: '/api/admin/approvals/revisions/999999/approve', body: {}, status: 404, code: 'NOT_FOUND' },
    { as: 'admin', method: 'POST', url: '/api/admin/approvals/revisions/abc/approve', body: {}, status: 400, code: 'VALIDATION_FAILED' },
    { as: 'admin', method: 'POST', url: '/api/admin/approvals/clubs/bx/approve', body: {}, status: 409, code: 'NOT_PENDING' },
    { as: 'admin', method: 'POST', url: '/api/admin/approvals/clubs/bx-pending/reject', body: {}, status: 400, code: 'VALIDATION_FAILED' },
    { as: 'admin', method: 'POST', url: '/api/admin/approvals/clubs/bx-pending/approve', body: { comment: long(2001) }, status: 400, code: 'VALIDATION_FAILED' },
    { as: 'admin', method: 'POST', url: '/api/admin/approvals/clubs/no-such-club/approve', body: {}, status: 404, code: 'NOT_FOUND' },
    // Administration
    { as: 'admin', method: 'POST', url: '/api/admin/tags', body: { name: '' }, status: 400, code: 'VALIDATION_FAILED' },
    { as: 'admin', method: 'POST', url: '/api/admin/tags', body: { name: '---' }, status: 400, code: 'VALIDATION_FAILED' },
    { as: 'admin', method: 'POST', url: '/api/admin/tags', body: { name: tagName }, status: 409, code: 'TAG_EXISTS' },
    { as: 'admin', method: 'PATCH', url: '/api/admin/tags/999999', body: { name: 'x' }, status: 404, code: 'NOT_FOUND' },
    { as: 'admin', method: 'POST', url: '/api/admin/badges', body: { name: 'B', color: 'red' }, status: 400, code: 'VALIDATION_FAILED' },
    { as: 'admin', method: 'PATCH', url: `/api/admin/badges/${badgeId}`, body: { fair_id: 999999 }, status: 400, code: 'UNKNOWN_REFERENCE' },
    { as: 'admin', method: 'DELETE', url: '/api/admin/badges/999999', status: 404, code: 'NOT_FOUND' },
    { as: 'admin', method: 'PUT', url: '/api/admin/clubs/bx/badges/no-such-badge', status: 404, code: 'NOT_FOUND' },
    { as: 'admin', method: 'PUT', url: '/api/admin/users/999999/approver', body: { is_approver: true }, status: 404, code: 'NOT_FOUND' },
    { as: 'admin', method: 'PUT', url: `/api/admin/users/${ownerId}/approver`, body: {}, status: 400, code: 'VALIDATION_FAILED' },
  ]

  it('answers every bad request with the right status and code, and the database is unchanged', async () => {
    const failures: string[] = []
    const list = cases()
    for (const k of list) {
      const before = await fingerprint()
      const res = await c[k.as].request({ method: k.method, url: k.url, ...(k.body !== undefined ? { payload: k.body as object } : {}) })
      const label = `${k.method} ${k.url} ${JSON.stringify(k.body ?? '').slice(0, 80)}`
      if (res.statusCode !== k.status) failures.push(`${label}: status ${res.statusCode} ${res.body.slice(0, 200)}, expected ${k.status}`)
      else if (!String(res.headers['content-type']).startsWith('application/json') || res.json().error?.code !== k.code)
        failures.push(`${label}: code ${res.json()?.error?.code}, expected ${k.code}`)
      const after = await fingerprint()
      const changed = TABLES.filter((t) => before[t] !== after[t])
      if (changed.length) failures.push(`${label}: changed ${changed.join(', ')}`)
    }
    expect(failures).toEqual([])
    expect(list.length).toBeGreaterThan(50)
  })
})
