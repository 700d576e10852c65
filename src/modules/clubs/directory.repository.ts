import { sql } from 'kysely'
import type { QuadDb } from '../../db/database.js'
import { publicClubs } from './clubs.repository.js'

/** One public club as the directory model holds it (cards, filters, search, open applications). */
export interface DirectoryRow {
  id: number
  code: string
  name: string
  subtitle: string
  size: string
  accepting_members: boolean
  target_years: number[]
  target_schools: string[]
  updated_at: Date
  category_id: number | null
  description: string
  bookmarks: number
  members: number
  tag_ids: number[]
  badge_ids: number[]
  /** [starts_at, ends_at] of the club's active applications. */
  windows: [string, string][]
}

export interface DirectoryLookups {
  tags: [id: number, slug: string, name: string][]
  badges: [id: number, slug: string, name: string, color: string, hidden: boolean, description: string][]
  categories: [id: number, name: string][]
}

/**
 * Every public club, or the public ones among `ids`, in one statement. The per-club lists are
 * correlated lookups on (club_id) indexes, so one club costs a few index probes.
 */
export async function directoryRows(db: QuadDb, ids?: readonly number[]): Promise<DirectoryRow[]> {
  let q = publicClubs(db)
    .leftJoin('club_stats as s', 's.club_id', 'c.id')
    .select([
      'c.id', 'c.code', 'c.name', 'c.subtitle', 'c.size', 'c.accepting_members', 'c.target_years', 'c.target_schools',
      'c.updated_at', 'c.category_id', 'c.description',
    ])
    .select([
      sql<number>`coalesce(s.bookmark_count, 0)`.as('bookmarks'),
      sql<number>`coalesce(s.member_count, 0)`.as('members'),
      sql<number[]>`array(select ct.tag_id from club_tags ct where ct.club_id = c.id order by ct.tag_id)`.as('tag_ids'),
      sql<number[]>`array(select cb.badge_id from club_badges cb where cb.club_id = c.id order by cb.badge_id)`.as('badge_ids'),
      sql<[string, string][]>`coalesce((select json_agg(json_build_array(a.starts_at, a.ends_at)) from club_applications a
        where a.club_id = c.id and a.active), '[]'::json)`.as('windows'),
    ])
  if (ids) q = q.where('c.id', '=', sql<number>`any(${[...ids]}::int[])`)
  return (await q.execute()) as unknown as DirectoryRow[]
}

/** Tags, badges and categories by id: names the cards show and slugs the filters use. */
export async function directoryLookups(db: QuadDb): Promise<DirectoryLookups> {
  const r = await sql<DirectoryLookups>`select
      coalesce((select json_agg(json_build_array(id, slug, name)) from tags), '[]'::json) as tags,
      coalesce((select json_agg(json_build_array(id, slug, name, color, hidden, description)) from badges), '[]'::json) as badges,
      coalesce((select json_agg(json_build_array(id, name)) from categories), '[]'::json) as categories`.execute(db)
  return r.rows[0]!
}
