import { createHash } from 'node:crypto'
import type { QuestionType } from '../../db/types.js'
import type { FieldError } from '../../errors.js'

/** What the server needs of an application to check one applicant's content. */
export interface FormQuestion {
  id: number
  type: QuestionType
  required: boolean
  word_limit: number | null
  committee_ids: number[]
  choice_ids: number[]
}
export interface Form {
  committeeIds: number[]
  maxCommittees: number
  questions: FormQuestion[]
}

export interface AnswerInput {
  question_id: number
  text?: string
  choice_ids?: number[]
}
export interface ContentInput {
  committees?: number[]
  answers: AnswerInput[]
}
export interface Answer {
  question_id: number
  text: string
  choice_ids: number[]
}

/** Short answers are one line of a few words; long text belongs in a free response. */
export const SHORT_ANSWER_MAX_CHARS = 300

export const countWords = (text: string) => {
  const t = text.trim()
  return t === '' ? 0 : t.split(/\s+/u).length
}

const isEmpty = (a: Answer) => a.text.trim() === '' && a.choice_ids.length === 0

/**
 * Checks content against the form. Structural errors (unknown ids, wrong answer kinds, too many
 * committees) always fail; limits and required answers fail a submit but are only warnings for
 * a draft, which may be mid-edit. Returns the normalized content either way.
 */
export function validateContent(form: Form, input: ContentInput, mode: 'draft' | 'submit') {
  const errors: FieldError[] = []
  const warnings: FieldError[] = []
  const soft = mode === 'draft' ? warnings : errors

  const committees = input.committees ?? []
  const knownCommittees = new Set(form.committeeIds)
  if (new Set(committees).size !== committees.length) errors.push({ field: 'committees', code: 'DUPLICATE', message: 'Choose each committee once' })
  const unknown = committees.filter((c) => !knownCommittees.has(c))
  if (unknown.length) errors.push({ field: 'committees', code: 'UNKNOWN', message: `Not a committee of this application: ${unknown.join(', ')}` })
  if (committees.length > form.maxCommittees) {
    errors.push({ field: 'committees', code: 'TOO_MANY', message: `Choose at most ${form.maxCommittees} committee${form.maxCommittees === 1 ? '' : 's'}` })
  }
  if (mode === 'submit' && form.committeeIds.length > 0 && form.maxCommittees > 0 && committees.length === 0) {
    errors.push({ field: 'committees', code: 'REQUIRED', message: 'Choose at least one committee' })
  }
  const chosen = new Set(committees)
  const applies = (q: FormQuestion) => q.committee_ids.length === 0 || q.committee_ids.some((c) => chosen.has(c))

  const byId = new Map(form.questions.map((q) => [q.id, q]))
  const seen = new Set<number>()
  const answers: Answer[] = []
  for (const a of input.answers) {
    const field = `answers.${a.question_id}`
    const q = byId.get(a.question_id)
    if (seen.has(a.question_id)) {
      errors.push({ field, code: 'DUPLICATE', message: 'This question is answered twice' })
      continue
    }
    seen.add(a.question_id)
    if (!q) {
      errors.push({ field, code: 'UNKNOWN_QUESTION', message: 'Not a question of this application' })
      continue
    }
    if (q.type === 'info') {
      errors.push({ field, code: 'NOT_ANSWERABLE', message: 'This is information, not a question' })
      continue
    }
    const text = a.text ?? ''
    const choiceIds = a.choice_ids ?? []
    if (q.type === 'free_response' || q.type === 'short_answer') {
      if (choiceIds.length) {
        errors.push({ field, code: 'NOT_A_CHOICE_QUESTION', message: 'Answer this question with text' })
        continue
      }
      if (q.type === 'free_response' && q.word_limit != null) {
        const words = countWords(text)
        if (words > q.word_limit) soft.push({ field, code: 'TOO_MANY_WORDS', message: `${words} words; the limit is ${q.word_limit}` })
      }
      if (q.type === 'short_answer' && text.length > SHORT_ANSWER_MAX_CHARS) {
        soft.push({ field, code: 'TOO_LONG', message: `${text.length} characters; a short answer has at most ${SHORT_ANSWER_MAX_CHARS}` })
      }
      answers.push({ question_id: q.id, text, choice_ids: [] })
      continue
    }
    if (text !== '') {
      errors.push({ field, code: 'NOT_A_TEXT_QUESTION', message: 'Answer this question by picking choices' })
      continue
    }
    const valid = new Set(q.choice_ids)
    const bad = choiceIds.filter((c) => !valid.has(c))
    if (bad.length) {
      errors.push({ field, code: 'INVALID_CHOICE', message: `Not a choice of this question: ${bad.join(', ')}` })
      continue
    }
    if (new Set(choiceIds).size !== choiceIds.length) {
      errors.push({ field, code: 'DUPLICATE_CHOICE', message: 'Pick each choice once' })
      continue
    }
    if (q.type === 'single_choice' && choiceIds.length > 1) {
      errors.push({ field, code: 'SINGLE_CHOICE', message: 'Pick only one choice' })
      continue
    }
    answers.push({ question_id: q.id, text: '', choice_ids: [...choiceIds].sort((x, y) => x - y) })
  }

  if (mode === 'submit') {
    const given = new Map(answers.map((a) => [a.question_id, a]))
    for (const q of form.questions) {
      if (q.type === 'info') continue
      const a = given.get(q.id)
      if (!applies(q)) {
        if (a && !isEmpty(a)) errors.push({ field: `answers.${q.id}`, code: 'NOT_APPLICABLE', message: 'This question is for a committee you did not choose' })
        continue
      }
      if (q.required && (!a || isEmpty(a))) errors.push({ field: `answers.${q.id}`, code: 'REQUIRED', message: 'This question needs an answer' })
    }
  }
  const kept = mode === 'submit' ? answers.filter((a) => !isEmpty(a)) : answers
  kept.sort((x, y) => x.question_id - y.question_id)
  return { errors, warnings, committees, answers: kept }
}

/** The receipt's content digest: sha256 over a canonical rendering of exactly what was stored. */
export function contentDigest(applicationId: number, committees: readonly number[], answers: readonly Answer[]): string {
  const canonical = JSON.stringify({
    application_id: applicationId,
    committees,
    answers: answers.map((a) => [a.question_id, a.text, a.choice_ids]),
  })
  return createHash('sha256').update(canonical).digest('hex')
}
