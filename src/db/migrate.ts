import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely'
import { syncCacheTriggers } from './cached-tables.js'
import * as m0001 from './migrations/0001_domain.js'
import * as m0002 from './migrations/0002_cache_outbox.js'
import * as m0003 from './migrations/0003_open_invites.js'
import * as m0004 from './migrations/0004_email_retry.js'
import * as m0005 from './migrations/0005_draft_documents.js'

const MIGRATIONS: Record<string, Migration> = {
  '0001_domain': m0001,
  '0002_cache_outbox': m0002,
  '0003_open_invites': m0003,
  '0004_email_retry': m0004,
  '0005_draft_documents': m0005,
}

class StaticProvider implements MigrationProvider {
  async getMigrations() {
    return MIGRATIONS
  }
}

export const latestMigration = () => Object.keys(MIGRATIONS).sort().at(-1)!

/** Applies pending migrations (under Kysely's migration lock) and re-installs cache triggers. */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new StaticProvider() })
  const { error, results } = await migrator.migrateToLatest()
  if (error) throw error instanceof Error ? error : new Error(String(error))
  // Several instances may start at once; serialize the trigger sync like the migrations.
  await db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext('quad_cache_triggers'))`.execute(trx)
    await syncCacheTriggers(trx)
  })
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName)
}

/** True when the database has every migration this build knows. */
export async function migrationsApplied(db: Kysely<any>): Promise<boolean> {
  try {
    const r = await sql<{ name: string }>`select name from kysely_migration order by name desc limit 1`.execute(db)
    return r.rows[0]?.name === latestMigration()
  } catch {
    return false
  }
}
