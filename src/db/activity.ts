import type pg from 'pg'

/** One quad* backend of this database that is running a statement or holding a transaction. */
export interface ActivityRow {
  pid: number
  app: string
  state: string
  query: string
  since: string
  ms: number
}

// One advisory lock per database: only the watchdog holding it acts.
export async function tryWatchdogLock(client: pg.Client): Promise<boolean> {
  const r = await client.query<{ ok: boolean }>(`select pg_try_advisory_lock(hashtext('quad_watchdog')) as ok`)
  return r.rows[0]!.ok
}

export async function quadActivity(client: pg.Client): Promise<ActivityRow[]> {
  const { rows } = await client.query<ActivityRow>(`
    select pid, application_name as app, state, coalesce(query, '') as query,
           (case when state = 'active' then query_start else state_change end)::text as since,
           extract(epoch from clock_timestamp() - case when state = 'active' then query_start else state_change end)::float8 * 1000 as ms
      from pg_stat_activity
     where datname = current_database()
       and pid <> pg_backend_pid()
       and backend_type = 'client backend'
       and application_name like 'quad%'
       and state in ('active', 'idle in transaction', 'idle in transaction (aborted)')`)
  return rows
}

export async function cancelBackend(client: pg.Client, pid: number): Promise<void> {
  await client.query('select pg_cancel_backend($1)', [pid])
}

export async function terminateBackend(client: pg.Client, pid: number): Promise<void> {
  await client.query('select pg_terminate_backend($1)', [pid])
}
