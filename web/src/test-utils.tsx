/** Component-test helpers: a scripted fetch standing in for the server, and club fixtures. */
import { QueryClientProvider } from '@tanstack/react-query'
import { RouterProvider } from '@tanstack/react-router'
import { render } from '@testing-library/react'
import { vi } from 'vitest'
import type { OverlaySections } from './api/overlay.js'
import type { ClubCard, ClubList, ListBadge, ListTag, Me, OverlayResponse, TagRef } from './api/types.js'
import type { DirectoryClub } from './directory/cards.js'
import { createAppRouter } from './app/routes.js'
import { createQueryClient } from './data/client.js'

export interface Call {
  method: string
  url: string
  body: unknown
  headers: Record<string, string>
}
type Handler = (call: Call) => [number, unknown] | Promise<[number, unknown]>

/** Routes "GET /api/clubs" → handler; unknown routes answer like the server's 404. */
export function mockApi(routes: Record<string, Handler | [number, unknown]>) {
  const calls: Call[] = []
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = typeof input === 'string' ? input : input.toString()
    const method = (init.method ?? 'GET').toUpperCase()
    const call: Call = { method, url, body: init.body ? JSON.parse(String(init.body)) : undefined, headers: (init.headers ?? {}) as Record<string, string> }
    calls.push(call)
    const path = url.split('?')[0]
    const h = routes[`${method} ${url}`] ?? routes[`${method} ${path}`]
    const [status, body] = h === undefined ? [404, { error: { code: 'NOT_FOUND', message: `No route for ${method} ${path}` } }] : typeof h === 'function' ? await h(call) : h
    return new Response(body === undefined ? '' : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })
  })
  vi.stubGlobal('fetch', fetchMock)
  return { calls, fetchMock }
}

export const anonymous: Me = { user: null, csrf_token: 'csrf-anon', dev_login: false, sso_login: false }
export const admin: Me = { user: { id: 1, email: 'admin@quad.local', name: 'Ada Admin', is_admin: true, is_approver: true }, csrf_token: 'csrf-1', dev_login: false, sso_login: false }
export const student: Me = { user: { id: 4, email: 'student@quad.local', name: 'Sam Student', is_admin: false, is_approver: false }, csrf_token: 'csrf-1', dev_login: false, sso_login: false }

/** GET /api/me/overlay's body for the signed-in student, with these sections set (the rest empty). */
export function overlayOf(sections: Partial<OverlaySections> = {}): OverlayResponse {
  const all: OverlaySections = { bookmarks: [], subscriptions: [], memberships: [], requests: [], applications: [], ...sections }
  return { user_id: student.user!.id, sections: { ...all } }
}

/** A directory club as the app holds it (after the store resolves the server's cards). */
export function club(i: number, over: Partial<DirectoryClub> = {}): DirectoryClub {
  return {
    code: `club-${i}`,
    name: `Club ${String(i).padStart(4, '0')}`,
    subtitle: `Subtitle ${i}`,
    size: (['small', 'medium', 'large', 'very_large'] as const)[i % 4]!,
    tags: [{ slug: i % 2 ? 'arts' : 'science', name: i % 2 ? 'Arts' : 'Science' }],
    badges: i % 5 === 0 ? [{ slug: 'council', name: 'Council', color: '#333333' }] : [],
    category: 'Academic',
    recruiting: i % 3 !== 0,
    open: i % 7 === 0,
    bookmarks: i % 13,
    members: 10 + (i % 40),
    years: i % 4 === 0 ? [2027] : [],
    schools: i % 6 === 0 ? ['Engineering'] : [],
    updated: new Date(Date.UTC(2026, 0, 1 + (i % 28))).toISOString().slice(0, 10),
    ...over,
  }
}

/** GET /api/clubs's body for these clubs, as the server writes it: compact cards plus dictionaries. */
export function clubList(list: readonly DirectoryClub[], total = list.length): ClubList {
  const tags = new Map<string, ListTag>()
  const badges = new Map<string, ListBadge>()
  const idOf = <X extends TagRef>(dict: Map<string, X & { id: number }>, x: X) => {
    let e = dict.get(x.slug)
    if (!e) dict.set(x.slug, (e = { ...x, id: 100 + dict.size }))
    return e.id
  }
  const cards = list.map((c): ClubCard => ({
    code: c.code,
    name: c.name,
    subtitle: c.subtitle,
    size: c.size,
    tags: c.tags.map((t) => idOf(tags, t)),
    ...(c.badges.length ? { badges: c.badges.map((b) => idOf(badges, b)) } : {}),
    ...(c.category ? { category: c.category } : {}),
    ...(c.recruiting ? { recruiting: true as const } : {}),
    ...(c.open ? { open: true as const } : {}),
    bookmarks: c.bookmarks,
    members: c.members,
    ...(c.years.length ? { years: c.years } : {}),
    ...(c.schools.length ? { schools: c.schools } : {}),
    updated: c.updated,
  }))
  return { clubs: cards, tags: [...tags.values()], badges: [...badges.values()], total, page: null, pageSize: null }
}
export const clubs = (n: number) => Array.from({ length: n }, (_, i) => club(i + 1))

/** The whole app at a URL, as on a fresh page load (a cache and a router of its own). */
export function renderApp(path = '/') {
  window.history.replaceState(null, '', path)
  const client = createQueryClient()
  const router = createAppRouter(client)
  return {
    client,
    router,
    ...render(
      <QueryClientProvider client={client}>
        <RouterProvider router={router} />
      </QueryClientProvider>,
    ),
  }
}
