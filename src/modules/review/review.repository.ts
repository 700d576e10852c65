import { type SelectQueryBuilder, sql } from 'kysely'
import { jsonArrayFrom } from 'kysely/helpers/postgres'
import type { QuadDb } from '../../db/database.js'
import type { DB, SubmissionStatus } from '../../db/types.js'
import type { Trx } from '../../db/write.js'

export interface ReviewFilters {
  committee?: number
  status?: SubmissionStatus
}

type SubmissionQuery<O> = SelectQueryBuilder<DB & { s: DB['submissions']; u: DB['users'] }, 's' | 'u', O>

/** Submitted (never draft) submissions of one application, with the filters applied. */
function submitted(db: QuadDb, applicationId: number, f: ReviewFilters) {
  return db
    .selectFrom('submissions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .where('s.application_id', '=', applicationId)
    .where('s.submitted_at', 'is not', null)
    .$if(f.status !== undefined, (q) => q.where('s.status', '=', f.status!))
    .$if(f.committee !== undefined, (q) =>
      q.where((eb) => eb.exists(eb.selectFrom('submission_committees as fc').whereRef('fc.submission_id', '=', 's.id').where('fc.committee_id', '=', f.committee!))),
    )
}

function withDetails<O>(q: SubmissionQuery<O>) {
  return q
    .select([
      's.id', 's.status', 's.reason', 's.submitted_at', 's.content_digest', 's.notified_at',
      'u.id as user_id', 'u.name', 'u.email', 'u.graduation_year', 'u.school', 'u.major',
    ])
    .select((eb) => [
      jsonArrayFrom(eb.selectFrom('submission_committees as sc').whereRef('sc.submission_id', '=', 's.id').select(['sc.committee_id', 'sc.rank']).orderBy('sc.rank')).as('committees'),
      jsonArrayFrom(eb.selectFrom('responses as r').whereRef('r.submission_id', '=', 's.id').select(['r.question_id', 'r.text', 'r.choice_ids']).orderBy('r.question_id')).as('responses'),
      jsonArrayFrom(
        eb
          .selectFrom('review_notes as n')
          .leftJoin('users as au', 'au.id', 'n.author_id')
          .whereRef('n.submission_id', '=', 's.id')
          .select(['n.id', 'n.author_id', 'au.name as author_name', 'n.body', 'n.score', 'n.created_at'])
          .orderBy('n.created_at')
          .orderBy('n.id'),
      ).as('notes'),
      eb.selectFrom('review_notes as ns').whereRef('ns.submission_id', '=', 's.id').select(sql<number | null>`round(avg(ns.score), 2)`.as('a')).as('average_score'),
    ])
}

export interface ReviewRow {
  id: number
  status: SubmissionStatus
  reason: string
  submitted_at: Date
  content_digest: string
  notified_at: Date | null
  user_id: number
  name: string
  email: string
  graduation_year: number | null
  school: string | null
  major: string | null
  committees: { committee_id: number; rank: number }[]
  responses: { question_id: number; text: string; choice_ids: number[] }[]
  notes: { id: number; author_id: number | null; author_name: string | null; body: string; score: number | null; created_at: string }[]
  average_score: number | null
  total?: number
}

/** One page of submissions with every answer, committee and note: a single statement. */
export async function reviewPage(db: QuadDb, applicationId: number, f: ReviewFilters, limit: number, offset: number) {
  const rows = await withDetails(submitted(db, applicationId, f))
    .select(sql<number>`count(*) over ()`.as('total'))
    .orderBy('s.submitted_at')
    .orderBy('s.id')
    .limit(limit)
    .offset(offset)
    .execute()
  return rows as unknown as ReviewRow[]
}

export async function reviewOne(db: QuadDb, submissionId: number) {
  const row = await withDetails(
    db.selectFrom('submissions as s').innerJoin('users as u', 'u.id', 's.user_id').where('s.id', '=', submissionId).where('s.submitted_at', 'is not', null),
  )
    .select('s.application_id')
    .executeTakeFirst()
  return row as unknown as (ReviewRow & { application_id: number }) | undefined
}

/** A submitted (never draft) submission with its application's club, unless that club is archived. */
export async function submittedSubmission(db: QuadDb, submissionId: number) {
  return db
    .selectFrom('submissions as s')
    .innerJoin('club_applications as a', 'a.id', 's.application_id')
    .innerJoin('clubs as c', 'c.id', 'a.club_id')
    .where('s.id', '=', submissionId)
    .where('s.submitted_at', 'is not', null)
    .where('c.archived_at', 'is', null)
    .select(['s.id', 's.application_id', 'a.club_id'])
    .executeTakeFirst()
}

/** Sets the status of exactly these submitted submissions; returns the ids changed. */
export async function setStatus(trx: Trx, applicationId: number, ids: number[], status: SubmissionStatus, reason: string) {
  const rows = await trx
    .updateTable('submissions')
    .set({ status, reason, updated_at: sql`now()` })
    .where('application_id', '=', applicationId)
    .where('id', 'in', ids)
    .where('submitted_at', 'is not', null)
    .returning('id')
    .execute()
  return rows.map((r) => r.id)
}

export async function insertNote(trx: Trx, submissionId: number, authorId: number, body: string, score: number | null) {
  return trx
    .insertInto('review_notes')
    .values({ submission_id: submissionId, author_id: authorId, body, score })
    .returning(['id', 'author_id', 'body', 'score', 'created_at'])
    .executeTakeFirstOrThrow()
}

// ---------- export ----------

export interface ExportRow {
  id: number
  submitted_at: Date
  status: SubmissionStatus
  reason: string
  name: string
  email: string
  graduation_year: number | null
  school: string | null
  major: string | null
  committees: string | null
  average_score: number | null
  answers: Record<string, [string, number[]]> | null
}

function exportQuery(db: QuadDb, applicationId: number, f: ReviewFilters) {
  return submitted(db, applicationId, f)
    .select([
      's.id', 's.submitted_at', 's.status', 's.reason', 'u.name', 'u.email', 'u.graduation_year', 'u.school', 'u.major',
    ])
    .select((eb) => [
      eb
        .selectFrom('submission_committees as sc')
        .innerJoin('committees as c', 'c.id', 'sc.committee_id')
        .whereRef('sc.submission_id', '=', 's.id')
        .select(sql<string>`string_agg(c.name, '; ' order by sc.rank)`.as('x'))
        .as('committees'),
      eb.selectFrom('review_notes as ns').whereRef('ns.submission_id', '=', 's.id').select(sql<number | null>`round(avg(ns.score), 2)`.as('a')).as('average_score'),
      eb
        .selectFrom('responses as r')
        .whereRef('r.submission_id', '=', 's.id')
        .select(sql<Record<string, [string, number[]]>>`jsonb_object_agg(r.question_id, jsonb_build_array(r.text, r.choice_ids))`.as('x'))
        .as('answers'),
    ])
    .orderBy('s.id')
}

/** Streams export rows through a server-side cursor: memory stays flat whatever the count. */
export async function* streamExport(db: QuadDb, applicationId: number, f: ReviewFilters, chunk = 200): AsyncGenerator<ExportRow> {
  for await (const row of exportQuery(db, applicationId, f).stream(chunk)) yield row as unknown as ExportRow
}

/**
 * The same rows in keyset pages, each page its own short query. Used on the embedded database,
 * whose single connection must not stay pinned while a slow client downloads.
 */
export async function* pagedExport(db: QuadDb, applicationId: number, f: ReviewFilters, page = 500): AsyncGenerator<ExportRow> {
  let after = 0
  for (;;) {
    const rows = (await exportQuery(db, applicationId, f).where('s.id', '>', after).limit(page).execute()) as unknown as ExportRow[]
    for (const r of rows) yield r
    if (rows.length < page) return
    after = rows[rows.length - 1]!.id
  }
}
