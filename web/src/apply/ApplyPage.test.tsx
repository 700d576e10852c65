import { fireEvent, screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import type { ApplicationForm } from '../api/types.js'
import { mockApi, overlayOf, renderApp, student } from '../test-utils.js'
import { countWords, visibleQuestions } from './words.js'

const inThreeDays = new Date(Date.now() + 3 * 86_400_000).toISOString()
const form: ApplicationForm = {
  id: 7,
  club: { code: 'chess', name: 'Chess Club' },
  name: 'Fall recruitment',
  description: '',
  kind: 'internal',
  external_url: null,
  starts_at: new Date(Date.now() - 86_400_000).toISOString(),
  ends_at: inThreeDays,
  results_release_at: new Date(Date.now() + 5 * 86_400_000).toISOString(),
  max_committees: 1,
  state: 'open',
  deadline: null,
  require_complete_profile: false,
  cycle: { id: 2, name: 'Fall 2026' },
  committees: [
    { id: 1, name: 'Marketing', description: '', position: 0 },
    { id: 2, name: 'Events', description: '', position: 1 },
  ],
  questions: [
    { id: 10, type: 'free_response', prompt: 'Why chess?', word_limit: 5, required: true, position: 0, choices: [], committee_ids: [] },
    { id: 11, type: 'single_choice', prompt: 'Your level', word_limit: null, required: true, position: 1, choices: [{ id: 1, label: 'Beginner' }, { id: 2, label: 'Master' }], committee_ids: [] },
    { id: 12, type: 'short_answer', prompt: 'Marketing idea', word_limit: null, required: false, position: 2, choices: [], committee_ids: [1] },
  ],
}

function renderApply(extra: Parameters<typeof mockApi>[0] = {}) {
  document.cookie = 'quad_csrf=csrf-1; path=/'
  localStorage.clear()
  const api = mockApi({
    'GET /api/me': [200, student],
    'GET /api/me/overlay': [200, overlayOf()],
    'GET /api/applications/7': [200, form],
    'GET /api/applications/7/draft': [404, { error: { code: 'NOT_FOUND', message: 'Draft not found' } }],
    'PUT /api/applications/7/draft': [200, { submission_id: 55, saved_at: new Date().toISOString(), warnings: [] }],
    ...extra,
  })
  renderApp('/apply/7')
  return api
}

describe('words', () => {
  it('counts words and picks the questions of chosen committees', () => {
    expect(countWords('')).toBe(0)
    expect(countWords('  one two\n three  ')).toBe(3)
    expect(visibleQuestions(form.questions, []).map((q) => q.id)).toEqual([10, 11])
    expect(visibleQuestions(form.questions, [1]).map((q) => q.id)).toEqual([10, 11, 12])
  })
})

describe('apply page', () => {
  it('shows the deadline with the hour and a countdown', async () => {
    renderApply()
    await screen.findByRole('heading', { name: 'Fall recruitment' })
    const time = document.querySelector('.countdown time')!
    expect(time.getAttribute('dateTime')).toBe(inThreeDays)
    expect(time.textContent).toMatch(/\d{1,2}:\d{2}/)
    expect(screen.getByText(/2 days \d+ h left|3 days 0 h left/)).toBeTruthy()
  })

  it('counts words live, flags an answer over the limit and blocks submitting', async () => {
    renderApply()
    const box = await screen.findByRole('textbox', { name: /Why chess/ })
    fireEvent.change(box, { target: { value: 'I love the game a lot' } })
    expect(screen.getByText('6 / 5 words')).toBeTruthy()
    expect(screen.getByText('Over the limit by 1 word')).toBeTruthy()
    expect(box.getAttribute('aria-invalid')).toBe('true')
    expect((screen.getByRole('button', { name: 'Submit application' }) as HTMLButtonElement).disabled).toBe(true)
    fireEvent.change(box, { target: { value: 'I love the game' } })
    expect(screen.getByText('4 / 5 words')).toBeTruthy()
    expect((screen.getByRole('button', { name: 'Submit application' }) as HTMLButtonElement).disabled).toBe(false)
  })

  it('limits committees and shows committee questions for the chosen one', async () => {
    renderApply()
    const marketing = await screen.findByRole('checkbox', { name: /Marketing/ })
    expect(screen.queryByRole('textbox', { name: /Marketing idea/ })).toBeNull()
    fireEvent.click(marketing)
    expect(screen.getByRole('textbox', { name: /Marketing idea/ })).toBeTruthy()
    expect((screen.getByRole('checkbox', { name: /Events/ }) as HTMLInputElement).disabled).toBe(true)
  })

  it('autosaves the draft and says so', async () => {
    const { calls } = renderApply()
    fireEvent.change(await screen.findByRole('textbox', { name: /Why chess/ }), { target: { value: 'Because' } })
    expect(screen.getByRole('status', { name: '' }).textContent ?? '').toBeTruthy()
    await waitFor(() => expect(screen.getByText(/Draft saved at/)).toBeTruthy(), { timeout: 3000 })
    const put = calls.find((c) => c.method === 'PUT')!
    expect(put.body).toEqual({ answers: [{ question_id: 10, text: 'Because' }], committees: [] })
    expect(put.headers['x-csrf-token']).toBe('csrf-1')
  })

  it('confirms, submits with an idempotency key and shows the receipt', async () => {
    const { calls } = renderApply({
      'POST /api/applications/7/submit': [201, { submission_id: 981, submitted_at: new Date().toISOString(), content_digest: 'sha256:abc123', application_id: 7 }],
    })
    fireEvent.change(await screen.findByRole('textbox', { name: /Why chess/ }), { target: { value: 'Because' } })
    fireEvent.click(screen.getByRole('radio', { name: 'Master' }))
    fireEvent.click(screen.getByRole('button', { name: 'Submit application' }))
    const dialog = screen.getByRole('dialog', { hidden: true })
    fireEvent.click(within(dialog).getByRole('button', { name: 'Yes, submit', hidden: true }))
    const receipt = await screen.findByRole('region', { name: /Application submitted/ })
    expect(within(receipt).getByTestId('receipt-id').textContent).toBe('981')
    expect(receipt.textContent).toContain('sha256:abc123')
    const post = calls.find((c) => c.method === 'POST')!
    expect(post.body).toEqual({ answers: [{ question_id: 10, text: 'Because' }, { question_id: 11, choice_ids: [2] }], committees: [] })
    expect(post.headers['idempotency-key']).toMatch(/^[A-Za-z0-9_.:-]{8,}$/)
  })

  it('shows an earlier submission’s receipt instead of the form', async () => {
    renderApply({
      'GET /api/applications/7/draft': [
        200,
        {
          submission_id: 981,
          state: 'submitted',
          committees: [],
          answers: [],
          updated_at: new Date().toISOString(),
          receipt: { submission_id: 981, application_id: 7, submitted_at: new Date().toISOString(), content_digest: 'feedbeef', idempotency_key: 'k-12345678' },
          results_released: false,
          decision: null,
        },
      ],
    })
    expect((await screen.findByTestId('receipt-id')).textContent).toBe('981')
    expect(screen.queryByRole('button', { name: 'Submit application' })).toBeNull()
  })

  it('uses the applicant’s extension as the deadline', async () => {
    const extended = new Date(Date.now() + 4 * 86_400_000).toISOString()
    renderApply({
      'GET /api/me/applications': [
        200,
        { time_zone: 'UTC', applications: [{ submission_id: 1, application: { id: 7, name: 'Fall recruitment', kind: 'internal', club: form.club, cycle: null }, state: 'draft', extended: true, deadline: { utc: extended, time_zone: 'UTC', local: '', local_iso: '' } }] },
      ],
    })
    await screen.findByRole('heading', { name: 'Fall recruitment' })
    expect(document.querySelector('.countdown time')!.getAttribute('dateTime')).toBe(extended)
    expect(screen.getByText(/You have an extension until/)).toBeTruthy()
  })

  it('shows the server’s per-field errors at the question', async () => {
    renderApply({
      'POST /api/applications/7/submit': [
        400,
        { error: { code: 'INVALID_ANSWERS', message: 'Some answers are invalid', fields: [{ field: 'answers.11', code: 'REQUIRED', message: 'Choose one answer' }] } },
      ],
    })
    await screen.findByRole('textbox', { name: /Why chess/ })
    fireEvent.click(screen.getByRole('button', { name: 'Submit application' }))
    fireEvent.click(within(screen.getByRole('dialog', { hidden: true })).getByRole('button', { name: 'Yes, submit', hidden: true }))
    expect(await screen.findByText('Choose one answer')).toBeTruthy()
    // Shown at its field, so not repeated as a form-level list.
    expect(screen.queryByText(/answers\.11/)).toBeNull()
  })
})
