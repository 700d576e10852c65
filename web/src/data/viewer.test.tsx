import { fireEvent, screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import type { ClubDetail } from '../api/types.js'
import { club, clubList, mockApi, overlayOf, renderApp, student } from '../test-utils.js'

const detail = (bookmarks: number): ClubDetail => ({
  code: 'club-1',
  name: 'Club 0001',
  subtitle: 'Subtitle 1',
  description: '<p>About</p>',
  image_url: null,
  size: 'small',
  tags: [],
  badges: [],
  category: null,
  accepting_members: false,
  application_required: false,
  membership_process: 'open',
  recruiting_season: 'fall',
  has_open_application: false,
  favorite_count: bookmarks,
  member_count: 12,
  target_years: [],
  target_schools: [],
  target_majors: [],
  founded_year: null,
  active: true,
  updated_at: new Date().toISOString(),
  contact_email: null,
  links: {},
  how_to_get_involved: '',
  parents: [],
  members: [],
  events: [],
  faqs: [],
  testimonials: [],
  advisors: [],
  files: [],
  applications: [],
})

function signedIn(extra: Parameters<typeof mockApi>[0] = {}) {
  document.cookie = 'quad_csrf=csrf-1; path=/'
  return mockApi({
    'GET /api/me': [200, student],
    'GET /api/me/overlay': [200, overlayOf({ subscriptions: ['club-2'] })],
    'GET /api/clubs': [200, clubList([club(1, { bookmarks: 3 }), club(2, { bookmarks: 8 })])],
    'PUT /api/clubs/club-1/bookmark': [200, { bookmarked: true, club: 'club-1' }],
    'DELETE /api/clubs/club-1/bookmark': [200, { bookmarked: false, club: 'club-1' }],
    ...extra,
  })
}

const card = (name: string) => screen.getByRole('link', { name }).closest('article')!
const countOn = (name: string) => within(card(name)).getByTitle('Bookmarks').textContent
/** The overlay has arrived (club-2's subscription shows). */
const overlayShown = () => waitFor(() => expect(screen.getByRole('button', { name: 'Subscribe to Club 0002' }).getAttribute('aria-pressed')).toBe('true'))

describe('bookmarking updates every view at once', () => {
  it('changes the card’s count and the saved list without reading the list or the overlay again', async () => {
    const { calls } = signedIn()
    renderApp('/')
    const button = await screen.findByRole('button', { name: 'Bookmark Club 0001' })
    await overlayShown()
    expect(countOn('Club 0001')).toBe('★ 3')
    fireEvent.click(button)
    await waitFor(() => expect(button.getAttribute('aria-pressed')).toBe('true'))
    expect(countOn('Club 0001')).toBe('★ 4')
    expect(countOn('Club 0002')).toBe('★ 8')
    await waitFor(() => expect(calls.some((c) => c.method === 'PUT')).toBe(true))

    // Another page shows the same state, from the same cache.
    fireEvent.click(screen.getByRole('link', { name: 'Saved' }))
    expect(await screen.findByRole('heading', { name: 'Bookmarked clubs (1)' })).toBeTruthy()
    expect(screen.getByRole('button', { name: 'Bookmark Club 0001' }).getAttribute('aria-pressed')).toBe('true')
    expect(calls.filter((c) => c.method === 'GET').map((c) => c.url).sort()).toEqual(['/api/clubs', '/api/me', '/api/me/overlay'])

    // And back: un-bookmarking from the saved list lowers the card's count again.
    fireEvent.click(screen.getByRole('button', { name: 'Bookmark Club 0001' }))
    expect(await screen.findByRole('heading', { name: 'Bookmarked clubs (0)' })).toBeTruthy()
    fireEvent.click(screen.getByRole('link', { name: 'Clubs' }))
    await screen.findByRole('button', { name: 'Bookmark Club 0001' })
    expect(countOn('Club 0001')).toBe('★ 3')
  })

  it('shows the new count on the club page, then the server’s', async () => {
    let bookmarks = 3
    const { calls } = signedIn({
      'GET /api/clubs/club-1': () => [200, detail(bookmarks)],
      'PUT /api/clubs/club-1/bookmark': () => {
        bookmarks = 4
        return [200, { bookmarked: true, club: 'club-1' }]
      },
    })
    renderApp('/clubs/club-1')
    await screen.findByRole('heading', { level: 1, name: 'Club 0001' })
    const facts = screen.getByRole('complementary', { name: 'Club facts' })
    const count = () => within(facts).getByText('Bookmarks').nextElementSibling!.textContent
    expect(count()).toBe('3')
    const button = await screen.findByRole('button', { name: 'Bookmark Club 0001' })
    await waitFor(() => expect(calls.some((c) => c.url === '/api/me/overlay')).toBe(true))
    fireEvent.click(button)
    await waitFor(() => expect(count()).toBe('4'))
    // The club page is read again after the write; the server agrees.
    await waitFor(() => expect(calls.filter((c) => c.url === '/api/clubs/club-1')).toHaveLength(2))
    expect(count()).toBe('4')
  })

  it('puts the count back when the server refuses', async () => {
    signedIn({ 'PUT /api/clubs/club-1/bookmark': [403, { error: { code: 'CSRF_FAILED', message: 'Missing or wrong X-CSRF-Token header' } }] })
    renderApp('/')
    const button = await screen.findByRole('button', { name: 'Bookmark Club 0001' })
    fireEvent.click(button)
    expect((await screen.findByRole('alert')).textContent).toContain('X-CSRF-Token')
    expect(button.getAttribute('aria-pressed')).toBe('false')
    expect(countOn('Club 0001')).toBe('★ 3')
  })
})
