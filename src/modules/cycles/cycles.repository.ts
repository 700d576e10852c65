import { expressionBuilder, type Insertable, sql, type Updateable } from 'kysely'
import type { QuadDb } from '../../db/database.js'
import { isOpenApplication } from '../../db/rules.js'
import type { ApplicationCyclesTable, DB } from '../../db/types.js'
import type { Trx } from '../../db/write.js'

const cycleColumns = [
  'cy.id', 'cy.name', 'cy.starts_at', 'cy.ends_at', 'cy.results_release_at', 'cy.freeze_committees', 'cy.committee_word_cap',
  'cy.max_committees', 'cy.require_complete_profile', 'cy.created_at', 'cy.organizer_club_id', 'oc.code as organizer_code', 'oc.name as organizer_name',
] as const

function cycles(db: QuadDb | Trx) {
  return db
    .selectFrom('application_cycles as cy')
    .leftJoin('clubs as oc', 'oc.id', 'cy.organizer_club_id')
    .select(cycleColumns)
    .select((eb) => eb.selectFrom('club_applications as a').whereRef('a.cycle_id', '=', 'cy.id').select((e) => e.fn.countAll<number>().as('n')).as('applications'))
}

export type CycleRow = NonNullable<Awaited<ReturnType<typeof findCycle>>>

export async function listCycles(db: QuadDb) {
  return cycles(db).orderBy('cy.starts_at', 'desc').orderBy('cy.id', 'desc').execute()
}

export async function findCycle(db: QuadDb | Trx, id: number) {
  return cycles(db).where('cy.id', '=', id).executeTakeFirst()
}

export async function clubIdByCode(db: QuadDb, code: string) {
  return db.selectFrom('clubs').where('code', '=', code).where('archived_at', 'is', null).select(['id', 'code', 'name']).executeTakeFirst()
}

export async function clubsByCodes(db: QuadDb, codes: string[]) {
  return db.selectFrom('clubs').where('code', 'in', codes).where('archived_at', 'is', null).select(['id', 'code', 'name']).execute()
}

export async function insertCycle(trx: Trx, v: Insertable<ApplicationCyclesTable>) {
  return trx.insertInto('application_cycles').values(v).returning('id').executeTakeFirstOrThrow()
}

/** A change to a cycle's columns. */
export type CyclePatch = Updateable<ApplicationCyclesTable>

export async function updateCycle(trx: Trx, id: number, patch: CyclePatch) {
  await trx.updateTable('application_cycles').set(patch).where('id', '=', id).execute()
}

/** Gives every application of the cycle the cycle's dates, except those granted their own deadline. */
export async function moveApplications(trx: Trx, cycleId: number, d: { starts_at: Date; ends_at: Date; results_release_at: Date }): Promise<number> {
  const r = await trx
    .updateTable('club_applications')
    .set({ ...d, updated_at: sql`now()` })
    .where('cycle_id', '=', cycleId)
    .where('own_deadline', '=', false)
    .executeTakeFirst()
  return Number(r.numUpdatedRows)
}

/** The latest extension, among applications that follow the cycle's dates, ending after `release`. */
export async function extensionPast(trx: Trx, cycleId: number, release: Date) {
  return trx
    .selectFrom('extensions as e')
    .innerJoin('club_applications as a', 'a.id', 'e.application_id')
    .where('a.cycle_id', '=', cycleId)
    .where('a.own_deadline', '=', false)
    .where('e.ends_at', '>', release)
    .select('e.ends_at')
    .orderBy('e.ends_at', 'desc')
    .limit(1)
    .executeTakeFirst()
}

/** A lowered committee cap lowers every application's own maximum with it. */
export async function capMaxCommittees(trx: Trx, cycleId: number, cap: number) {
  await trx
    .updateTable('club_applications')
    .set({ max_committees: sql`least(max_committees, ${cap})`, updated_at: sql`now()` })
    .where('cycle_id', '=', cycleId)
    .where('max_committees', '>', cap)
    .execute()
}

export async function deleteEmptyCycle(trx: Trx, id: number): Promise<'deleted' | 'missing' | 'in_use'> {
  const used = await trx.selectFrom('club_applications').where('cycle_id', '=', id).select('id').limit(1).executeTakeFirst()
  if (used) return 'in_use'
  const r = await trx.deleteFrom('application_cycles').where('id', '=', id).executeTakeFirst()
  return Number(r.numDeletedRows) ? 'deleted' : 'missing'
}

/** Creates an inactive application shell, with the cycle's dates, for each club not yet in the cycle. */
export async function attachClubs(trx: Trx, cycle: CycleRow, clubIds: number[]) {
  const r = await sql<{ id: number; code: string }>`
    insert into club_applications (club_id, cycle_id, name, starts_at, ends_at, results_release_at, max_committees, active)
    select c.id, ${cycle.id}, left(c.name || ' – ' || ${cycle.name}, 160), ${cycle.starts_at}, ${cycle.ends_at}, ${cycle.results_release_at},
           ${cycle.max_committees ?? 1}, false
    from clubs c
    where c.id = any(${clubIds}::int[])
      and not exists (select 1 from club_applications a where a.club_id = c.id and a.cycle_id = ${cycle.id})
    returning id, (select code from clubs where clubs.id = club_id) as code`.execute(trx)
  return r.rows
}

/** Removes a club's applications from the cycle unless a student has started one. */
export async function detachClub(trx: Trx, cycleId: number, clubId: number): Promise<'detached' | 'missing' | 'started'> {
  const started = await trx
    .selectFrom('submissions as s')
    .innerJoin('club_applications as a', 'a.id', 's.application_id')
    .where('a.cycle_id', '=', cycleId)
    .where('a.club_id', '=', clubId)
    .select('s.id')
    .limit(1)
    .executeTakeFirst()
  if (started) return 'started'
  const r = await trx.deleteFrom('club_applications').where('cycle_id', '=', cycleId).where('club_id', '=', clubId).executeTakeFirst()
  return Number(r.numDeletedRows) ? 'detached' : 'missing'
}

/** Per-club progress of a cycle in one grouped statement. */
export async function progress(db: QuadDb, cycleId: number, now: Date) {
  const open = isOpenApplication(expressionBuilder<DB, 'club_applications'>(), 'a', now)
  const r = await sql<{
    code: string
    name: string
    applications: number
    open: number
    started: number
    drafts: number
    submissions: number
    decisions: number
    notified: number
  }>`
    select c.code, c.name,
      count(distinct a.id)::int as applications,
      count(distinct a.id) filter (where ${open})::int as open,
      count(s.id)::int as started,
      count(s.id) filter (where s.submitted_at is null)::int as drafts,
      count(s.id) filter (where s.submitted_at is not null)::int as submissions,
      count(s.id) filter (where s.submitted_at is not null and s.status <> 'pending')::int as decisions,
      count(s.id) filter (where s.notified_at is not null)::int as notified
    from club_applications a
    join clubs c on c.id = a.club_id
    left join submissions s on s.application_id = a.id
    where a.cycle_id = ${cycleId}
    group by c.id, c.code, c.name
    order by lower(c.name), c.id`.execute(db)
  return r.rows
}
