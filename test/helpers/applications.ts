import { expect } from 'vitest'
import type { Runtime } from '../../src/runtime.js'
import type { Client } from './session.js'

export const DAY = 86_400_000
export const iso = (ms: number) => new Date(ms).toISOString()

/** An approved, public club that officer@quad.local runs directly (clubs 2..6 in the demo seed). */
export async function officerClub(rt: Runtime, offset = 0) {
  const rows = await rt.db
    .selectFrom('clubs')
    .where('id', 'in', [2, 3, 4, 5, 6])
    .where('status', '=', 'approved')
    .where('archived_at', 'is', null)
    .select(['id', 'code', 'name'])
    .orderBy('id')
    .execute()
  const club = rows[offset]
  if (!club) throw new Error('the demo seed has no approved club among 2..6')
  return club
}

/** A club nobody in the demo accounts manages (outside the umbrella 1..11). */
export async function foreignClub(rt: Runtime) {
  return rt.db
    .selectFrom('clubs')
    .where('id', '>', 20)
    .where('status', '=', 'approved')
    .where('archived_at', 'is', null)
    .select(['id', 'code', 'name'])
    .orderBy('id')
    .executeTakeFirstOrThrow()
}

/** Profiles are edited through the accounts module; tests give applicants a complete one directly. */
export async function completeProfiles(rt: Runtime, emails: string[], timeZone = 'America/New_York') {
  await rt.write((trx) =>
    trx
      .updateTable('users')
      .set({ graduation_year: 2028, school: 'Engineering', major: 'Computer Science', time_zone: timeZone })
      .where('email', 'in', emails)
      .execute(),
  )
}

export async function userId(rt: Runtime, email: string) {
  return (await rt.db.selectFrom('users').where('email', '=', email).select('id').executeTakeFirstOrThrow()).id
}

export interface Built {
  id: number
  committees: Record<string, number>
  questions: Record<string, { id: number; type: string; choices: { id: number; label: string }[] }>
}

/**
 * Builds an application through the officer API: two committees and seven questions (one info,
 * one committee-specific for each committee). Returns the ids by name.
 */
export async function buildApplication(officer: Client, code: string, body: Record<string, unknown>): Promise<Built> {
  let r = await officer.post(`/api/clubs/${code}/applications`, body)
  expect(r.statusCode, r.body).toBe(201)
  const id = r.json().id as number
  return fillApplication(officer, id)
}

export async function fillApplication(officer: Client, id: number): Promise<Built> {
  const committees: Record<string, number> = {}
  for (const name of ['Marketing', 'Events']) {
    const r = await officer.post(`/api/applications/${id}/committees`, { name, description: `The ${name} team` })
    expect(r.statusCode, r.body).toBe(201)
    committees[name] = r.json().id
  }
  const specs: [string, Record<string, unknown>][] = [
    ['why', { type: 'free_response', prompt: 'Why do you want to join?', word_limit: 50 }],
    ['year', { type: 'short_answer', prompt: 'Which year are you in?' }],
    ['time', { type: 'single_choice', prompt: 'Preferred interview time', choices: ['Morning', 'Evening'] }],
    ['skills', { type: 'multi_choice', prompt: 'Skills', choices: ['Design', 'Code', 'Write'], required: false }],
    ['info', { type: 'info', prompt: 'Interviews happen the week after the deadline.' }],
    ['pitch', { type: 'free_response', prompt: 'Pitch a campaign', word_limit: 200, committee_ids: [committees.Marketing] }],
    ['event', { type: 'free_response', prompt: 'Plan an event', word_limit: 100, committee_ids: [committees.Events] }],
  ]
  const questions: Built['questions'] = {}
  for (const [key, spec] of specs) {
    const r = await officer.post(`/api/applications/${id}/questions`, spec)
    expect(r.statusCode, r.body).toBe(201)
    questions[key] = r.json()
  }
  return { id, committees, questions }
}

/** Answers that pass validation for the given committee choice. */
export function goodAnswers(b: Built, committees: string[], words = 'I love this club') {
  const q = b.questions
  const answers: { question_id: number; text?: string; choice_ids?: number[] }[] = [
    { question_id: q.why!.id, text: words },
    { question_id: q.year!.id, text: 'Sophomore' },
    { question_id: q.time!.id, choice_ids: [q.time!.choices[0]!.id] },
    { question_id: q.skills!.id, choice_ids: [q.skills!.choices[1]!.id, q.skills!.choices[0]!.id] },
  ]
  if (committees.includes('Marketing')) answers.push({ question_id: q.pitch!.id, text: 'A campus-wide poster campaign' })
  if (committees.includes('Events')) answers.push({ question_id: q.event!.id, text: 'A spring concert on the lawn' })
  return { committees: committees.map((c) => b.committees[c]!), answers }
}
