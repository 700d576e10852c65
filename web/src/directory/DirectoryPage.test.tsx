import { fireEvent, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { loadClubs, resetClubs } from '../app/clubs-store.js'
import { anonymous, clubs, mockApi as mock, renderApp, student } from '../test-utils.js'

/** Each test is a fresh page load: the shared list is fetched again from the test's server. */
async function mockApi(routes: Parameters<typeof mock>[0]) {
  const m = mock(routes)
  resetClubs()
  await loadClubs(true)
  return m
}

describe('directory page', () => {
  it('loads the list once, filters on the client as you type and keeps the filters in the URL', async () => {
    const { calls } = await mockApi({ 'GET /api/me': [200, anonymous], 'GET /api/clubs': [200, { clubs: clubs(300), total: 300 }] })
    renderApp('/')
    expect(await screen.findByRole('heading', { name: '300 clubs' })).toBeTruthy()
    const search = screen.getByRole('searchbox', { name: 'Search clubs' })
    await userEvent.type(search, 'club 0042')
    await waitFor(() => expect(screen.getByRole('heading', { level: 2, name: '1 club' })).toBeTruthy())
    expect(screen.getByRole('link', { name: 'Club 0042' }).getAttribute('href')).toBe('/clubs/club-42')
    expect(window.location.search).toBe('?q=club+0042')
    // Filtering never asked the server for the list again.
    expect(calls.filter((c) => c.url === '/api/clubs')).toHaveLength(1)
    // After a pause, the search term is reported once (for the analytics of search terms).
    await waitFor(() => expect(calls.some((c) => c.url === '/api/clubs?q=club+0042&pageSize=1')).toBe(true), { timeout: 3000 })
    expect(calls.filter((c) => c.url.includes('pageSize=1'))).toHaveLength(1)
  })

  it('applies tag, recruiting and view filters from and to the URL', async () => {
    await mockApi({ 'GET /api/me': [200, anonymous], 'GET /api/clubs': [200, { clubs: clubs(60), total: 60 }] })
    renderApp('/?tags=arts&view=list')
    expect(await screen.findByRole('heading', { name: '30 clubs' })).toBeTruthy()
    const filters = screen.getByRole('complementary', { name: 'Filters' })
    expect(within(filters).getByRole('button', { name: /Arts/ }).getAttribute('aria-pressed')).toBe('true')
    expect(screen.getByRole('button', { name: 'List' }).getAttribute('aria-pressed')).toBe('true')
    fireEvent.click(within(filters).getByRole('checkbox', { name: 'Accepting members' }))
    await waitFor(() => expect(screen.getByRole('heading', { level: 2, name: '20 clubs' })).toBeTruthy())
    expect(new URLSearchParams(window.location.search).get('recruiting')).toBe('1')
    fireEvent.click(screen.getByRole('button', { name: 'Cards' }))
    expect(new URLSearchParams(window.location.search).get('view')).toBeNull()
  })

  it('shows an error with a retry when the list cannot load', async () => {
    let fail = true
    await mockApi({
      'GET /api/me': [200, anonymous],
      'GET /api/clubs': () => (fail ? [503, { error: { code: 'UNAVAILABLE', message: 'The database is unavailable, retry shortly' } }] : [200, { clubs: clubs(3), total: 3 }]),
    })
    renderApp('/')
    expect((await screen.findByRole('alert')).textContent).toContain('The database is unavailable')
    fail = false
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }))
    expect(await screen.findByRole('heading', { name: '3 clubs' })).toBeTruthy()
  })

  it('asks anonymous visitors to sign in before bookmarking', async () => {
    await mockApi({ 'GET /api/me': [200, anonymous], 'GET /api/clubs': [200, { clubs: clubs(2), total: 2 }] })
    renderApp('/')
    const links = await screen.findAllByRole('link', { name: 'Sign in to save' })
    expect(links[0]!.getAttribute('href')).toMatch(/^\/login\?next=/)
    expect(screen.queryByRole('button', { name: /Bookmark/ })).toBeNull()
  })

  it('reflects the private overlay and toggles a bookmark with the CSRF header', async () => {
    document.cookie = 'quad_csrf=csrf-1; path=/'
    const { calls } = await mockApi({
      'GET /api/me': [200, student],
      'GET /api/me/overlay': [200, { user_id: 4, sections: { bookmarks: ['club-1'], subscriptions: [], memberships: [{ club: 'club-2', role: 'officer', title: '', is_public: true }], requests: [] } }],
      'GET /api/clubs': [200, { clubs: clubs(2), total: 2 }],
      'PUT /api/clubs/club-2/bookmark': [200, { ok: true }],
    })
    renderApp('/')
    const first = await screen.findByRole('button', { name: 'Bookmark Club 0001' })
    await waitFor(() => expect(first.getAttribute('aria-pressed')).toBe('true'))
    const second = screen.getByRole('button', { name: 'Bookmark Club 0002' })
    expect(second.getAttribute('aria-pressed')).toBe('false')
    fireEvent.click(second)
    await waitFor(() => expect(second.getAttribute('aria-pressed')).toBe('true'))
    const put = calls.find((c) => c.method === 'PUT')!
    expect(put.url).toBe('/api/clubs/club-2/bookmark')
    expect(put.headers['x-csrf-token']).toBe('csrf-1')
  })

  it('rolls a bookmark back when the server refuses it', async () => {
    document.cookie = 'quad_csrf=csrf-1; path=/'
    await mockApi({
      'GET /api/me': [200, student],
      'GET /api/me/overlay': [200, { bookmarks: [], subscriptions: [] }],
      'GET /api/clubs': [200, { clubs: clubs(1), total: 1 }],
      'PUT /api/clubs/club-1/bookmark': [403, { error: { code: 'CSRF_FAILED', message: 'Missing or wrong X-CSRF-Token header' } }],
    })
    renderApp('/')
    const button = await screen.findByRole('button', { name: 'Bookmark Club 0001' })
    fireEvent.click(button)
    expect((await screen.findByRole('alert')).textContent).toContain('X-CSRF-Token')
    expect(button.getAttribute('aria-pressed')).toBe('false')
  })
})
