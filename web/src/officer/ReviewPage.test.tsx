import { fireEvent, screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import type { ReviewSubmission } from '../api/types.js'
import { mockApi, overlayOf, renderApp, student } from '../test-utils.js'
import { changedFields } from './EditClub.js'

const sub = (id: number, status: ReviewSubmission['status'] = 'pending'): ReviewSubmission => ({
  id,
  application_id: 7,
  user: { id: 100 + id, name: `Applicant ${id}`, email: `a${id}@x.edu`, graduation_year: 2028, school: 'Arts', major: 'History' },
  status,
  reason: '',
  submitted_at: new Date().toISOString(),
  content_digest: 'abcdef0123456789',
  notified_at: null,
  committees: [{ id: 1, name: 'Events', rank: 1 }],
  responses: [{ question_id: 10, text: `Answer of ${id}`, choice_ids: [], choices: [] }],
  notes: [],
  average_score: null,
})

function renderReview() {
  document.cookie = 'quad_csrf=csrf-1; path=/'
  const api = mockApi({
    'GET /api/me': [200, student],
    'GET /api/me/overlay': [200, overlayOf()],
    'GET /api/applications/7/submissions': [
      200,
      {
        application: {
          id: 7,
          name: 'Fall',
          committees: [{ id: 1, name: 'Events', description: '', position: 0 }],
          questions: [{ id: 10, type: 'free_response', prompt: 'Why?', word_limit: 100, required: true, position: 0, choices: [], committee_ids: [] }],
        },
        total: 3,
        limit: 500,
        offset: 0,
        submissions: [sub(1), sub(2), sub(3, 'accepted')],
      },
    ],
    'PATCH /api/submissions/2': (c) => [200, { id: 2, reason: '', ...(c.body as object) }],
    'POST /api/submissions/1/notes': (c) => [201, { id: 5, author_id: 3, author_name: 'Olive Officer', created_at: new Date().toISOString(), ...(c.body as object) }],
    'POST /api/applications/7/submissions/status': (c) => [200, { updated: (c.body as { submission_ids: number[] }).submission_ids.length, status: 'accepted' }],
    'GET /api/applications/7/extensions': [200, { extensions: [] }],
  })
  renderApp('/review/7')
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
    // A note with a score updates the average shown in the row.
    const noteForm = screen.getByRole('form', { name: 'Add a note on Applicant 1' })
    fireEvent.change(within(noteForm).getByLabelText('Note'), { target: { value: 'Strong answer' } })
    fireEvent.change(within(noteForm).getByLabelText('Score'), { target: { value: '8' } })
    fireEvent.click(within(noteForm).getByRole('button', { name: 'Add note' }))
    expect(await screen.findByText('Strong answer')).toBeTruthy()
    expect(screen.getByRole('cell', { name: '8.0' })).toBeTruthy()
    expect(calls.find((c) => c.url === '/api/submissions/1/notes')!.body).toEqual({ body: 'Strong answer', score: 8 })

    fireEvent.click(screen.getByRole('checkbox', { name: 'Select Applicant 1' }))
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select Applicant 3' }))
    expect(screen.getByText('2 selected')).toBeTruthy()
    fireEvent.change(screen.getByRole('combobox', { name: 'Set status to' }), { target: { value: 'accepted' } })
    fireEvent.click(screen.getByRole('button', { name: 'Apply to selected' }))
    await waitFor(() => expect(calls.some((c) => c.url.endsWith('/submissions/status'))).toBe(true))
    expect(calls.find((c) => c.url.endsWith('/submissions/status'))!.body).toEqual({ submission_ids: [1, 3], status: 'accepted' })
    expect(screen.getByRole('link', { name: 'Download CSV' }).getAttribute('href')).toBe('/api/applications/7/submissions.csv')
  })

  it('sends only the fields an officer changed', () => {
    expect(changedFields({ name: 'A', subtitle: 'x', tags: ['a'], links: { website: 'w' } }, { name: 'A', subtitle: 'y', tags: ['a'], links: { website: 'w' } })).toEqual({ subtitle: 'y' })
    expect(changedFields({ tags: ['a'] }, { tags: ['a', 'b'] })).toEqual({ tags: ['a', 'b'] })
    expect(changedFields({ image_url: null }, { image_url: null })).toEqual({})
  })
})
