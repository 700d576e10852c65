import { type Insertable, sql, type Updateable } from 'kysely'
import { jsonArrayFrom } from 'kysely/helpers/postgres'
import type { QuadDb } from '../../db/database.js'
import { isOpenApplication } from '../../db/rules.js'
import type { ClubApplicationsTable, QuestionType } from '../../db/types.js'
import type { Trx } from '../../db/write.js'

/** An application with its club and its cycle's rules (null columns when standalone). */
export async function findApplication(db: QuadDb | Trx, id: number) {
  return db
    .selectFrom('club_applications as a')
    .innerJoin('clubs as c', 'c.id', 'a.club_id')
    .leftJoin('application_cycles as cy', 'cy.id', 'a.cycle_id')
    .where('a.id', '=', id)
    .where('c.archived_at', 'is', null)
    .selectAll('a')
    .select([
      'c.code as club_code',
      'c.name as club_name',
      'cy.name as cycle_name',
      'cy.starts_at as cycle_starts_at',
      'cy.ends_at as cycle_ends_at',
      'cy.results_release_at as cycle_results_release_at',
      'cy.freeze_committees',
      'cy.committee_word_cap',
      'cy.max_committees as cycle_max_committees',
      'cy.require_complete_profile',
    ])
    .executeTakeFirst()
}

export interface StructureQuestion {
  id: number
  type: QuestionType
  prompt: string
  word_limit: number | null
  required: boolean
  position: number
  committee_ids: number[]
  choices: { id: number; label: string; position: number }[]
}
export interface StructureCommittee {
  id: number
  name: string
  description: string
  position: number
}

/** Committees and ordered questions (with choices and committee links) in one statement. */
export async function applicationStructure(db: QuadDb | Trx, id: number) {
  const r = await db
    .selectNoFrom((eb) => [
      jsonArrayFrom(
        eb.selectFrom('committees').where('application_id', '=', id).select(['id', 'name', 'description', 'position']).orderBy('position').orderBy('id'),
      ).as('committees'),
      jsonArrayFrom(
        eb
          .selectFrom('questions as q')
          .where('q.application_id', '=', id)
          .select(['q.id', 'q.type', 'q.prompt', 'q.word_limit', 'q.required', 'q.position'])
          .select((e) => [
            e
              .selectFrom('question_committees as qc')
              .whereRef('qc.question_id', '=', 'q.id')
              .select(sql<number[]>`coalesce(array_agg(qc.committee_id order by qc.committee_id), '{}')`.as('ids'))
              .as('committee_ids'),
            jsonArrayFrom(
              e.selectFrom('question_choices as ch').whereRef('ch.question_id', '=', 'q.id').select(['ch.id', 'ch.label', 'ch.position']).orderBy('ch.position').orderBy('ch.id'),
            ).as('choices'),
          ])
          .orderBy('q.position')
          .orderBy('q.id'),
      ).as('questions'),
    ])
    .executeTakeFirstOrThrow()
  return { committees: r.committees as StructureCommittee[], questions: r.questions as unknown as StructureQuestion[] }
}

/** Draft and submission counts of one application. */
export async function submissionCounts(db: QuadDb, applicationId: number) {
  const r = await db
    .selectFrom('submissions')
    .where('application_id', '=', applicationId)
    .select((eb) => [
      eb.fn.countAll<number>().filterWhere('submitted_at', 'is', null).as('drafts'),
      eb.fn.countAll<number>().filterWhere('submitted_at', 'is not', null).as('submissions'),
    ])
    .executeTakeFirstOrThrow()
  return { drafts: Number(r.drafts), submissions: Number(r.submissions) }
}

export async function clubApplications(db: QuadDb, clubId: number) {
  return db
    .selectFrom('club_applications as a')
    .leftJoin('application_cycles as cy', 'cy.id', 'a.cycle_id')
    .where('a.club_id', '=', clubId)
    .select(['a.id', 'a.name', 'a.kind', 'a.active', 'a.cycle_id', 'cy.name as cycle_name', 'a.starts_at', 'a.ends_at', 'a.results_release_at'])
    .select((eb) => [
      eb.selectFrom('submissions as s').whereRef('s.application_id', '=', 'a.id').where('s.submitted_at', 'is', null).select((e) => e.fn.countAll<number>().as('n')).as('drafts'),
      eb.selectFrom('submissions as s').whereRef('s.application_id', '=', 'a.id').where('s.submitted_at', 'is not', null).select((e) => e.fn.countAll<number>().as('n')).as('submissions'),
    ])
    .orderBy('a.ends_at', 'desc')
    .orderBy('a.id', 'desc')
    .execute()
}

export async function findCycle(db: QuadDb | Trx, id: number) {
  return db.selectFrom('application_cycles').where('id', '=', id).selectAll().executeTakeFirst()
}

/**
 * The cycle an application is duplicated into by default: the one taking applications now (the
 * latest to open, if several), otherwise the next one to open.
 */
export async function currentCycle(db: QuadDb, now: Date) {
  return db
    .selectFrom('application_cycles')
    .where('ends_at', '>', now)
    .selectAll()
    .orderBy(sql`starts_at <= ${now}`, 'desc')
    .orderBy(sql`case when starts_at <= ${now} then -extract(epoch from starts_at) else extract(epoch from starts_at) end`)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst()
}

/** The columns of a new application, and of a change to one. */
export type NewApplication = Insertable<ClubApplicationsTable>
export type ApplicationPatch = Updateable<ClubApplicationsTable>

export async function insertApplication(trx: Trx, values: NewApplication) {
  return trx.insertInto('club_applications').values(values).returning('id').executeTakeFirstOrThrow()
}

export async function updateApplication(trx: Trx, id: number, patch: ApplicationPatch) {
  await trx
    .updateTable('club_applications')
    .set({ ...patch, updated_at: sql`now()` })
    .where('id', '=', id)
    .execute()
}

/** Deletes an application nobody has started; false when submissions or drafts exist. */
export async function deleteUnusedApplication(trx: Trx, id: number): Promise<boolean> {
  const r = await trx
    .deleteFrom('club_applications')
    .where('id', '=', id)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('submissions').where('application_id', '=', id).select(sql`1`.as('x')))))
    .executeTakeFirst()
  return Number(r.numDeletedRows) > 0
}

// ---------- committees ----------

export async function insertCommittee(trx: Trx, applicationId: number, c: { name: string; description?: string; position?: number }) {
  return trx
    .insertInto('committees')
    .values({
      application_id: applicationId,
      name: c.name,
      description: c.description ?? '',
      position:
        c.position ??
        sql<number>`(select coalesce(max(position) + 1, 0) from committees where application_id = ${applicationId})`,
    })
    .returning(['id', 'name', 'description', 'position'])
    .executeTakeFirstOrThrow()
}

export async function updateCommittee(trx: Trx, applicationId: number, id: number, c: { name?: string; description?: string; position?: number }) {
  return trx
    .updateTable('committees')
    .set(c)
    .where('id', '=', id)
    .where('application_id', '=', applicationId)
    .returning(['id', 'name', 'description', 'position'])
    .executeTakeFirst()
}

export async function hasCommittee(db: QuadDb | Trx, applicationId: number, id: number): Promise<boolean> {
  const r = await db.selectFrom('committees').where('id', '=', id).where('application_id', '=', applicationId).select('id').executeTakeFirst()
  return r !== undefined
}

/**
 * A committee of this application (undefined for any other id, so another club's committees are
 * never probed), and whether an applicant picked it in a submission or a draft (deleting it
 * would rewrite their choices).
 */
export async function committeeUse(trx: Trx, applicationId: number, id: number): Promise<{ chosen: boolean } | undefined> {
  const r = await sql<{ chosen: boolean }>`
    select exists (select 1 from submission_committees sc where sc.committee_id = c.id)
        or exists (
          select 1 from submissions s
          where s.application_id = c.application_id and s.submitted_at is null and s.draft_committees @> ${JSON.stringify([id])}::jsonb
        ) as chosen
    from committees c
    where c.id = ${id} and c.application_id = ${applicationId}`.execute(trx)
  return r.rows[0]
}

export async function deleteCommittee(trx: Trx, applicationId: number, id: number): Promise<void> {
  await trx.deleteFrom('committees').where('id', '=', id).where('application_id', '=', applicationId).execute()
}

// ---------- questions ----------

export async function insertQuestion(
  trx: Trx,
  applicationId: number,
  q: { type: QuestionType; prompt: string; word_limit: number | null; required: boolean; position?: number },
) {
  return trx
    .insertInto('questions')
    .values({
      application_id: applicationId,
      type: q.type,
      prompt: q.prompt,
      word_limit: q.word_limit,
      required: q.required,
      position: q.position ?? sql<number>`(select coalesce(max(position) + 1, 0) from questions where application_id = ${applicationId})`,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
}

export async function updateQuestion(
  trx: Trx,
  applicationId: number,
  id: number,
  patch: { prompt?: string; word_limit?: number | null; required?: boolean; position?: number },
) {
  if (Object.keys(patch).length === 0) return
  await trx.updateTable('questions').set(patch).where('id', '=', id).where('application_id', '=', applicationId).execute()
}

export async function setQuestionCommittees(trx: Trx, questionId: number, committeeIds: number[]) {
  await trx.deleteFrom('question_committees').where('question_id', '=', questionId).execute()
  if (committeeIds.length) {
    await trx
      .insertInto('question_committees')
      .values(committeeIds.map((committee_id) => ({ question_id: questionId, committee_id })))
      .execute()
  }
}

export async function insertChoices(trx: Trx, questionId: number, labels: string[], startAt = 0) {
  if (!labels.length) return
  await trx
    .insertInto('question_choices')
    .values(labels.map((label, i) => ({ question_id: questionId, label, position: startAt + i })))
    .execute()
}

/** Replaces a question's choices: kept ids are relabelled and reordered, others removed, new ones added. */
export async function replaceChoices(trx: Trx, questionId: number, choices: { id?: number; label: string }[]) {
  const keep = choices.filter((c) => c.id !== undefined) as { id: number; label: string }[]
  await trx
    .deleteFrom('question_choices')
    .where('question_id', '=', questionId)
    .$if(keep.length > 0, (q) => q.where('id', 'not in', keep.map((c) => c.id)))
    .execute()
  // Park kept labels first so a swap of two labels never trips the (question_id, label) key.
  if (keep.length) {
    await sql`update question_choices c set label = '~' || c.id::text where c.question_id = ${questionId}`.execute(trx)
    await sql`
      update question_choices c set label = v.label, position = v.position
      from unnest(${keep.map((c) => c.id)}::int[], ${keep.map((c) => c.label)}::text[], ${keep.map((c) => choices.indexOf(c))}::int[]) as v(id, label, position)
      where c.id = v.id and c.question_id = ${questionId}`.execute(trx)
  }
  const fresh = choices.map((c, position) => ({ ...c, position })).filter((c) => c.id === undefined)
  if (fresh.length) {
    await trx
      .insertInto('question_choices')
      .values(fresh.map((c) => ({ question_id: questionId, label: c.label, position: c.position })))
      .execute()
  }
}

/** Which of these choice ids some answer has picked: a submission's rows, or a draft's document. */
export async function choicesInUse(db: QuadDb | Trx, questionId: number, choiceIds: number[]): Promise<number[]> {
  if (!choiceIds.length) return []
  const r = await sql<{ id: number }>`
    select distinct unnest(r.choice_ids) as id from responses r
    where r.question_id = ${questionId} and r.choice_ids && ${choiceIds}::int[]
    union
    select distinct (c.value)::int from submissions s
      cross join lateral jsonb_array_elements(s.draft_answers) a
      cross join lateral jsonb_array_elements_text(a.value->'choice_ids') c
    where s.submitted_at is null and s.application_id = (select q.application_id from questions q where q.id = ${questionId})
      and (a.value->>'question_id')::int = ${questionId}`.execute(db)
  return r.rows.map((x) => x.id).filter((id) => choiceIds.includes(id))
}

/** A question of this application (undefined for any other id), and whether a submitted application answers it. */
export async function questionUse(trx: Trx, applicationId: number, id: number): Promise<{ answered: boolean } | undefined> {
  const r = await trx
    .selectFrom('questions as q')
    .where('q.id', '=', id)
    .where('q.application_id', '=', applicationId)
    .select((eb) =>
      eb
        .exists(
          eb
            .selectFrom('responses as r')
            .innerJoin('submissions as s', 's.id', 'r.submission_id')
            .whereRef('r.question_id', '=', 'q.id')
            .where('s.submitted_at', 'is not', null)
            .select(sql`1`.as('x')),
        )
        .as('answered'),
    )
    .executeTakeFirst()
  return r && { answered: r.answered === true }
}

export async function deleteQuestion(trx: Trx, applicationId: number, id: number): Promise<void> {
  await trx.deleteFrom('questions').where('id', '=', id).where('application_id', '=', applicationId).execute()
}

export async function reorderQuestions(trx: Trx, applicationId: number, ids: number[]) {
  await sql`
    update questions q set position = v.pos
    from unnest(${ids}::int[]) with ordinality as v(id, pos)
    where q.id = v.id and q.application_id = ${applicationId}`.execute(trx)
}

// ---------- duplicate ----------

/**
 * Copies committees, questions, choices and committee links of one application into another in
 * a single statement; new ids are drawn first so the copies can be linked to each other.
 */
export async function copyStructure(trx: Trx, fromId: number, toId: number) {
  const r = await sql<{ committees: number; questions: number; choices: number; links: number }>`
    with cm as materialized (
      select id as old_id, nextval(pg_get_serial_sequence('committees', 'id'))::int as new_id from committees where application_id = ${fromId}
    ), qm as materialized (
      select id as old_id, nextval(pg_get_serial_sequence('questions', 'id'))::int as new_id from questions where application_id = ${fromId}
    ), ic as (
      insert into committees (id, application_id, name, description, position)
      select cm.new_id, ${toId}, c.name, c.description, c.position from committees c join cm on cm.old_id = c.id
      returning 1
    ), iq as (
      insert into questions (id, application_id, type, prompt, word_limit, required, position)
      select qm.new_id, ${toId}, q.type, q.prompt, q.word_limit, q.required, q.position from questions q join qm on qm.old_id = q.id
      returning 1
    ), ich as (
      insert into question_choices (question_id, label, position)
      select qm.new_id, ch.label, ch.position from question_choices ch join qm on qm.old_id = ch.question_id
      returning 1
    ), iqc as (
      insert into question_committees (question_id, committee_id)
      select qm.new_id, cm.new_id from question_committees x join qm on qm.old_id = x.question_id join cm on cm.old_id = x.committee_id
      returning 1
    )
    select (select count(*) from ic)::int as committees, (select count(*) from iq)::int as questions,
           (select count(*) from ich)::int as choices, (select count(*) from iqc)::int as links`.execute(trx)
  return r.rows[0]!
}

// ---------- extensions ----------

/** The account with this email if it started (a draft) or submitted this application; one statement either way. */
export async function findApplicant(db: QuadDb | Trx, applicationId: number, email: string) {
  return db
    .selectFrom('users as u')
    .where('u.email', '=', email.toLowerCase())
    .where((eb) => eb.exists(eb.selectFrom('submissions as s').whereRef('s.user_id', '=', 'u.id').where('s.application_id', '=', applicationId).select(sql`1`.as('x'))))
    .select(['u.id', 'u.email', 'u.name'])
    .executeTakeFirst()
}

/** The application's end and release, locked: a grant and a change of the release date wait for each other. */
export async function lockedDates(trx: Trx, applicationId: number) {
  return trx.selectFrom('club_applications').where('id', '=', applicationId).select(['ends_at', 'results_release_at']).forUpdate().executeTakeFirst()
}

/** The latest extension of the application ending after `release`, if any. */
export async function extensionPast(trx: Trx, applicationId: number, release: Date) {
  return trx
    .selectFrom('extensions')
    .where('application_id', '=', applicationId)
    .where('ends_at', '>', release)
    .select('ends_at')
    .orderBy('ends_at', 'desc')
    .limit(1)
    .executeTakeFirst()
}

export async function upsertExtension(trx: Trx, v: { application_id: number; user_id: number; ends_at: Date; granted_by: number; reason: string }) {
  return trx
    .insertInto('extensions')
    .values(v)
    .onConflict((oc) => oc.columns(['application_id', 'user_id']).doUpdateSet({ ends_at: v.ends_at, granted_by: v.granted_by, reason: v.reason, created_at: sql`now()` }))
    .returning(['user_id', 'ends_at', 'reason', 'granted_by', 'created_at'])
    .executeTakeFirstOrThrow()
}

export async function listExtensions(db: QuadDb, applicationId: number) {
  return db
    .selectFrom('extensions as e')
    .innerJoin('users as u', 'u.id', 'e.user_id')
    .where('e.application_id', '=', applicationId)
    .select(['e.user_id', 'u.email', 'u.name', 'e.ends_at', 'e.reason', 'e.granted_by', 'e.created_at'])
    .orderBy('u.email')
    .execute()
}

export async function deleteExtension(trx: Trx, applicationId: number, userId: number): Promise<boolean> {
  const r = await trx.deleteFrom('extensions').where('application_id', '=', applicationId).where('user_id', '=', userId).executeTakeFirst()
  return Number(r.numDeletedRows) > 0
}

// ---------- public reads (cacheable: only cached tables) ----------

/** Open applications (optionally of one cycle) and the next time one opens, in one statement. */
export async function openApplications(db: QuadDb, now: Date, cycleId?: number) {
  return db
    .selectNoFrom((eb) => [
      jsonArrayFrom(
        eb
          .selectFrom('club_applications as a')
          .innerJoin('clubs as c', 'c.id', 'a.club_id')
          .leftJoin('application_cycles as cy', 'cy.id', 'a.cycle_id')
          .where((e) => isOpenApplication(e, 'a', now))
          .where('c.status', '=', 'approved')
          .where('c.archived_at', 'is', null)
          .$if(cycleId !== undefined, (q) => q.where('a.cycle_id', '=', cycleId!))
          .select([
            'a.id', 'a.name', 'a.kind', 'a.external_url', 'a.starts_at', 'a.ends_at', 'a.results_release_at',
            'c.code as club_code', 'c.name as club_name', 'a.cycle_id', 'cy.name as cycle_name',
          ])
          .orderBy('a.ends_at')
          .orderBy('c.name')
          .orderBy('a.id'),
      ).as('applications'),
      eb
        .selectFrom('club_applications as a')
        .where('a.active', '=', true)
        .where('a.starts_at', '>', now)
        .$if(cycleId !== undefined, (q) => q.where('a.cycle_id', '=', cycleId!))
        .select((e) => e.fn.min('a.starts_at').as('s'))
        .as('next_opening'),
      cycleId === undefined
        ? sql<boolean>`true`.as('cycle_exists')
        : eb.exists(eb.selectFrom('application_cycles').where('id', '=', cycleId).select('id')).as('cycle_exists'),
    ])
    .executeTakeFirstOrThrow()
}

/**
 * An active application and its cycle. The club is read separately, by id, so the cached page
 * depends on that one club row and not on every club.
 */
export async function publicApplication(db: QuadDb, id: number) {
  const app = await db
    .selectFrom('club_applications as a')
    .leftJoin('application_cycles as cy', 'cy.id', 'a.cycle_id')
    .where('a.id', '=', id)
    .where('a.active', '=', true)
    .select([
      'a.id', 'a.club_id', 'a.name', 'a.description', 'a.kind', 'a.external_url', 'a.starts_at', 'a.ends_at', 'a.results_release_at',
      'a.max_committees', 'a.cycle_id', 'cy.name as cycle_name', 'cy.max_committees as cycle_max_committees', 'cy.require_complete_profile',
    ])
    .executeTakeFirst()
  if (!app) return undefined
  const club = await db
    .selectFrom('clubs')
    .where('id', '=', app.club_id)
    .where('status', '=', 'approved')
    .where('archived_at', 'is', null)
    .select(['code', 'name'])
    .executeTakeFirst()
  return club ? { ...app, club_code: club.code, club_name: club.name } : undefined
}

export async function publicCycles(db: QuadDb) {
  return db.selectFrom('application_cycles').select(['id', 'name', 'starts_at', 'ends_at', 'results_release_at']).orderBy('starts_at', 'desc').orderBy('id', 'desc').execute()
}
