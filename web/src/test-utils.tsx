/** Component-test helpers: a scripted fetch standing in for the server, and club fixtures. */
import { render } from '@testing-library/react'
import { vi } from 'vitest'
import type { ClubSummary, Me } from './api/types.js'
import { App } from './app/App.js'
import { SessionProvider } from './app/session.js'

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

export const anonymous: Me = { user: null, csrf_token: 'csrf-anon', dev_login: false }
export const student: Me = { user: { id: 4, email: 'student@quad.local', name: 'Sam Student', is_admin: false, is_approver: false }, csrf_token: 'csrf-1', dev_login: false }

export function club(i: number, over: Partial<ClubSummary> = {}): ClubSummary {
  return {
    code: `club-${i}`,
    name: `Club ${String(i).padStart(4, '0')}`,
    subtitle: `Subtitle ${i}`,
    image_url: null,
    size: (['small', 'medium', 'large', 'very_large'] as const)[i % 4]!,
    tags: [{ slug: i % 2 ? 'arts' : 'science', name: i % 2 ? 'Arts' : 'Science' }],
    badges: i % 5 === 0 ? [{ slug: 'council', name: 'Council', color: '#333333' }] : [],
    accepting_members: i % 3 !== 0,
    application_required: false,
    membership_process: 'open',
    recruiting_season: 'fall',
    has_open_application: i % 7 === 0,
    favorite_count: i % 13,
    member_count: 10 + (i % 40),
    target_years: i % 4 === 0 ? [2027] : [],
    target_schools: i % 6 === 0 ? ['Engineering'] : [],
    target_majors: [],
    founded_year: 2000,
    category: 'Academic',
    active: true,
    updated_at: new Date(Date.UTC(2026, 0, 1 + (i % 28))).toISOString(),
    ...over,
  }
}
export const clubs = (n: number) => Array.from({ length: n }, (_, i) => club(i + 1))

export function renderApp(path = '/') {
  window.history.replaceState(null, '', path)
  return render(
    <SessionProvider>
      <App />
    </SessionProvider>,
  )
}
