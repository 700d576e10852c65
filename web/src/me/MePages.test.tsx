import { fireEvent, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { club, clubList, mockApi, overlayOf, renderApp, student } from '../test-utils.js'

describe('my clubs', () => {
  it('asks in a dialog before leaving a club, and leaves only when confirmed', async () => {
    document.cookie = 'quad_csrf=csrf-1; path=/'
    const { calls } = mockApi({
      'GET /api/me': [200, student],
      'GET /api/me/overlay': [200, overlayOf({ memberships: [{ club: 'club-2', role: 'member', title: '', is_public: true }] })],
      'GET /api/clubs': [200, clubList([club(2)])],
      'DELETE /api/clubs/club-2/membership': [200, { ok: true }],
    })
    renderApp('/me/clubs')
    fireEvent.click(await screen.findByRole('button', { name: 'Leave' }))
    const dialog = await screen.findByRole('alertdialog', { name: 'Leave Club 0002?' })
    // Focus moves into the dialog; cancelling closes it without a request.
    await waitFor(() => expect(dialog.contains(document.activeElement)).toBe(true))
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }))
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull())
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false)

    fireEvent.click(screen.getByRole('button', { name: 'Leave' }))
    fireEvent.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Leave' }))
    await waitFor(() => expect(calls.some((c) => c.method === 'DELETE' && c.url === '/api/clubs/club-2/membership')).toBe(true))
  })
})

describe('profile', () => {
  it('finds a time zone by typing and saves it with the profile', async () => {
    document.cookie = 'quad_csrf=csrf-1; path=/'
    const profile = { id: 4, name: 'Sam Student', email: 'student@quad.local', graduation_year: 2027, school: 'Arts', major: 'History', profile_public: true, time_zone: 'UTC', sso_linked: false }
    const { calls } = mockApi({
      'GET /api/me': [200, student],
      'GET /api/me/overlay': [200, overlayOf()],
      'GET /api/me/profile': [200, profile],
      'PATCH /api/me/profile': (c) => [200, { ...profile, ...(c.body as object) }],
    })
    renderApp('/me/profile')
    const zone = await screen.findByRole('combobox', { name: 'Time zone (for emails and deadlines)' })
    expect((zone as HTMLInputElement).value).toBe('UTC')
    await userEvent.clear(zone)
    // One input event for the words (typing them one by one re-filters ~400 zones each time).
    await userEvent.paste('Tokyo')
    await userEvent.click(await screen.findByRole('option', { name: 'Asia/Tokyo' }))
    expect((zone as HTMLInputElement).value).toBe('Asia/Tokyo')
    fireEvent.click(screen.getByRole('button', { name: 'Save profile' }))
    await waitFor(() => expect(calls.some((c) => c.method === 'PATCH')).toBe(true))
    expect(calls.find((c) => c.method === 'PATCH')!.body).toMatchObject({ name: 'Sam Student', time_zone: 'Asia/Tokyo' })
    expect(await screen.findByText('Profile saved.')).toBeTruthy()
  }, 15_000)
})
