import type { QuadDb } from '../../db/database.js'
import { isUniqueViolation } from '../../db/pg-errors.js'
import { fail, notFound } from '../../errors.js'
import type { ManagedApplication } from './applications.access.js'
import * as repo from './applications.repository.js'
import type { CreateQuestionBody, UpdateQuestionBody } from './applications.schema.js'
import { type ApplicationDeps, publicQuestions } from './applications.service.js'
import { checkQuestionShape, checkWordCap, committeesFrozen } from './rules.js'

const frozen = () => fail('COMMITTEES_FROZEN', 'Committees are frozen once the application has opened (a rule of its cycle)')

async function withUniqueName<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (err) {
    if (isUniqueViolation(err)) throw fail('COMMITTEE_EXISTS', 'This application already has a committee with that name')
    throw err
  }
}

// ---------- committees ----------

export async function createCommittee(deps: Pick<ApplicationDeps, 'write'>, app: ManagedApplication, body: { name: string; description?: string; position?: number }, now: Date) {
  if (committeesFrozen(app, now)) throw frozen()
  return withUniqueName(() => deps.write((trx) => repo.insertCommittee(trx, app.id, { ...body, name: body.name.trim() })))
}

/*
 * A committee or question id is first checked to belong to the application in the path: any
 * other id answers 404 before a rule is looked at, so no answer says anything about another
 * club's application.
 */

export async function updateCommittee(
  deps: Pick<ApplicationDeps, 'db' | 'write'>,
  app: ManagedApplication,
  committeeId: number,
  body: { name?: string; description?: string; position?: number },
  now: Date,
) {
  if (committeesFrozen(app, now)) throw (await repo.hasCommittee(deps.db, app.id, committeeId)) ? frozen() : notFound('Committee')
  const row = await withUniqueName(() => deps.write((trx) => repo.updateCommittee(trx, app.id, committeeId, { ...body, name: body.name?.trim() })))
  if (!row) throw notFound('Committee')
  return row
}

export async function deleteCommittee(deps: Pick<ApplicationDeps, 'write'>, app: ManagedApplication, committeeId: number, now: Date) {
  await deps.write(async (trx) => {
    const use = await repo.committeeUse(trx, app.id, committeeId)
    if (!use) throw notFound('Committee')
    if (committeesFrozen(app, now)) throw frozen()
    if (use.chosen) throw fail('COMMITTEE_CHOSEN', 'Applicants have chosen this committee; it cannot be removed')
    await repo.deleteCommittee(trx, app.id, committeeId)
  })
  return { ok: true }
}

// ---------- questions ----------

function checkCommitteeIds(ids: readonly number[], known: Set<number>) {
  const unknown = ids.filter((id) => !known.has(id))
  if (unknown.length) {
    throw fail('UNKNOWN_COMMITTEE', 'A committee does not belong to this application', [
      { field: 'committee_ids', code: 'UNKNOWN', message: `Not a committee of this application: ${unknown.join(', ')}` },
    ])
  }
}

async function questionView(db: QuadDb, appId: number, questionId: number) {
  const { questions } = await repo.applicationStructure(db, appId)
  const q = questions.find((x) => x.id === questionId)
  if (!q) throw notFound('Question')
  return { ...q, choices: q.choices.map(({ id, label }) => ({ id, label })) }
}

export async function createQuestion(deps: ApplicationDeps, app: ManagedApplication, body: CreateQuestionBody) {
  const appId = app.id
  const structure = await repo.applicationStructure(deps.db, appId)
  const committeeIds = body.committee_ids ?? []
  checkCommitteeIds(committeeIds, new Set(structure.committees.map((c) => c.id)))
  const wordLimit = body.word_limit ?? null
  const labels = body.choices?.map((c) => c.trim()) ?? null
  checkQuestionShape(body.type, wordLimit, labels)
  checkWordCap(
    [...structure.questions, { type: body.type, word_limit: wordLimit, committee_ids: committeeIds }],
    app.committee_word_cap,
    new Map(structure.committees.map((c) => [c.id, c.name])),
  )
  const { id } = await deps.write(async (trx) => {
    const q = await repo.insertQuestion(trx, appId, {
      type: body.type,
      prompt: body.prompt,
      word_limit: wordLimit,
      required: body.type === 'info' ? false : (body.required ?? true),
      position: body.position,
    })
    await repo.setQuestionCommittees(trx, q.id, committeeIds)
    if (labels) await repo.insertChoices(trx, q.id, labels)
    return q
  })
  return questionView(deps.db, appId, id)
}

export async function updateQuestion(deps: ApplicationDeps, app: ManagedApplication, questionId: number, body: UpdateQuestionBody) {
  const structure = await repo.applicationStructure(deps.db, app.id)
  const current = structure.questions.find((q) => q.id === questionId)
  if (!current) throw notFound('Question')
  const choices = body.choices?.map((c) => ({ id: c.id, label: c.label.trim() }))
  const own = new Set(current.choices.map((c) => c.id))
  const foreign = choices?.filter((c) => c.id !== undefined && !own.has(c.id)) ?? []
  if (foreign.length) {
    throw fail('UNKNOWN_CHOICE', 'A choice does not belong to this question', [
      { field: 'choices', code: 'UNKNOWN', message: `Not a choice of this question: ${foreign.map((c) => c.id).join(', ')}` },
    ])
  }
  const committeeIds = body.committee_ids ?? current.committee_ids
  checkCommitteeIds(committeeIds, new Set(structure.committees.map((c) => c.id)))
  const wordLimit = body.word_limit !== undefined ? body.word_limit : current.word_limit
  checkQuestionShape(current.type, wordLimit, choices ? choices.map((c) => c.label) : current.choices.map((c) => c.label))
  checkWordCap(
    structure.questions.map((q) => (q.id === questionId ? { ...q, word_limit: wordLimit, committee_ids: committeeIds } : q)),
    app.committee_word_cap,
    new Map(structure.committees.map((c) => [c.id, c.name])),
  )
  if (choices) {
    const kept = new Set(choices.map((c) => c.id))
    const removed = current.choices.filter((c) => !kept.has(c.id)).map((c) => c.id)
    const used = await repo.choicesInUse(deps.db, questionId, removed)
    if (used.length) throw fail('CHOICE_IN_USE', 'Applicants have picked a choice you are removing; keep it or rename it instead')
  }
  await deps.write(async (trx) => {
    await repo.updateQuestion(trx, app.id, questionId, {
      ...(body.prompt !== undefined ? { prompt: body.prompt } : {}),
      ...(body.word_limit !== undefined ? { word_limit: body.word_limit } : {}),
      ...(body.required !== undefined && current.type !== 'info' ? { required: body.required } : {}),
      ...(body.position !== undefined ? { position: body.position } : {}),
    })
    if (body.committee_ids) await repo.setQuestionCommittees(trx, questionId, committeeIds)
    if (choices) await repo.replaceChoices(trx, questionId, choices)
  }).catch((err) => {
    if (isUniqueViolation(err)) throw fail('DUPLICATE_CHOICE', 'Two choices would have the same label')
    throw err
  })
  return questionView(deps.db, app.id, questionId)
}

export async function deleteQuestion(deps: Pick<ApplicationDeps, 'write'>, app: ManagedApplication, questionId: number) {
  await deps.write(async (trx) => {
    const use = await repo.questionUse(trx, app.id, questionId)
    if (!use) throw notFound('Question')
    if (use.answered) throw fail('QUESTION_HAS_RESPONSES', 'Submitted applications answer this question; it cannot be removed')
    await repo.deleteQuestion(trx, app.id, questionId)
  })
  return { ok: true }
}

export async function reorderQuestions(deps: ApplicationDeps, app: ManagedApplication, ids: number[]) {
  const { questions } = await repo.applicationStructure(deps.db, app.id)
  const all = new Set(questions.map((q) => q.id))
  if (ids.length !== all.size || ids.some((id) => !all.has(id))) {
    throw fail('ORDER_MISMATCH', 'Give every question of the application exactly once', [
      { field: 'question_ids', code: 'MISMATCH', message: `Expected the ${all.size} question ids of this application` },
    ])
  }
  await deps.write((trx) => repo.reorderQuestions(trx, app.id, ids))
  const after = await repo.applicationStructure(deps.db, app.id)
  return { questions: publicQuestions(after.questions) }
}
