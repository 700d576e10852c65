/** Saves the application builder's edits as the per-item calls the API offers. */
import { call } from './client.js'
import type { Body, Committee, ManagedApplication, Question, QuestionType } from './types.js'

export interface BuilderState {
  committees: (Omit<Committee, 'id' | 'position'> & { id?: number })[]
  questions: (Omit<Question, 'id' | 'choices' | 'position' | 'type'> & { id?: number; type: QuestionType; choices: { id?: number; label: string }[] })[]
}

const isChoice = (type: string) => type === 'single_choice' || type === 'multi_choice'

/** Applies the edits in one order that always holds: committees, removed questions, questions, order. */
export async function saveBuilder(id: number, before: ManagedApplication, after: BuilderState): Promise<void> {
  // Committees first: new questions may point at new committees (by position until they have ids).
  const committeeIds: number[] = []
  for (const [i, c] of after.committees.entries()) {
    if (c.id) {
      const old = before.committees.find((x) => x.id === c.id)
      if (old && (old.name !== c.name || old.description !== c.description))
        await call('patch', '/api/applications/{id}/committees/{committeeId}', { path: { id, committeeId: c.id }, body: { name: c.name, description: c.description } })
      committeeIds.push(c.id)
    } else {
      const created = await call('post', '/api/applications/{id}/committees', { path: { id }, body: { name: c.name, description: c.description, position: i } })
      committeeIds.push(created.id)
    }
  }
  const keptQuestions = new Set(after.questions.map((q) => q.id).filter(Boolean))
  for (const q of before.questions) if (!keptQuestions.has(q.id)) await call('delete', '/api/applications/{id}/questions/{questionId}', { path: { id, questionId: q.id } })
  const order: number[] = []
  for (const q of after.questions) {
    const body = {
      prompt: q.prompt,
      word_limit: q.type === 'free_response' ? q.word_limit : null,
      required: q.required,
      committee_ids: q.committee_ids.filter((c) => committeeIds.includes(c)),
    } satisfies Body<'patchApplicationsByIdQuestionsByQuestionId'>
    const choices = isChoice(q.type) ? q.choices.filter((c) => c.label.trim()) : []
    if (q.id) {
      const old = before.questions.find((x) => x.id === q.id)!
      const changed =
        old.prompt !== body.prompt ||
        old.word_limit !== body.word_limit ||
        old.required !== body.required ||
        JSON.stringify([...old.committee_ids].sort()) !== JSON.stringify([...body.committee_ids].sort()) ||
        JSON.stringify(old.choices.map((c) => c.label)) !== JSON.stringify(choices.map((c) => c.label))
      if (changed) await call('patch', '/api/applications/{id}/questions/{questionId}', { path: { id, questionId: q.id }, body: { ...body, ...(choices.length ? { choices } : {}) } })
      order.push(q.id)
    } else {
      const created = await call('post', '/api/applications/{id}/questions', {
        path: { id },
        body: { type: q.type, ...body, ...(choices.length ? { choices: choices.map((c) => c.label) } : {}) },
      })
      order.push(created.id)
    }
  }
  for (const c of before.committees) if (!committeeIds.includes(c.id)) await call('delete', '/api/applications/{id}/committees/{committeeId}', { path: { id, committeeId: c.id } })
  if (order.length) await call('put', '/api/applications/{id}/questions/order', { path: { id }, body: { question_ids: order } })
}
