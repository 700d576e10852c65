import pg from 'pg'

/**
 * Per-statement database time from pg_stat_statements, on the benchmark's own cluster (started with
 * shared_preload_libraries=pg_stat_statements). The extension lives in the cluster's maintenance
 * database, so the application's database stays as seeded; its view covers every database and is
 * filtered to the benchmark's.
 */

export interface StatementRow {
  /** Normalized text (constants as $n), whitespace collapsed, shortened. */
  query: string
  calls: number
  total_ms: number
  mean_ms: number
  rows: number
  /** Share of all statement execution time in the benchmark database. */
  share: number
  /** One of the directory model's statements (see DIRECTORY_STATEMENTS). */
  directory: boolean
}

export type StatementsReport =
  | {
      available: true
      source: string
      /** Seconds between the reset and the read. */
      window_s: number
      statements: number
      calls: number
      /** Sum of total_exec_time over every statement of the benchmark database. */
      total_ms: number
      top: StatementRow[]
      directory: { statements: number; calls: number; total_ms: number; share: number; matched_by: string }
    }
  | { available: false; reason: string }

/**
 * The directory model's statements: its rows (clubs with club_stats and per-club lists of tags,
 * badges and application windows, all clubs or the changed ones) and its lookups (tags, badges and
 * categories by id). Recognized by text, as Kysely writes them.
 */
export const DIRECTORY_STATEMENTS: { name: string; pattern: RegExp }[] = [
  { name: 'model rows', pattern: /"c"\."accepting_members"|\bc\.accepting_members\b|array\(select ct\.tag_id\b/i },
  { name: 'model lookups', pattern: /json_build_array\(id, slug, name\)\) from tags/i },
]

export const isDirectoryStatement = (query: string) => DIRECTORY_STATEMENTS.some((d) => d.pattern.test(query))

export const shorten = (query: string, max = 240) => {
  const q = query.replace(/\s+/g, ' ').trim()
  return q.length > max ? `${q.slice(0, max - 1)}…` : q
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url, application_name: 'quad-bench-statements' })
  await c.connect()
  try {
    return await fn(c)
  } finally {
    await c.end().catch(() => {})
  }
}

/** Creates the extension in the maintenance database; null when it works, or why not. */
export async function enableStatements(adminUrl: string): Promise<string | null> {
  try {
    return await withClient(adminUrl, async (c) => {
      const loaded = await c.query<{ setting: string }>(`select setting from pg_settings where name = 'shared_preload_libraries'`)
      if (!/\bpg_stat_statements\b/.test(loaded.rows[0]?.setting ?? '')) return 'pg_stat_statements is not in shared_preload_libraries'
      await c.query('create extension if not exists pg_stat_statements')
      await c.query('select 1 from pg_stat_statements limit 1')
      return null
    })
  } catch (err) {
    return (err as Error).message
  }
}

export async function resetStatements(adminUrl: string): Promise<void> {
  await withClient(adminUrl, (c) => c.query('select pg_stat_statements_reset()'))
}

/** Every statement of `database` since the last reset, the top `top` by total execution time. */
export async function readStatements(adminUrl: string, database: string, windowS: number, top = 15): Promise<StatementsReport> {
  const { rows } = await withClient(adminUrl, (c) =>
    c.query<{ query: string; calls: string; total_ms: number; mean_ms: number; rows: string }>(
      `select s.query, s.calls::text as calls, s.total_exec_time as total_ms, s.mean_exec_time as mean_ms, s.rows::text as rows
         from pg_stat_statements s join pg_database d on d.oid = s.dbid
        where d.datname = $1
        order by s.total_exec_time desc`,
      [database],
    ),
  )
  const all = rows.map((r) => ({ query: r.query, calls: Number(r.calls), total_ms: Number(r.total_ms), mean_ms: Number(r.mean_ms), rows: Number(r.rows) }))
  const total = all.reduce((n, r) => n + r.total_ms, 0)
  const r2 = (n: number) => Math.round(n * 100) / 100
  const r4 = (n: number) => Math.round(n * 10_000) / 10_000
  const dir = all.filter((r) => isDirectoryStatement(r.query))
  const dirMs = dir.reduce((n, r) => n + r.total_ms, 0)
  return {
    available: true,
    source:
      'pg_stat_statements of the benchmark database, reset after the warm-up and read when the scenario ended: execution time of every statement the servers (and the probe writer) ran, planning not included',
    window_s: r2(windowS),
    statements: all.length,
    calls: all.reduce((n, r) => n + r.calls, 0),
    total_ms: r2(total),
    top: all.slice(0, top).map((r) => ({
      query: shorten(r.query),
      calls: r.calls,
      total_ms: r2(r.total_ms),
      mean_ms: Math.round(r.mean_ms * 1000) / 1000,
      rows: r.rows,
      share: total ? r4(r.total_ms / total) : 0,
      directory: isDirectoryStatement(r.query),
    })),
    directory: {
      statements: dir.length,
      calls: dir.reduce((n, r) => n + r.calls, 0),
      total_ms: r2(dirMs),
      share: total ? r4(dirMs / total) : 0,
      matched_by: DIRECTORY_STATEMENTS.map((d) => `${d.name}: ${d.pattern.source}`).join('; '),
    },
  }
}
