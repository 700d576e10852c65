import pg from 'pg'
import { adminUrl } from './helpers/env.js'

/** Fails fast with a clear message when the services the tests need are not running. */
export default async function setup() {
  const client = new pg.Client({ connectionString: adminUrl() })
  try {
    await client.connect()
    // Leftovers of interrupted runs: databases of test processes that no longer exist.
    const { rows } = await client.query<{ datname: string }>(`select datname from pg_database where datname like 'quad_t_%'`)
    for (const { datname } of rows) {
      const pid = Number(datname.split('_')[2])
      if (!Number.isInteger(pid) || isAlive(pid)) continue
      await client.query(`drop database if exists ${datname} with (force)`).catch(() => {})
    }
  } catch (err) {
    throw new Error(`PostgreSQL is not reachable at ${adminUrl()}: ${(err as Error).message}`)
  } finally {
    await client.end().catch(() => {})
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}
