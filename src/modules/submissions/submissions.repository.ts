import { sql } from 'kysely'
import { queryBuilder } from '../../db/builder.js'
import { jsonArrayFrom } from 'kysely/helpers/postgres'
import type { QuadDb } from '../../db/database.js'
import type { QuestionType, SubmissionStatus } from '../../db/types.js'
import type { Answer } from './validate.js'

/**
 * The rules of an application's form, the same for every applicant: its window, kind and
 * committee settings, its committees, and its questions with their committees and choices (one
 * statement over shared tables only, so it can be kept in memory and checked by versions).
 */
export async function formRules(db: QuadDb, applicationId: number) {
  const row = await db
    .selectFrom('club_applications as a')
    .leftJoin('application_cycles as cy', 'cy.id', 'a.cycle_id')
    .where('a.id', '=', applicationId)
    .select([
      'a.id', 'a.kind', 'a.external_url', 'a.active', 'a.starts_at', 'a.ends_at', 'a.max_committees',
      'cy.max_committees as cycle_max_committees', 'cy.require_complete_profile',
    ])
    .select((eb) => [
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
    ])
    .executeTakeFirst()
  if (!row) return undefined
  return {
    ...row,
    starts_at: new Date(row.starts_at).toISOString(),
    ends_at: new Date(row.ends_at).toISOString(),
    questions: row.questions as unknown as { id: number; type: QuestionType; required: boolean; word_limit: number | null; committee_ids: number[]; choice_ids: number[] }[],
    committee_ids: (row.committee_ids ?? []) as number[],
  }
}
export type FormRules = NonNullable<Awaited<ReturnType<typeof formRules>>>

/** The applicant's own later deadline, if an officer granted one. */
export async function extensionEnd(db: QuadDb, applicationId: number, userId: number): Promise<Date | null> {
  const r = await db.selectFrom('extensions').where('application_id', '=', applicationId).where('user_id', '=', userId).select('ends_at').executeTakeFirst()
  return r ? new Date(r.ends_at) : null
}

/** What the complete-profile rule looks at. */
export function profileOf(db: QuadDb, userId: number) {
  return db.selectFrom('users').where('id', '=', userId).select(['graduation_year', 'school', 'major']).executeTakeFirst()
}

/** Opens (or returns) the applicant's row; `created` tells a new draft from an existing one. */
export async function startSubmission(db: QuadDb, applicationId: number, userId: number) {
  return db
    .insertInto('submissions')
    .values({ application_id: applicationId, user_id: userId })
    .onConflict((oc) => oc.columns(['application_id', 'user_id']).doUpdateSet({ updated_at: sql`submissions.updated_at` }))
    .returning(['id', 'submitted_at', sql<boolean>`xmax = 0`.as('created')])
    .executeTakeFirstOrThrow()
}

/**
 * Autosave: the draft document written by one statement (its own transaction). Committees are
 * kept as they were when not given. Undefined when the application was already submitted.
 */
export async function saveDraft(db: QuadDb, v: { applicationId: number; userId: number; answers: readonly Answer[]; committees: readonly number[] | undefined }) {
  const answers = JSON.stringify(v.answers)
  const committees = v.committees === undefined ? null : JSON.stringify(v.committees)
  return db
    .insertInto('submissions')
    .values({ application_id: v.applicationId, user_id: v.userId, draft_answers: answers, draft_committees: committees })
    .onConflict((oc) =>
      oc
        .columns(['application_id', 'user_id'])
        .doUpdateSet({
          draft_answers: sql`excluded.draft_answers`,
          draft_committees: v.committees === undefined ? sql`submissions.draft_committees` : sql`excluded.draft_committees`,
          updated_at: sql`now()`,
        })
        .where('submissions.submitted_at', 'is', null),
    )
    .returning(['id', 'updated_at'])
    .executeTakeFirst()
}

/**
 * Submits in one statement (its own transaction): the row turns into a submission, its answers
 * and ranked committees become rows, the draft document is emptied. Undefined when it was already
 * submitted: the row lock makes a concurrent identical submit wait and then see the first one.
 */
export async function submit(db: QuadDb, v: { applicationId: number; userId: number; at: Date; digest: string; key: string; answers: readonly Answer[]; committees: readonly number[] }) {
  const ids = v.answers.map((a) => a.question_id)
  const texts = v.answers.map((a) => a.text)
  const choices = v.answers.map((a) => `{${a.choice_ids.join(',')}}`)
  const r = await sql<{ id: number; application_id: number; submitted_at: Date; content_digest: string; idempotency_key: string }>`
    with s as (
      insert into submissions (application_id, user_id, submitted_at, content_digest, idempotency_key)
      values (${v.applicationId}, ${v.userId}, ${v.at}, ${v.digest}, ${v.key})
      on conflict (application_id, user_id) do update
        set submitted_at = excluded.submitted_at, content_digest = excluded.content_digest, idempotency_key = excluded.idempotency_key,
            draft_answers = '[]'::jsonb, draft_committees = null, updated_at = now()
        where submissions.submitted_at is null
      returning id, application_id, submitted_at, content_digest, idempotency_key
    ), answers as (
      insert into responses (submission_id, question_id, text, choice_ids)
      select s.id, a.question_id, a.text, a.choice_ids::int[]
      from s, unnest(${ids}::int[], ${texts}::text[], ${choices}::text[]) as a(question_id, text, choice_ids)
    ), ranked as (
      insert into submission_committees (submission_id, committee_id, rank)
      select s.id, c.committee_id, c.rank from s, unnest(${[...v.committees]}::int[]) with ordinality as c(committee_id, rank)
    )
    select * from s`.execute(db)
  return r.rows[0]
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
      's.draft_answers', 's.draft_committees', 'a.results_release_at',
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
  // A draft's answers are its document; a submission's are rows.
  const draft = row.submitted_at === null
  return {
    ...row,
    committees: draft ? (row.draft_committees ?? []) : ((row.committees ?? []) as number[]),
    answers: draft ? (row.draft_answers as Answer[]) : (row.answers as unknown as Answer[]),
  }
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
/** The overlay's section: which applications the user started, and whether each is submitted. */
export const startedApplications = (userId: number) =>
  jsonArrayFrom(
    queryBuilder
      .selectFrom('submissions')
      .where('user_id', '=', userId)
      .select(['application_id', sql<'draft' | 'submitted'>`case when submitted_at is null then 'draft' else 'submitted' end`.as('state')])
      .orderBy('application_id'),
  )
