import type { QuestionType } from '../../db/types.js'
import { fail, type FieldError } from '../../errors.js'

interface QuestionShape {
  id?: number
  type: QuestionType
  word_limit: number | null
  committee_ids: number[]
}

/** Sum of the free-response word limits linked to each committee (the umbrella "word cap" rule). */
export function committeeWordSums(questions: readonly QuestionShape[]): Map<number, number> {
  const sums = new Map<number, number>()
  for (const q of questions) {
    if (q.type !== 'free_response' || q.word_limit == null) continue
    for (const c of q.committee_ids) sums.set(c, (sums.get(c) ?? 0) + q.word_limit)
  }
  return sums
}

/** Throws WORD_CAP_EXCEEDED when a committee's questions would allow more words than the cycle's cap. */
export function checkWordCap(questions: readonly QuestionShape[], cap: number | null | undefined, names: Map<number, string>): void {
  if (cap == null) return
  const fields: FieldError[] = []
  for (const [committee, words] of committeeWordSums(questions)) {
    if (words > cap) {
      fields.push({
        field: 'word_limit',
        code: 'WORD_CAP_EXCEEDED',
        message: `The ${names.get(committee) ?? committee} committee's questions would allow ${words} words; the cycle caps it at ${cap}`,
      })
    }
  }
  if (fields.length) throw fail('WORD_CAP_EXCEEDED', fields[0]!.message, fields)
}

/** What each question type needs: a word limit for free response, two or more choices for choices. */
export function checkQuestionShape(type: QuestionType, wordLimit: number | null, choices: readonly string[] | null): void {
  const fields: FieldError[] = []
  if (type === 'free_response' && wordLimit == null) fields.push({ field: 'word_limit', code: 'REQUIRED', message: 'A free-response question needs a word limit' })
  if (type !== 'free_response' && wordLimit != null) fields.push({ field: 'word_limit', code: 'NOT_ALLOWED', message: 'Only free-response questions have a word limit' })
  const isChoice = type === 'single_choice' || type === 'multi_choice'
  if (isChoice) {
    const labels = (choices ?? []).map((c) => c.trim())
    if (labels.length < 2) fields.push({ field: 'choices', code: 'TOO_FEW', message: 'Give at least two choices' })
    if (labels.some((l) => l.length === 0)) fields.push({ field: 'choices', code: 'EMPTY', message: 'Choices cannot be blank' })
    if (new Set(labels).size !== labels.length) fields.push({ field: 'choices', code: 'DUPLICATE', message: 'Choices must be different' })
  } else if (choices && choices.length) {
    fields.push({ field: 'choices', code: 'NOT_ALLOWED', message: 'Only choice questions have choices' })
  }
  if (fields.length) throw fail('INVALID_QUESTION', fields[0]!.message, fields)
}

/** Committee sets freeze once an application of a cycle with that rule has opened. */
export const committeesFrozen = (app: { freeze_committees: boolean | null; starts_at: Date | string }, now: Date) =>
  app.freeze_committees === true && new Date(app.starts_at).getTime() <= now.getTime()

/** The number of committees an applicant may choose: the application's, capped by its cycle. */
export const effectiveMaxCommittees = (appMax: number, cycleCap: number | null) => (cycleCap == null ? appMax : Math.min(appMax, cycleCap))

/**
 * Results are released after every applicant's deadline, extensions included: a release moved
 * before an extension's end would show decisions to others while that applicant may still submit.
 */
export function releaseBeforeExtension(extensionEnd: Date | string) {
  const end = new Date(extensionEnd).toISOString()
  return fail('RELEASE_BEFORE_EXTENSION', `An extension runs until ${end}; release results after it, or change or revoke the extension first`, [
    { field: 'results_release_at', code: 'BEFORE_EXTENSION', message: `Must be at or after ${end}` },
  ])
}
