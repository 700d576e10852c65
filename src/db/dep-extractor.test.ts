import { Kysely, type OperationNode, PostgresDialect, sql } from 'kysely'
import { jsonArrayFrom } from 'kysely/helpers/postgres'
import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { extractDeps, UntrackableQueryError } from './dep-extractor.js'
import type { DB } from './types.js'

// Only builds queries; never connects.
const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: new pg.Pool({ max: 1 }) }) })

function deps(q: { toOperationNode(): OperationNode }): string[] {
  const out = new Set<string>()
  extractDeps(q.toOperationNode(), (d) => out.add(d))
  return [...out].sort()
}

describe('dependency extraction from the query tree', () => {
  it('narrows a primary-key lookup to row keys', () => {
    expect(deps(db.selectFrom('clubs').where('id', '=', 42).selectAll())).toEqual(['r:clubs:42', 's:clubs'])
    expect(deps(db.selectFrom('users').where('id', 'in', [1, 2]).select('name'))).toEqual(['r:users:1', 'r:users:2', 's:users'])
  })

  it('narrows an equality on a registered column to partition keys, also inside subqueries', () => {
    const q = db.selectNoFrom((eb) => [
      jsonArrayFrom(eb.selectFrom('events').where('club_id', '=', 7).where('ends_at', '>', new Date()).selectAll()).as('e'),
      jsonArrayFrom(eb.selectFrom('clubs as c').where('c.code', '=', 'chess').select('c.name')).as('c'),
    ])
    expect(deps(q)).toEqual(['p:clubs:code=chess', 'p:events:club_id=7', 's:clubs', 's:events'])
  })

  it('falls back to the whole table when the constraint does not pin the rows read', () => {
    // a correlated reference, an OR, an unregistered column, a non-literal
    expect(deps(db.selectFrom('clubs as c').select((eb) => jsonArrayFrom(eb.selectFrom('faqs as f').whereRef('f.club_id', '=', 'c.id').select('f.id')).as('f')))).toEqual([
      's:clubs', 's:faqs', 't:clubs', 't:faqs',
    ])
    expect(deps(db.selectFrom('events').where((eb) => eb.or([eb('club_id', '=', 1), eb('pinned', '=', true)])).selectAll())).toEqual(['s:events', 't:events'])
    expect(deps(db.selectFrom('events').where('name', '=', 'x').selectAll())).toEqual(['s:events', 't:events'])
    expect(deps(db.selectFrom('clubs').where('id', '=', '07' as unknown as number).selectAll())).toEqual(['s:clubs', 't:clubs'])
  })

  it('never narrows the right side of an outer join', () => {
    const q = db.selectFrom('clubs as c').leftJoin('club_stats as s', 's.club_id', 'c.id').where('s.club_id', '=', 3).where('c.id', '=', 3).selectAll()
    expect(deps(q)).toEqual(['r:clubs:3', 's:club_stats', 's:clubs', 't:club_stats'])
  })

  it('narrows inner joins only by constraints on their own alias', () => {
    const q = db.selectFrom('memberships as m').innerJoin('users as u', 'u.id', 'm.user_id').where('m.club_id', '=', 5).select('u.name')
    expect(deps(q)).toEqual(['p:memberships:club_id=5', 's:memberships', 's:users', 't:users'])
  })

  it('reads table names out of raw SQL, ignoring functions and column qualifiers', () => {
    const q = sql`select t.name from tags t join club_tags ct on ct.tag_id = t.id, unnest(array[1]) x where extract(year from now()) > 0`
    expect(deps(q)).toEqual(['s:club_tags', 's:tags', 't:club_tags', 't:tags'])
  })

  it('refuses private tables and writes in a cacheable handler', () => {
    expect(() => deps(db.selectFrom('submissions').selectAll())).toThrow(UntrackableQueryError)
    expect(() => deps(db.selectFrom('clubs').where('id', 'in', (eb) => eb.selectFrom('bookmarks').select('club_id')).selectAll())).toThrow(UntrackableQueryError)
    expect(() => deps(sql`select * from sessions`)).toThrow(UntrackableQueryError)
    expect(() => deps(db.updateTable('clubs').set({ name: 'x' }))).toThrow(UntrackableQueryError)
    expect(() => deps(sql`insert into tags (name, slug) values ('a', 'a')`)).toThrow(UntrackableQueryError)
  })
})
