import { sql } from 'kysely'
import type { QuadDb } from '../../db/database.js'

/** Views per day of a club over the last `days` days, oldest first. */
export function clubVisits(db: QuadDb, clubId: number, days: number) {
  return db
    .selectFrom('club_visits')
    .where('club_id', '=', clubId)
    .where('day', '>=', sql<Date>`current_date - ${days}::int`)
    .select([sql<string>`to_char(day, 'YYYY-MM-DD')`.as('day'), 'views'])
    .orderBy('day')
    .execute()
}

/** The most searched terms over the last `days` days. */
export function topSearchTerms(db: QuadDb, days: number, limit: number) {
  return db
    .selectFrom('search_terms')
    .where('day', '>=', sql<Date>`current_date - ${days}::int`)
    .groupBy('term')
    .select(['term', sql<number>`sum(count)::int`.as('count')])
    .orderBy('count', 'desc')
    .limit(limit)
    .execute()
}

/** Adds page views of clubs (by code; unknown codes are dropped) to a day's counts, in one statement. */
export async function addClubVisits(db: QuadDb, day: string, views: ReadonlyMap<string, number>): Promise<void> {
  await sql`
    insert into club_visits (club_id, day, views)
    select c.id, ${day}::date, x.n
    from unnest(${[...views.keys()]}::text[], ${[...views.values()]}::int[]) as x(code, n)
    join clubs c on c.code = x.code
    on conflict (club_id, day) do update set views = club_visits.views + excluded.views`.execute(db)
}

/** Adds searches to a day's counts per term, in one statement. */
export async function addSearchTerms(db: QuadDb, day: string, searches: ReadonlyMap<string, number>): Promise<void> {
  await sql`
    insert into search_terms (term, day, count)
    select x.term, ${day}::date, x.n from unnest(${[...searches.keys()]}::text[], ${[...searches.values()]}::int[]) as x(term, n)
    on conflict (term, day) do update set count = search_terms.count + excluded.count`.execute(db)
}
