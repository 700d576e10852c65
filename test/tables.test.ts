import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CACHED_TABLES, PRIVATE_TABLES } from '../src/db/cached-tables.js'
import { extractDeps, UntrackableQueryError } from '../src/db/dep-extractor.js'
import { newScope, runInScope } from '../src/db/scope.js'
import { createTestEnv, type QuadInstance, type TestEnv } from './helpers/quad.js'

describe('every table is classified for the cache', () => {
  let env: TestEnv
  let q: QuadInstance

  beforeAll(async () => {
    env = await createTestEnv('postgres')
    q = await env.start()
  })
  afterAll(async () => env?.close())

  it('names every migrated table either cached or private, never both', async () => {
    const r = await sql<{ name: string }>`select tablename as name from pg_tables where schemaname = 'public'`.execute(q.runtime.db)
    const migrated = r.rows.map((x) => x.name).filter((t) => !t.startsWith('kysely_'))
    const cached = Object.keys(CACHED_TABLES)
    const priv = Object.keys(PRIVATE_TABLES)
    expect(cached.filter((t) => priv.includes(t))).toEqual([])
    expect(migrated.filter((t) => !cached.includes(t) && !priv.includes(t))).toEqual([])
    expect([...cached, ...priv].filter((t) => !migrated.includes(t))).toEqual([])
  })

  it('refuses, in a cacheable handler, a table it does not know', () => {
    const node = q.runtime.db.selectFrom('no_such_table' as 'clubs').select('id').toOperationNode()
    expect(() => extractDeps(node, () => {})).toThrow(UntrackableQueryError)
    const cte = q.runtime.db.with('recent', (db) => db.selectFrom('clubs').select('id')).selectFrom('recent').select('id').toOperationNode()
    const deps: string[] = []
    extractDeps(cte, (d) => deps.push(d))
    expect(deps).toContain('t:clubs')
  })

  it('lets writes to private tables that feed no cached table return without waiting for invalidation', async () => {
    const scope = newScope()
    await runInScope(scope, () => q.runtime.db.insertInto('club_visits').values({ club_id: 1, day: '2026-01-01', views: 1 }).onConflict((oc) => oc.doNothing()).execute().catch(() => {}))
    expect(scope.untrackedWrite).toBe(false)
    const bookmark = newScope()
    await runInScope(bookmark, () => q.runtime.db.deleteFrom('bookmarks').where('user_id', '=', -1).execute())
    expect(bookmark.untrackedWrite).toBe(true) // its trigger writes the cached club_stats
    const club = newScope()
    await runInScope(club, () => sql`update clubs set subtitle = subtitle where id = -1`.execute(q.runtime.db))
    expect(club.untrackedWrite).toBe(true)
  })
})
