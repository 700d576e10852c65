import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cacheStatus, queryCount } from '../../../test/helpers/http.js'
import { anonymous, count, makeClub, makeUser, setRole, signedIn } from '../../../test/helpers/people.js'
import { createTestEnv, type QuadInstance, type TestEnv } from '../../../test/helpers/quad.js'
import { DEMO_PASSWORD } from '../../seed/generate.js'
import { APPROVAL_BUDGETS } from '../approvals/approvals.routes.js'
import { MANAGE_BUDGETS } from './manage.routes.js'

describe('club management and approvals, seen through the cache on two instances', () => {
  let env: TestEnv
  let a: QuadInstance
  let b: QuadInstance
  let clubId: number
  let tagSlugs: string[]

  beforeAll(async () => {
    env = await createTestEnv('postgres', { seed: 'demo', redis: true })
    a = await env.start()
    b = await env.start()
    const owner = await makeUser(a.runtime, 'boss@c.example', { name: 'Boss' })
    const officer = await makeUser(a.runtime, 'off@c.example', { name: 'Off' })
    clubId = await makeClub(a.runtime, 'c-club', owner, { name: 'Chess Club' })
    await setRole(a.runtime, clubId, officer, 'officer')
    tagSlugs = (await a.runtime.db.selectFrom('tags').select('slug').orderBy('id').limit(3).execute()).map((t) => t.slug)
  })
  afterAll(async () => env?.close())

  /** A reader without any cookie (no read-your-writes token) on an instance. */
  const publicPage = async (q: QuadInstance, code = 'c-club') => (await anonymous(q.app)).get(`/api/clubs/${code}`)
  const inDirectory = async (q: QuadInstance, code = 'c-club') =>
    ((await (await anonymous(q.app)).get('/api/clubs')).json().clubs as any[]).find((c) => c.code === code)

  it('keeps showing the approved version until an approver approves, then shows the edit everywhere at once', async () => {
    // Warm both instances' caches.
    for (const q of [a, b]) {
      expect((await publicPage(q)).json().name).toBe('Chess Club')
      expect(cacheStatus(await publicPage(q))).toMatch(/hit/)
      expect((await inDirectory(q)).name).toBe('Chess Club')
    }
    const officer = await signedIn(a.app, 'off@c.example')
    const edit = await officer.patch('/api/clubs/c-club', {
      name: 'Chess & Go Club',
      description: '<p>Strategy <b>games</b></p><script>alert(1)</script><img src=x onerror=alert(1)>',
      links: { website: 'https://chess.example.org' },
      tags: [tagSlugs[1], tagSlugs[0]],
      accepting_members: false,
      size: 'large',
    })
    expect(edit.statusCode, edit.body).toBe(200)
    expect(edit.json()).toMatchObject({ status: 'approved', applied: ['accepting_members', 'size'], pending: ['description', 'links', 'name', 'tags'] })
    const revisionId = edit.json().revision_id
    // A second edit merges into (supersedes) the pending revision; reverting a field drops it.
    const edit2 = await officer.patch('/api/clubs/c-club', { subtitle: 'Play with us', links: {} })
    expect(edit2.json().pending).toEqual(['description', 'name', 'subtitle', 'tags'])
    expect(edit2.json().revision_id).not.toBe(revisionId)
    expect(await count(a.runtime, 'club_revisions', { club_id: clubId, status: 'pending' })).toBe(1)
    expect(await count(a.runtime, 'club_revisions', { club_id: clubId, status: 'superseded' })).toBe(1)

    // The public still sees the approved values; immediate fields changed at once.
    for (const q of [a, b]) {
      const page = (await publicPage(q)).json()
      expect(page.name).toBe('Chess Club')
      expect(page.accepting_members).toBe(false)
      expect(page.size).toBe('large')
      expect((await inDirectory(q)).name).toBe('Chess Club')
    }

    // The officer's private view has the diff (never the public entry).
    const view = await officer.get('/api/clubs/c-club/manage')
    expect(view.statusCode).toBe(200)
    expect(view.headers['cache-control']).toBe('private, no-store')
    expect(queryCount(view)).toBeLessThanOrEqual(MANAGE_BUDGETS.manage)
    const diff = view.json().pending_revision.diff
    expect(diff.find((d: any) => d.field === 'name')).toEqual({ field: 'name', current: 'Chess Club', proposed: 'Chess & Go Club' })
    expect(diff.find((d: any) => d.field === 'description').proposed).toBe('<p>Strategy <b>games</b></p>')

    // The approver's queue.
    const approver = await signedIn(a.app, 'approver@quad.local', DEMO_PASSWORD)
    const queue = await approver.get('/api/admin/approvals')
    expect(queue.statusCode).toBe(200)
    expect(queryCount(queue)).toBeLessThanOrEqual(APPROVAL_BUDGETS.queue)
    const item = queue.json().items.find((i: any) => i.kind === 'revision' && i.club.code === 'c-club')
    expect(item).toMatchObject({ id: edit2.json().revision_id, proposed_by: 'Off' })
    expect(item.diff.map((d: any) => d.field)).toEqual(['name', 'subtitle', 'description', 'tags'])
    expect(item.diff.find((d: any) => d.field === 'tags').proposed).toEqual([tagSlugs[0], tagSlugs[1]].sort())
    expect((await approver.post(`/api/admin/approvals/revisions/${revisionId}/approve`, {})).json().error.code).toBe('REVISION_DECIDED')

    // Read just before approving: both instances hold the old page in their in-process cache.
    const readers = [await anonymous(b.app), await anonymous(a.app)]
    expect((await readers[0]!.get('/api/clubs/c-club')).json().name).toBe('Chess Club')
    expect((await readers[1]!.get('/api/clubs/c-club')).json().name).toBe('Chess Club')
    const approved = await approver.post(`/api/admin/approvals/revisions/${item.id}/approve`, { comment: 'Looks good' })
    expect(approved.statusCode, approved.body).toBe(200)
    expect((await readers[0]!.get('/api/clubs/c-club')).json().name).toBe('Chess & Go Club')
    expect((await readers[1]!.get('/api/clubs/c-club')).json().name).toBe('Chess & Go Club')
    // Visible as soon as the approving request returned, on both instances, to readers without a token.
    for (const q of [b, a]) {
      const page = (await publicPage(q)).json()
      expect(page.name).toBe('Chess & Go Club')
      expect(page.subtitle).toBe('Play with us')
      expect(page.description).not.toContain('script')
      expect(page.tags.map((t: any) => t.slug).sort()).toEqual([tagSlugs[0], tagSlugs[1]].sort())
      expect((await inDirectory(q)).name).toBe('Chess & Go Club')
    }
    expect((await officer.get('/api/clubs/c-club/manage')).json().pending_revision).toBeNull()
    expect((await approver.post(`/api/admin/approvals/revisions/${item.id}/reject`, { comment: 'late' })).json().error.code).toBe('REVISION_DECIDED')
  })

  it('rejects an edit with a comment and keeps the approved version', async () => {
    const officer = await signedIn(a.app, 'off@c.example')
    const rev = (await officer.patch('/api/clubs/c-club', { name: 'Checkers Club' })).json().revision_id
    const approver = await signedIn(b.app, 'approver@quad.local', DEMO_PASSWORD)
    expect((await approver.post(`/api/admin/approvals/revisions/${rev}/reject`, {})).statusCode).toBe(400)
    expect((await approver.post(`/api/admin/approvals/revisions/${rev}/reject`, { comment: 'Keep the name' })).statusCode).toBe(200)
    const row = await a.runtime.db.selectFrom('club_revisions').where('id', '=', rev).selectAll().executeTakeFirstOrThrow()
    expect(row).toMatchObject({ status: 'rejected', comment: 'Keep the name' })
    for (const q of [a, b]) expect((await publicPage(q)).json().name).toBe('Chess & Go Club')

    // An edit naming a category deleted since it was proposed cannot be approved.
    const cat = await a.runtime.write((trx) => trx.insertInto('categories').values({ name: 'Short-lived' }).returning('id').executeTakeFirstOrThrow())
    const stale = (await officer.patch('/api/clubs/c-club', { category_id: cat.id })).json().revision_id
    await a.runtime.write((trx) => trx.deleteFrom('categories').where('id', '=', cat.id).execute())
    const refused = await approver.post(`/api/admin/approvals/revisions/${stale}/approve`, {})
    expect(refused.statusCode).toBe(409)
    expect(refused.json().error.code).toBe('REVISION_STALE')
    expect(await count(a.runtime, 'club_revisions', { id: stale, status: 'pending' })).toBe(1)
    expect((await approver.post(`/api/admin/approvals/revisions/${stale}/reject`, { comment: 'Category is gone' })).statusCode).toBe(200)
  })

  it('creates clubs pending, approves them into the directory at once, and archives them out of every public route', async () => {
    const founder = await makeUser(a.runtime, 'founder@c.example', { name: 'Founder' })
    const c = await signedIn(a.app, 'founder@c.example')
    const body = { code: 'go-society', name: 'Go Society', subtitle: 'Baduk and weiqi', tags: [tagSlugs[2]], links: { website: 'https://go.example.org' } }
    const [x, y] = await Promise.all([c.post('/api/clubs', body), c.post('/api/clubs', body)])
    expect([x.statusCode, y.statusCode].sort()).toEqual([201, 409])
    expect([x, y].find((r) => r.statusCode === 409)!.json().error.code).toBe('CODE_TAKEN')
    expect(await count(a.runtime, 'clubs', { code: 'go-society' })).toBe(1)
    const created = await a.runtime.db.selectFrom('clubs').where('code', '=', 'go-society').select(['id', 'status']).executeTakeFirstOrThrow()
    expect(created.status).toBe('pending')
    expect(await count(a.runtime, 'memberships', { club_id: created.id, user_id: founder, role: 'owner' })).toBe(1)
    for (const q of [a, b]) {
      expect((await publicPage(q, 'go-society')).statusCode).toBe(404)
      expect(await inDirectory(q, 'go-society')).toBeUndefined()
    }
    // A pending club is edited in place; its owner sees it privately.
    expect((await c.patch('/api/clubs/go-society', { subtitle: 'Go for everyone' })).json()).toMatchObject({ status: 'pending', pending: [] })
    expect((await c.get('/api/clubs/go-society/manage')).json().club).toMatchObject({ status: 'pending', subtitle: 'Go for everyone' })

    const approver = await signedIn(a.app, 'approver@quad.local', DEMO_PASSWORD)
    const item = (await approver.get('/api/admin/approvals')).json().items.find((i: any) => i.kind === 'club' && i.club.code === 'go-society')
    expect(item.diff.find((d: any) => d.field === 'name')).toEqual({ field: 'name', current: null, proposed: 'Go Society' })
    const onB = await anonymous(b.app)
    expect(((await onB.get('/api/clubs')).json().clubs as any[]).some((x) => x.code === 'go-society')).toBe(false)
    expect((await approver.post('/api/admin/approvals/clubs/go-society/approve', { comment: 'Welcome' })).statusCode).toBe(200)
    expect(((await onB.get('/api/clubs')).json().clubs as any[]).some((x) => x.code === 'go-society')).toBe(true)
    for (const q of [b, a]) {
      expect((await publicPage(q, 'go-society')).json()).toMatchObject({ name: 'Go Society', subtitle: 'Go for everyone' })
      expect((await inDirectory(q, 'go-society'))?.name).toBe('Go Society')
    }
    expect((await approver.post('/api/admin/approvals/clubs/go-society/approve', {})).json().error.code).toBe('NOT_PENDING')

    // Events appear at once; archiving hides the club from the directory, its page, events, tags and fairs.
    const start = new Date(Date.now() + 86_400_000)
    const ev = await c.post('/api/clubs/go-society/events', { name: 'Go night', starts_at: start.toISOString(), ends_at: new Date(start.getTime() + 7_200_000).toISOString() })
    expect(ev.statusCode, ev.body).toBe(201)
    const anon = await anonymous(b.app)
    expect((await anon.get('/api/events?club=go-society')).json().events.map((e: any) => e.name)).toEqual(['Go night'])
    const tagCount = (await anon.get('/api/tags')).json().tags.find((t: any) => t.slug === tagSlugs[2]).club_count
    expect((await c.delete('/api/clubs/go-society')).statusCode).toBe(200)
    for (const q of [a, b]) {
      expect((await publicPage(q, 'go-society')).statusCode).toBe(404)
      expect(await inDirectory(q, 'go-society')).toBeUndefined()
      const r = await anonymous(q.app)
      expect((await r.get('/api/events?club=go-society')).json().events).toEqual([])
      expect((await r.get('/api/tags')).json().tags.find((t: any) => t.slug === tagSlugs[2]).club_count).toBe(tagCount - 1)
    }
    expect((await c.get('/api/clubs/go-society/manage')).statusCode).toBe(404)
  })

  it('rejects a new club with a comment, and a rejected club goes back to the queue when edited', async () => {
    await makeUser(a.runtime, 'r@c.example')
    const c = await signedIn(a.app, 'r@c.example')
    expect((await c.post('/api/clubs', { code: 'prank-club', name: 'Prank' })).statusCode).toBe(201)
    const approver = await signedIn(a.app, 'admin@quad.local', DEMO_PASSWORD)
    expect((await approver.post('/api/admin/approvals/clubs/prank-club/reject', { comment: 'Not a real club' })).json().status).toBe('rejected')
    const row = await a.runtime.db.selectFrom('clubs').where('code', '=', 'prank-club').select(['status', 'approval_comment']).executeTakeFirstOrThrow()
    expect(row).toEqual({ status: 'rejected', approval_comment: 'Not a real club' })
    expect((await c.patch('/api/clubs/prank-club', { name: 'Puzzle Club' })).json().status).toBe('pending')
    expect((await approver.get('/api/admin/approvals')).json().items.some((i: any) => i.club.code === 'prank-club')).toBe(true)
  })

  it('serializes concurrent edits and approvals of one club: no deadlock, one pending revision at most', async () => {
    const officer = await signedIn(a.app, 'off@c.example')
    const approver = await signedIn(b.app, 'approver@quad.local', DEMO_PASSWORD)
    for (let i = 0; i < 5; i++) {
      const rev = (await officer.patch('/api/clubs/c-club', { subtitle: `Round ${i}` })).json().revision_id
      const [edit, decision, edit2] = await Promise.all([
        officer.patch('/api/clubs/c-club', { how_to_get_involved: `Come to round ${i}` }),
        approver.post(`/api/admin/approvals/revisions/${rev}/approve`, {}),
        officer.patch('/api/clubs/c-club', { subtitle: `Round ${i}!` }),
      ])
      expect(edit.statusCode, edit.body).toBe(200)
      expect(edit2.statusCode, edit2.body).toBe(200)
      // Either the approval came first, or an edit superseded the revision it named.
      expect([200, 409]).toContain(decision.statusCode)
      expect(await count(a.runtime, 'club_revisions', { club_id: clubId, status: 'pending' })).toBeLessThanOrEqual(1)
    }
    const pending = await a.runtime.db.selectFrom('club_revisions').where('club_id', '=', clubId).where('status', '=', 'pending').select('id').executeTakeFirst()
    if (pending) expect((await approver.post(`/api/admin/approvals/revisions/${pending.id}/reject`, { comment: 'Enough rounds' })).statusCode).toBe(200)
  })

  it('edits page extras at once: events, FAQ, testimonials, advisors and files', async () => {
    const officer = await signedIn(a.app, 'off@c.example')
    const faq = await officer.post('/api/clubs/c-club/faqs', { question: 'Do I need to know chess?' })
    expect(faq.statusCode).toBe(201)
    // Unanswered questions are not public; the answer makes it public at once.
    expect((await publicPage(b)).json().faqs.map((f: any) => f.question)).not.toContain('Do I need to know chess?')
    expect((await officer.patch(`/api/clubs/c-club/faqs/${faq.json().id}`, { answer: 'No, we teach you.' })).statusCode).toBe(200)
    expect((await publicPage(b)).json().faqs).toContainEqual({ id: faq.json().id, question: 'Do I need to know chess?', answer: 'No, we teach you.' })

    const t = await officer.post('/api/clubs/c-club/testimonials', { author_name: 'Ann', body: 'Best club.' })
    const adv = await officer.post('/api/clubs/c-club/advisors', { name: 'Prof. X', email: 'x@uni.example', is_public: false })
    const file = await officer.post('/api/clubs/c-club/files', { name: 'Constitution', url: 'https://files.example.org/c.pdf' })
    expect([t.statusCode, adv.statusCode, file.statusCode]).toEqual([201, 201, 201])
    const page = (await publicPage(a)).json()
    expect(page.testimonials.map((x: any) => x.author_name)).toContain('Ann')
    expect(JSON.stringify(page.advisors)).not.toContain('Prof. X')
    expect(page.files).toContainEqual({ name: 'Constitution', url: 'https://files.example.org/c.pdf' })
    const manage = (await officer.get('/api/clubs/c-club/manage')).json()
    expect(manage.advisors.map((x: any) => x.name)).toContain('Prof. X')
    expect((await officer.delete(`/api/clubs/c-club/files/${file.json().id}`)).statusCode).toBe(200)
    expect((await publicPage(b)).json().files).not.toContainEqual({ name: 'Constitution', url: 'https://files.example.org/c.pdf' })
    expect((await officer.delete(`/api/clubs/c-club/files/${file.json().id}`)).statusCode).toBe(404)
    // Another club's item is not reachable through this club.
    const foreign = await a.runtime.db.selectFrom('faqs').where('club_id', '<>', clubId).select('id').executeTakeFirstOrThrow()
    expect((await officer.patch(`/api/clubs/c-club/faqs/${foreign.id}`, { answer: 'hijack' })).statusCode).toBe(404)
  })
})
