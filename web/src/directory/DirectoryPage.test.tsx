import { fireEvent, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { anonymous, type Call, club, clubList, clubs, mockApi as mock, overlayOf, renderApp, student } from '../test-utils.js'

/** Each test is a fresh page load (renderApp starts with an empty cache). */
async function mockApi(routes: Parameters<typeof mock>[0]) {
  return mock(routes)
}

describe('directory page', () => {
  it('loads the list once, filters on the client as you type and keeps the filters in the URL', async () => {
    const all = clubs(300)
    const { calls } = await mockApi({
      'GET /api/me': [200, anonymous],
      'GET /api/clubs': [200, clubList(all)],
      'GET /api/clubs?q=club+0042': [200, clubList([all[41]!])],
    })
    renderApp('/')
    expect(await screen.findByRole('heading', { name: '300 clubs' })).toBeTruthy()
    const search = screen.getByRole('searchbox', { name: 'Search clubs' })
    await userEvent.type(search, 'club 0042')
    await waitFor(() => expect(screen.getByRole('heading', { level: 2, name: '1 club' })).toBeTruthy())
    expect(screen.getByRole('link', { name: 'Club 0042' }).getAttribute('href')).toBe('/clubs/club-42')
    expect(window.location.search).toBe('?q=club+0042')
    // Filtering never asked the server for the list again.
    expect(calls.filter((c) => c.url === '/api/clubs')).toHaveLength(1)
    // After a pause the server ranks the query, which also counts the search term (once).
    await waitFor(() => expect(screen.getByRole('region', { name: '1 club' }).dataset.ranked).toBe('server'))
    const searches = calls.filter((c) => c.url.startsWith('/api/clubs?'))
    expect(searches.map((c) => c.url)).toEqual(['/api/clubs?q=club+0042'])
    expect(screen.getByRole('link', { name: 'Club 0042' })).toBeTruthy()
  })

  it('shows the server’s ranking once typing pauses, narrowed by the other filters', async () => {
    const all = clubs(60)
    all[0] = club(1, { name: 'Jazz Ensemble' })
    all[1] = club(2, { name: 'Campus Choir' })
    all[2] = club(3, { name: 'Music Society' }) // not accepting members (3 % 3 === 0)
    const { calls } = await mockApi({
      'GET /api/me': [200, anonymous],
      'GET /api/clubs': (c) => [200, c.url === '/api/clubs' ? clubList(all) : clubList([])],
      // The server finds more than the names: topic synonyms, in its order of relevance.
      'GET /api/clubs?q=music': [200, clubList([all[0]!, all[2]!, all[1]!])],
    })
    renderApp('/')
    expect(await screen.findByRole('heading', { name: '60 clubs' })).toBeTruthy()
    await userEvent.type(screen.getByRole('searchbox', { name: 'Search clubs' }), 'music')
    // At once: the local filter's answer.
    await waitFor(() => expect(screen.getByRole('heading', { level: 2, name: '1 club' })).toBeTruthy())
    // Then the ranking replaces it.
    await waitFor(() => expect(screen.getByRole('heading', { level: 2, name: '3 clubs' })).toBeTruthy())
    const names = () => within(screen.getByRole('list', { name: 'Clubs' })).getAllByRole('heading', { level: 3 }).map((h) => h.textContent)
    expect(names()).toEqual(['Jazz Ensemble', 'Music Society', 'Campus Choir'])
    // One request for the query, none per keystroke before the pause, no separate analytics call.
    expect(calls.filter((c) => c.url.startsWith('/api/clubs?')).map((c) => c.url)).toEqual(['/api/clubs?q=music'])
    // Client-side filters apply to the ranking.
    fireEvent.click(within(screen.getByRole('complementary', { name: 'Filters' })).getByRole('checkbox', { name: 'Accepting members' }))
    await waitFor(() => expect(names()).toEqual(['Jazz Ensemble', 'Campus Choir']))
    // The filter changed, not the query: the server was not asked again.
    expect(calls.filter((c) => c.url.startsWith('/api/clubs?'))).toHaveLength(1)
  })

  it('says "Searching…" while only the server can answer, and aborts a stale request', async () => {
    const all = clubs(40)
    all[4] = club(5, { name: 'Chess Club' })
    let answer: (v: [number, unknown]) => void = () => {}
    const { fetchMock } = await mockApi({
      'GET /api/me': [200, anonymous],
      'GET /api/clubs': (c: Call) =>
        c.url === '/api/clubs' ? [200, clubList(all)] : c.url === '/api/clubs?q=chs' ? new Promise(() => {}) : new Promise((r) => (answer = r)),
    })
    renderApp('/')
    expect(await screen.findByRole('heading', { name: '40 clubs' })).toBeTruthy()
    const search = screen.getByRole('searchbox', { name: 'Search clubs' })
    await userEvent.type(search, 'chs')
    expect((await screen.findByRole('status')).textContent).toBe('Searching…')
    expect(screen.queryByText(/No club matches/)).toBeNull()
    await waitFor(() => expect(fetchMock.mock.calls.some(([u]) => u === '/api/clubs?q=chs')).toBe(true))
    const first = fetchMock.mock.calls.find(([u]) => u === '/api/clubs?q=chs')![1]!.signal!
    expect(first.aborted).toBe(false)
    // The next keystroke aborts the request for the previous query.
    await userEvent.type(search, 's')
    expect(first.aborted).toBe(true)
    await waitFor(() => expect(fetchMock.mock.calls.some(([u]) => u === '/api/clubs?q=chss')).toBe(true))
    expect(screen.getByRole('status').textContent).toBe('Searching…')
    answer([200, clubList([all[4]!])])
    expect(await screen.findByRole('link', { name: 'Chess Club' })).toBeTruthy()
    expect(screen.getByRole('heading', { level: 2, name: '1 club' })).toBeTruthy()
  })

  it('keeps the local results, silently, when the server search fails', async () => {
    const { calls } = await mockApi({
      'GET /api/me': [200, anonymous],
      'GET /api/clubs': (c: Call) =>
        c.url === '/api/clubs' ? [200, clubList(clubs(300))] : [503, { error: { code: 'UNAVAILABLE', message: 'The database is unavailable, retry shortly' } }],
    })
    renderApp('/')
    expect(await screen.findByRole('heading', { name: '300 clubs' })).toBeTruthy()
    const search = screen.getByRole('searchbox', { name: 'Search clubs' })
    await userEvent.type(search, '0042')
    await waitFor(() => expect(calls.some((c) => c.url === '/api/clubs?q=0042')).toBe(true))
    // Give the failed answer time to land: the local result stays, with no error shown.
    await new Promise((r) => setTimeout(r, 50))
    expect(screen.getByRole('heading', { level: 2, name: '1 club' })).toBeTruthy()
    expect(screen.getByRole('link', { name: 'Club 0042' })).toBeTruthy()
    expect(screen.queryByRole('alert')).toBeNull()
    // With no local match either, a failed search ends in "no match" rather than "Searching…".
    await userEvent.clear(search)
    await userEvent.type(search, 'zzz')
    await waitFor(() => expect(calls.some((c) => c.url === '/api/clubs?q=zzz')).toBe(true))
    expect(await screen.findByText(/No club matches/)).toBeTruthy()
    expect(screen.queryByRole('status')).toBeNull()
    expect(screen.queryByRole('alert')).toBeNull()
  })

  it('applies tag, recruiting and view filters from and to the URL', async () => {
    await mockApi({ 'GET /api/me': [200, anonymous], 'GET /api/clubs': [200, clubList(clubs(60))] })
    renderApp('/?tags=arts&view=list')
    expect(await screen.findByRole('heading', { name: '30 clubs' })).toBeTruthy()
    const filters = screen.getByRole('complementary', { name: 'Filters' })
    expect(within(filters).getByRole('button', { name: /Arts/ }).getAttribute('aria-pressed')).toBe('true')
    expect(screen.getByRole('button', { name: 'List' }).getAttribute('aria-pressed')).toBe('true')
    fireEvent.click(within(filters).getByRole('checkbox', { name: 'Accepting members' }))
    await waitFor(() => expect(screen.getByRole('heading', { level: 2, name: '20 clubs' })).toBeTruthy())
    expect(new URLSearchParams(window.location.search).get('recruiting')).toBe('1')
    fireEvent.click(screen.getByRole('button', { name: 'Cards' }))
    expect(screen.getByRole('button', { name: 'Cards' }).getAttribute('aria-pressed')).toBe('true')
    await waitFor(() => expect(new URLSearchParams(window.location.search).get('view')).toBeNull())
  })

  it('shows an error with a retry when the list cannot load', async () => {
    let fail = true
    await mockApi({
      'GET /api/me': [200, anonymous],
      'GET /api/clubs': () => (fail ? [503, { error: { code: 'UNAVAILABLE', message: 'The database is unavailable, retry shortly' } }] : [200, clubList(clubs(3))]),
    })
    renderApp('/')
    expect((await screen.findByRole('alert')).textContent).toContain('The database is unavailable')
    fail = false
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }))
    expect(await screen.findByRole('heading', { name: '3 clubs' })).toBeTruthy()
  })

  it('asks anonymous visitors to sign in before bookmarking', async () => {
    await mockApi({ 'GET /api/me': [200, anonymous], 'GET /api/clubs': [200, clubList(clubs(2))] })
    renderApp('/')
    const links = await screen.findAllByRole('link', { name: 'Sign in to save' })
    expect(links[0]!.getAttribute('href')).toMatch(/^\/login\?next=/)
    expect(screen.queryByRole('button', { name: /Bookmark/ })).toBeNull()
  })

  it('reflects the private overlay and toggles a bookmark with the CSRF header', async () => {
    document.cookie = 'quad_csrf=csrf-1; path=/'
    const { calls } = await mockApi({
      'GET /api/me': [200, student],
      'GET /api/me/overlay': [200, overlayOf({ bookmarks: ['club-1'], memberships: [{ club: 'club-2', role: 'officer', title: '', is_public: true }] })],
      'GET /api/clubs': [200, clubList(clubs(2))],
      'PUT /api/clubs/club-2/bookmark': [200, { bookmarked: true, club: 'club-2' }],
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
      'GET /api/me/overlay': [200, overlayOf()],
      'GET /api/clubs': [200, clubList(clubs(1))],
      'PUT /api/clubs/club-1/bookmark': [403, { error: { code: 'CSRF_FAILED', message: 'Missing or wrong X-CSRF-Token header' } }],
    })
    renderApp('/')
    const button = await screen.findByRole('button', { name: 'Bookmark Club 0001' })
    fireEvent.click(button)
    expect((await screen.findByRole('alert')).textContent).toContain('X-CSRF-Token')
    expect(button.getAttribute('aria-pressed')).toBe('false')
  })
})
