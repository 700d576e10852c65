import type { Random } from '../../src/seed/random.js'
import type { ApplicationFx } from '../fixtures.js'

export interface Content {
  committees?: number[]
  answers: { question_id: number; text?: string; choice_ids?: number[] }[]
}

const sentence = (rng: Random, words: string[], n: number) => Array.from({ length: n }, () => rng.pick(words)).join(' ')

/**
 * An applicant's answers: one committee when the application has committees, every question that
 * applies to it, free responses within their word limit. `share` < 1 is a draft in progress:
 * fewer answers, shorter texts.
 */
export function contentFor(app: ApplicationFx, rng: Random, words: string[], share = 1): Content {
  const committees = app.committees.length && app.maxCommittees > 0 ? [rng.pick(app.committees)] : []
  const chosen = new Set(committees)
  const answers: Content['answers'] = []
  for (const q of app.questions) {
    if (q.type === 'info') continue
    if (q.committees.length && !q.committees.some((c) => chosen.has(c))) continue
    if (share < 1 && rng.next() > share) continue
    if (q.type === 'free_response') {
      const limit = q.wordLimit ?? 150
      answers.push({ question_id: q.id, text: sentence(rng, words, Math.max(1, Math.floor(rng.int(Math.min(20, limit), Math.min(limit, 120)) * share))) })
    } else if (q.type === 'short_answer') answers.push({ question_id: q.id, text: sentence(rng, words, rng.int(2, 6)) })
    else if (q.type === 'single_choice' && q.choices.length) answers.push({ question_id: q.id, choice_ids: [rng.pick(q.choices)] })
    else if (q.type === 'multi_choice' && q.choices.length) answers.push({ question_id: q.id, choice_ids: rng.sample(q.choices, rng.int(1, 2)) })
  }
  return committees.length ? { committees, answers } : { answers }
}

/** The items of `list` that belong to stream `index` of `count` (streams never share an applicant). */
export const share = <T>(list: T[], part: { index: number; count: number }) => list.filter((_, i) => i % part.count === part.index)
