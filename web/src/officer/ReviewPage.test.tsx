import { fireEvent, render, screen, waitFor } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import type { ReviewSubmission } from '../api/types.js'
import { SessionProvider } from '../app/session.js'
import { mockApi, student } from '../test-utils.js'
import { changedFields } from './ManageClub.js'
import ReviewPage from './ReviewPage.js'

const sub = (id: number, status: ReviewSubmission['status'] = 'pending'): ReviewSubmission => ({
  id,
  user: { id: 100 + id, name: `Applicant ${id}`, email: `a${id}@x.edu` },
  status,
  reason: '',
  notes: '',
  score: null,
  submitted_at: new Date().toISOString(),
  committee_ids: [1],
  answers: [{ question_id: 10, text: `Answer of ${id}` }],
  notified_at: null,
})

function renderReview() {
  document.cookie = 'quad_csrf=csrf-1; path=/'
  window.history.replaceState(null, '', '/review/7')
  const api = mockApi({
    'GET /api/me': [200, student],
    'GET /api/me/overlay': [200, {}],
    'GET /api/applications/7': [200, { id: 7, name: 'Fall', club: { code: 'chess', name: 'Chess' }, committees: [{ id: 1, name: 'Events', description: '' }], questions: [], results_release_at: new Date().toISOString() }],
    'GET /api/applications/7/submissions': [
      200,
      { submissions: [sub(1), sub(2), sub(3, 'accepted')], questions: [{ id: 10, type: 'free_response', prompt: 'Why?', word_limit: 100, required: true, position: 0, choices: [], committee_ids: [] }], committees: [{ id: 1, name: 'Events', description: '' }] },
    ],
    'PATCH /api/submissions/2': (c) => [200, { ...sub(2), ...(c.body as object) }],
    'POST /api/applications/7/submissions/bulk': (c) => [200, { updated: (c.body as { ids: number[] }).ids.length }],
    'GET /api/applications/7/extensions': [200, { extensions: [] }],
  })
  render(
    <SessionProvider initial={student}>
      <ReviewPage id={7} />
    </SessionProvider>,
  )
  return api
}

describe('review page', () => {
  it('lists submissions with answers, updates one status and bulk-updates the selection', async () => {
    const { calls } = renderReview()
    expect(await screen.findByText('3 submissions')).toBeTruthy()
    fireEvent.change(screen.getByRole('combobox', { name: 'Status of Applicant 2' }), { target: { value: 'rejected_written' } })
    await waitFor(() => expect(calls.some((c) => c.method === 'PATCH')).toBe(true))
    expect(calls.find((c) => c.method === 'PATCH')!.body).toEqual({ status: 'rejected_written' })

    fireEvent.click(screen.getByRole('button', { name: 'Show answers of Applicant 1' }))
    expect(screen.getByText('Answer of 1')).toBeTruthy()

    fireEvent.click(screen.getByRole('checkbox', { name: 'Select Applicant 1' }))
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select Applicant 3' }))
    expect(screen.getByText('2 selected')).toBeTruthy()
    fireEvent.change(screen.getByRole('combobox', { name: 'Set status to' }), { target: { value: 'accepted' } })
    fireEvent.click(screen.getByRole('button', { name: 'Apply to selected' }))
    await waitFor(() => expect(calls.some((c) => c.url.endsWith('/bulk'))).toBe(true))
    expect(calls.find((c) => c.url.endsWith('/bulk'))!.body).toEqual({ ids: [1, 3], status: 'accepted' })
    expect(screen.getByRole('link', { name: 'Download CSV' }).getAttribute('href')).toBe('/api/applications/7/submissions.csv')
  })

  it('sends only the fields an officer changed', () => {
    expect(changedFields({ name: 'A', subtitle: 'x', tags: ['a'], links: { website: 'w' } }, { name: 'A', subtitle: 'y', tags: ['a'], links: { website: 'w' } })).toEqual({ subtitle: 'y' })
    expect(changedFields({ tags: ['a'] }, { tags: ['a', 'b'] })).toEqual({ tags: ['a', 'b'] })
    expect(changedFields({ image_url: null }, { image_url: null })).toEqual({})
  })
})
