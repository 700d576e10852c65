import { mkdirSync } from 'node:fs'
import { Kysely, PostgresDialect, sql } from 'kysely'
import pg from 'pg'
import Cursor from 'pg-cursor'
import type { DbConfig } from '../config.js'
import { type ConnectionGate, DepsPlugin, InstrumentedDialect, type QueryObserver, type StatementCounter } from './instrument.js'
import type { DB } from './types.js'

// Counts and ids fit in a double; numeric scores are small. Parse them as numbers everywhere.
pg.types.setTypeParser(20, (v) => Number(v))
pg.types.setTypeParser(1700, (v) => Number(v))

export type QuadDb = Kysely<DB>

export interface Database {
  readonly db: QuadDb
  readonly kind: DbConfig['kind']
  /** The raw pg pool (production) for LISTEN connections and diagnostics. */
  readonly pool: pg.Pool
  /** PostgreSQL connection settings, when on a real server (used for LISTEN/NOTIFY). */
  readonly pgConfig?: pg.PoolConfig
  /** Statements sent through this pool so far, background work included. */
  readonly counter: StatementCounter
  close(): Promise<void>
}

export interface DatabaseOptions {
  /** application_name, so the watchdog can find this pool's queries. */
  appName?: string
  max?: number
  statementTimeoutMs?: number
  gate?: ConnectionGate
  observe?: QueryObserver
  /** Extra server settings for every connection, e.g. '-c synchronous_commit=off' in tests. */
  serverOptions?: string
}

export async function openDatabase(cfg: DbConfig, opts: DatabaseOptions = {}): Promise<Database> {
  if (cfg.kind === 'postgres') {
    const pgConfig: pg.PoolConfig = {
      connectionString: cfg.url,
      application_name: opts.appName ?? 'quad-web',
      max: opts.max ?? 10,
      connectionTimeoutMillis: 5000,
      idleTimeoutMillis: 30_000,
      ...(opts.statementTimeoutMs ? { statement_timeout: opts.statementTimeoutMs } : {}),
      ...(opts.serverOptions ? { options: opts.serverOptions } : {}),
    }
    const pool = new pg.Pool(pgConfig)
    // A dropped connection (server restart, admin shutdown) must not crash the process: errors
    // reach the query that was running, and the pool replaces the connection.
    pool.on('error', () => {})
    pool.on('connect', (client) => client.on('error', () => {}))
    return wrap(pool, 'postgres', opts, async () => {}, pgConfig)
  }
  const { PGlite } = await import('@electric-sql/pglite')
  const { createPgConfig } = await import('@electric-sql/pglite/node-postgres')
  if (!cfg.dataDir.startsWith('memory://')) mkdirSync(cfg.dataDir, { recursive: true })
  const lite = await PGlite.create(cfg.dataDir)
  const pool = new pg.Pool({ ...(createPgConfig(lite) as unknown as pg.PoolConfig), max: 1 })
  return wrap(pool, 'pglite', opts, () => lite.close())
}

function wrap(
  pool: pg.Pool,
  kind: DbConfig['kind'],
  opts: DatabaseOptions,
  closeInner: () => Promise<void>,
  pgConfig?: pg.PoolConfig,
): Database {
  // The cursor lets large reads (CSV exports) stream row batches instead of buffering a result.
  const dialect = new InstrumentedDialect(new PostgresDialect({ pool, cursor: Cursor }), { gate: opts.gate, observe: opts.observe })
  const db = new Kysely<DB>({ dialect, plugins: [new DepsPlugin()] })
  let closed = false
  return {
    db,
    kind,
    pool,
    pgConfig,
    counter: dialect.counter,
    async close() {
      if (closed) return
      closed = true
      await db.destroy()
      await closeInner()
    },
  }
}

/** One round trip: the database answers. */
export async function ping(db: Kysely<any>): Promise<void> {
  await sql`select 1`.execute(db)
}
