import { sql } from 'kysely'
import { jsonArrayFrom, jsonObjectFrom } from 'kysely/helpers/postgres'
import type { QuadDb } from '../../db/database.js'
import type { QuestionType, SubmissionStatus } from '../../db/types.js'
import type { Trx } from '../../db/write.js'
import type { Answer } from './validate.js'

/**
 * Everything a draft save or a submit checks, in one statement: the application's window and
 * rules, its committees and questions, this applicant's extension and (for the profile rule)
 * profile. Nothing else is read on the hot path.
 */
export async function loadForm(db: QuadDb, applicationId: number, userId: number) {
  const row = await db
    .selectFrom('club_applications as a')
    .innerJoin('clubs as c', 'c.id', 'a.club_id')
    .leftJoin('application_cycles as cy', 'cy.id', 'a.cycle_id')
    .where('a.id', '=', applicationId)
    .where('c.archived_at', 'is', null)
    .select([
      'a.id', 'a.name', 'a.kind', 'a.external_url', 'a.active', 'a.starts_at', 'a.ends_at', 'a.results_release_at', 'a.max_committees',
      'cy.max_committees as cycle_max_committees', 'cy.require_complete_profile',
    ])
    .select((eb) => [
      eb.selectFrom('extensions as e').where('e.application_id', '=', applicationId).where('e.user_id', '=', userId).select('e.ends_at').as('extension_ends_at'),
      eb.selectFrom('committees as cm').where('cm.application_id', '=', applicationId).select(sql<number[]>`coalesce(array_agg(cm.id), '{}')`.as('ids')).as('committee_ids'),
      jsonArrayFrom(
        eb
          .selectFrom('questions as q')
          .where('q.application_id', '=', applicationId)
          .select(['q.id', 'q.type', 'q.required', 'q.word_limit'])
          .select((e) => [
            e.selectFrom('question_committees as qc').whereRef('qc.question_id', '=', 'q.id').select(sql<number[]>`coalesce(array_agg(qc.committee_id), '{}')`.as('x')).as('committee_ids'),
            e.selectFrom('question_choices as ch').whereRef('ch.question_id', '=', 'q.id').select(sql<number[]>`coalesce(array_agg(ch.id), '{}')`.as('x')).as('choice_ids'),
          ]),
      ).as('questions'),
      jsonObjectFrom(eb.selectFrom('users as u').where('u.id', '=', userId).select(['u.graduation_year', 'u.school', 'u.major'])).as('profile'),
    ])
    .executeTakeFirst()
  if (!row) return undefined
  return {
    ...row,
    questions: row.questions as unknown as { id: number; type: QuestionType; required: boolean; word_limit: number | null; committee_ids: number[]; choice_ids: number[] }[],
    committee_ids: (row.committee_ids ?? []) as number[],
  }
}
export type LoadedForm = NonNullable<Awaited<ReturnType<typeof loadForm>>>

/** Opens (or returns) the applicant's row; `created` tells a new draft from an existing one. */
export async function startSubmission(trx: Trx, applicationId: number, userId: number) {
  return trx
    .insertInto('submissions')
    .values({ application_id: applicationId, user_id: userId })
    .onConflict((oc) => oc.columns(['application_id', 'user_id']).doUpdateSet({ updated_at: sql`submissions.updated_at` }))
    .returning(['id', 'submitted_at', sql<boolean>`xmax = 0`.as('created')])
    .executeTakeFirstOrThrow()
}

/** Creates or touches the draft; undefined when the application was already submitted. */
export async function upsertDraft(trx: Trx, applicationId: number, userId: number) {
  return trx
    .insertInto('submissions')
    .values({ application_id: applicationId, user_id: userId })
    .onConflict((oc) => oc.columns(['application_id', 'user_id']).doUpdateSet({ updated_at: sql`now()` }).where('submissions.submitted_at', 'is', null))
    .returning(['id', 'updated_at'])
    .executeTakeFirst()
}

/**
 * Turns the draft (or nothing) into a submission. Undefined when it was already submitted: the
 * row lock makes a concurrent identical submit wait here and then see the first one's result.
 */
export async function markSubmitted(trx: Trx, v: { applicationId: number; userId: number; at: Date; digest: string; key: string }) {
  return trx
    .insertInto('submissions')
    .values({ application_id: v.applicationId, user_id: v.userId, submitted_at: v.at, content_digest: v.digest, idempotency_key: v.key })
    .onConflict((oc) =>
      oc
        .columns(['application_id', 'user_id'])
        .doUpdateSet({ submitted_at: v.at, content_digest: v.digest, idempotency_key: v.key, updated_at: sql`now()` })
        .where('submissions.submitted_at', 'is', null),
    )
    .returning(['id', 'application_id', 'submitted_at', 'content_digest', 'idempotency_key'])
    .executeTakeFirst()
}

/** Stores exactly these answers: others are removed, these inserted or replaced (one statement). */
export async function replaceResponses(trx: Trx, submissionId: number, answers: readonly Answer[]) {
  const ids = answers.map((a) => a.question_id)
  const choices = answers.map((a) => `{${a.choice_ids.join(',')}}`)
  await sql`
    with gone as (
      delete from responses where submission_id = ${submissionId} and question_id <> all(${ids}::int[])
    )
    insert into responses (submission_id, question_id, text, choice_ids)
    select ${submissionId}, v.question_id, v.text, v.choice_ids::int[]
    from unnest(${ids}::int[], ${answers.map((a) => a.text)}::text[], ${choices}::text[]) as v(question_id, text, choice_ids)
    on conflict (submission_id, question_id) do update
      set text = excluded.text, choice_ids = excluded.choice_ids, updated_at = now()
      where responses.text is distinct from excluded.text or responses.choice_ids is distinct from excluded.choice_ids`.execute(trx)
}

/** Ranked committee choices: rank = position in the list. */
export async function replaceCommittees(trx: Trx, submissionId: number, committeeIds: readonly number[]) {
  await trx.deleteFrom('submission_committees').where('submission_id', '=', submissionId).execute()
  if (committeeIds.length) {
    await trx
      .insertInto('submission_committees')
      .values(committeeIds.map((committee_id, i) => ({ submission_id: submissionId, committee_id, rank: i + 1 })))
      .execute()
  }
}

export async function findSubmission(db: QuadDb, applicationId: number, userId: number) {
  return db
    .selectFrom('submissions')
    .where('application_id', '=', applicationId)
    .where('user_id', '=', userId)
    .select(['id', 'application_id', 'submitted_at', 'content_digest', 'idempotency_key'])
    .executeTakeFirst()
}

export async function findByIdempotencyKey(db: QuadDb, userId: number, key: string) {
  return db
    .selectFrom('submissions')
    .where('user_id', '=', userId)
    .where('idempotency_key', '=', key)
    .select(['id', 'application_id', 'submitted_at', 'content_digest', 'idempotency_key'])
    .executeTakeFirst()
}

/** The applicant's own row with answers and committees (one statement). */
export async function ownSubmission(db: QuadDb, applicationId: number, userId: number) {
  const row = await db
    .selectFrom('submissions as s')
    .innerJoin('club_applications as a', 'a.id', 's.application_id')
    .where('s.application_id', '=', applicationId)
    .where('s.user_id', '=', userId)
    .select([
      's.id', 's.submitted_at', 's.content_digest', 's.idempotency_key', 's.status', 's.reason', 's.created_at', 's.updated_at',
      'a.results_release_at',
    ])
    .select((eb) => [
      eb
        .selectFrom('submission_committees as sc')
        .whereRef('sc.submission_id', '=', 's.id')
        .select(sql<number[]>`coalesce(array_agg(sc.committee_id order by sc.rank), '{}')`.as('x'))
        .as('committees'),
      jsonArrayFrom(eb.selectFrom('responses as r').whereRef('r.submission_id', '=', 's.id').select(['r.question_id', 'r.text', 'r.choice_ids']).orderBy('r.question_id')).as('answers'),
    ])
    .executeTakeFirst()
  if (!row) return undefined
  return { ...row, committees: (row.committees ?? []) as number[], answers: row.answers as unknown as Answer[] }
}

/** Every application the user started, with what the applicant may see of it, in one statement. */
export async function myApplications(db: QuadDb, userId: number) {
  const r = await db
    .selectNoFrom((eb) => [
      eb.selectFrom('users').where('id', '=', userId).select('time_zone').as('time_zone'),
      jsonArrayFrom(
        eb
          .selectFrom('submissions as s')
          .innerJoin('club_applications as a', 'a.id', 's.application_id')
          .innerJoin('clubs as c', 'c.id', 'a.club_id')
          .leftJoin('application_cycles as cy', 'cy.id', 'a.cycle_id')
          .leftJoin('extensions as e', (j) => j.onRef('e.application_id', '=', 's.application_id').onRef('e.user_id', '=', 's.user_id'))
          .where('s.user_id', '=', userId)
          .select([
            's.id', 's.application_id', 's.submitted_at', 's.content_digest', 's.idempotency_key', 's.status', 's.reason', 's.created_at', 's.updated_at',
            'a.name', 'a.kind', 'a.active', 'a.starts_at', 'a.ends_at', 'a.results_release_at', 'c.code as club_code', 'c.name as club_name',
            'a.cycle_id', 'cy.name as cycle_name', 'e.ends_at as extension_ends_at',
          ])
          .orderBy('a.ends_at', 'desc')
          .orderBy('s.id', 'desc'),
      ).as('applications'),
    ])
    .executeTakeFirstOrThrow()
  return {
    time_zone: r.time_zone ?? 'UTC',
    applications: r.applications as unknown as {
      id: number
      application_id: number
      submitted_at: string | null
      content_digest: string | null
      idempotency_key: string | null
      status: SubmissionStatus
      reason: string
      created_at: string
      updated_at: string
      name: string
      kind: 'internal' | 'external'
      active: boolean
      starts_at: string
      ends_at: string
      results_release_at: string
      club_code: string
      club_name: string
      cycle_id: number | null
      cycle_name: string | null
      extension_ends_at: string | null
    }[],
  }
}

/** The applications the user started, each as draft or submitted (for the per-user overlay). */
export function startedApplications(db: QuadDb, userId: number) {
  return db
    .selectFrom('submissions')
    .where('user_id', '=', userId)
    .select(['application_id', sql<'draft' | 'submitted'>`case when submitted_at is null then 'draft' else 'submitted' end`.as('state')])
    .orderBy('application_id')
    .execute()
}
