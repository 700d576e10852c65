import { describe, expect, it } from 'vitest'
import { localTime } from '../applications/time.js'
import { renderDecision } from '../review/templates.js'
import { contentDigest, countWords, type Form, SHORT_ANSWER_MAX_CHARS, validateContent } from './validate.js'

const form: Form = {
  committeeIds: [10, 11, 12],
  maxCommittees: 2,
  questions: [
    { id: 1, type: 'free_response', required: true, word_limit: 5, committee_ids: [], choice_ids: [] },
    { id: 2, type: 'short_answer', required: true, word_limit: null, committee_ids: [], choice_ids: [] },
    { id: 3, type: 'single_choice', required: true, word_limit: null, committee_ids: [], choice_ids: [31, 32] },
    { id: 4, type: 'multi_choice', required: false, word_limit: null, committee_ids: [], choice_ids: [41, 42, 43] },
    { id: 5, type: 'info', required: false, word_limit: null, committee_ids: [], choice_ids: [] },
    { id: 6, type: 'free_response', required: true, word_limit: 10, committee_ids: [11], choice_ids: [] },
  ],
}
const good = [
  { question_id: 1, text: 'one two three' },
  { question_id: 2, text: 'short' },
  { question_id: 3, choice_ids: [32] },
]
const codes = (r: ReturnType<typeof validateContent>, kind: 'errors' | 'warnings' = 'errors') => r[kind].map((e) => `${e.field}:${e.code}`)

describe('validateContent', () => {
  it('accepts a complete submission and normalizes it', () => {
    const r = validateContent(form, { committees: [10], answers: [...good, { question_id: 4, choice_ids: [43, 41] }] }, 'submit')
    expect(r.errors).toEqual([])
    expect(r.answers.map((a) => a.question_id)).toEqual([1, 2, 3, 4])
    expect(r.answers[3]!.choice_ids).toEqual([41, 43])
  })

  it('names the field of every problem on submit', () => {
    const r = validateContent(
      form,
      {
        committees: [10, 11, 12],
        answers: [
          { question_id: 1, text: 'one two three four five six' },
          { question_id: 3, choice_ids: [31, 32] },
          { question_id: 4, choice_ids: [99] },
          { question_id: 5, text: 'x' },
          { question_id: 77, text: 'x' },
          { question_id: 2, text: 'x'.repeat(SHORT_ANSWER_MAX_CHARS + 1) },
        ],
      },
      'submit',
    )
    expect(codes(r)).toEqual(
      expect.arrayContaining([
        'committees:TOO_MANY',
        'answers.1:TOO_MANY_WORDS',
        'answers.3:SINGLE_CHOICE',
        'answers.4:INVALID_CHOICE',
        'answers.5:NOT_ANSWERABLE',
        'answers.77:UNKNOWN_QUESTION',
        'answers.2:TOO_LONG',
        'answers.6:REQUIRED',
      ]),
    )
    expect(r.errors.find((e) => e.field === 'answers.1')!.message).toBe('6 words; the limit is 5')
  })

  it('requires committee questions only for chosen committees, and refuses answers to the others', () => {
    expect(codes(validateContent(form, { committees: [11], answers: good }, 'submit'))).toEqual(['answers.6:REQUIRED'])
    expect(codes(validateContent(form, { committees: [10], answers: [...good, { question_id: 6, text: 'hi' }] }, 'submit'))).toEqual(['answers.6:NOT_APPLICABLE'])
    expect(codes(validateContent(form, { committees: [], answers: good }, 'submit'))).toEqual(['committees:REQUIRED'])
    expect(codes(validateContent(form, { committees: [10, 10], answers: good }, 'submit'))).toContain('committees:DUPLICATE')
    expect(codes(validateContent(form, { committees: [99], answers: good }, 'submit'))).toContain('committees:UNKNOWN')
  })

  it('lets a draft go over limits (as warnings) but never saves structural nonsense', () => {
    const draft = validateContent(form, { answers: [{ question_id: 1, text: 'a b c d e f g' }] }, 'draft')
    expect(draft.errors).toEqual([])
    expect(codes(draft, 'warnings')).toEqual(['answers.1:TOO_MANY_WORDS'])
    expect(codes(validateContent(form, { answers: [{ question_id: 3, text: 'free text' }] }, 'draft'))).toEqual(['answers.3:NOT_A_TEXT_QUESTION'])
    expect(codes(validateContent(form, { answers: [{ question_id: 1, choice_ids: [31] }] }, 'draft'))).toEqual(['answers.1:NOT_A_CHOICE_QUESTION'])
    expect(codes(validateContent(form, { answers: [{ question_id: 1 }, { question_id: 1 }] }, 'draft'))).toEqual(['answers.1:DUPLICATE'])
  })

  it('counts words across any whitespace', () => {
    expect(countWords('')).toBe(0)
    expect(countWords('   ')).toBe(0)
    expect(countWords(' one\ttwo\nthree  four ')).toBe(4)
  })

  it('digests the canonical content: same content, same digest; any change, another', () => {
    const a = validateContent(form, { committees: [10], answers: [...good].reverse() }, 'submit')
    const b = validateContent(form, { committees: [10], answers: good }, 'submit')
    expect(contentDigest(1, a.committees, a.answers)).toBe(contentDigest(1, b.committees, b.answers))
    expect(contentDigest(1, a.committees, a.answers)).toMatch(/^[0-9a-f]{64}$/)
    expect(contentDigest(1, [11], a.answers)).not.toBe(contentDigest(1, a.committees, a.answers))
    expect(contentDigest(2, a.committees, a.answers)).not.toBe(contentDigest(1, a.committees, a.answers))
  })
})

describe('deadline rendering', () => {
  it('renders the hour in the zone, with daylight saving and odd offsets', () => {
    const summer = localTime(new Date('2025-06-02T17:00:00Z'), 'America/New_York')
    expect(summer).toMatchObject({ utc: '2025-06-02T17:00:00.000Z', local_iso: '2025-06-02T13:00:00-04:00' })
    expect(summer.local).toBe('Mon, Jun 2, 2025, 1:00 PM EDT')
    expect(localTime(new Date('2025-12-01T17:00:00Z'), 'America/New_York').local_iso).toBe('2025-12-01T12:00:00-05:00')
    expect(localTime(new Date('2025-12-01T17:00:00Z'), 'Asia/Tokyo').local_iso).toBe('2025-12-02T02:00:00+09:00')
    expect(localTime(new Date('2025-12-01T17:00:00Z'), 'Asia/Kolkata').local_iso).toBe('2025-12-01T22:30:00+05:30')
    expect(localTime(new Date('2025-12-01T17:00:00Z'), 'UTC').local).toBe('Mon, Dec 1, 2025, 5:00 PM UTC')
  })
})

describe('decision templates', () => {
  it('fills placeholders and falls back to a default', () => {
    const v = { name: 'Ada', club: 'Chess Club', application: 'Fall', reason: '' }
    expect(renderDecision('acceptance', 'Hi {{name}}, welcome to {{ club }}! {{unknown}}', v).body).toBe('Hi Ada, welcome to Chess Club! {{unknown}}\n')
    const d = renderDecision('rejection', '', { ...v, reason: 'Many strong applicants.' })
    expect(d.subject).toBe('Your application to Chess Club')
    expect(d.body).toContain('Dear Ada')
    expect(d.body).toContain('Many strong applicants.')
  })
})
