import type { Logger } from 'pino'
import { type Cache, type CacheOptions, createCache } from './cache/setup.js'
import type { Config } from './config.js'
import { type Database, type DatabaseOptions, openDatabase } from './db/database.js'
import { migrateToLatest } from './db/migrate.js'
import { writeStatement, writeTransaction, type Trx } from './db/write.js'
import { createLogger } from './log.js'
import { createOps, type Ops } from './ops/ops.js'
import { isEmpty, seed } from './seed/seed.js'

/** Everything a running Quad instance holds; built once, closed once. */
export interface Runtime {
  readonly config: Config
  readonly log: Logger
  readonly database: Database
  readonly db: Database['db']
  /** Pool 'quad-report' with the long statement timeout: exports and admin reports only. */
  readonly reportDb: Database['db']
  readonly cache: Cache
  /** Admission gates, metrics, recent traffic and the query watchdog. */
  readonly ops: Ops
  /** One write transaction whose changes are visible to every reader when it returns. */
  write<T>(fn: (trx: Trx) => Promise<T>): Promise<T>
  /** One data-modifying statement as its own transaction, visible likewise (two round trips, not four). */
  writeOne<R>(build: (db: Database['db']) => { execute(): Promise<R[]> }): Promise<R[]>
  close(): Promise<void>
}

export interface RuntimeOptions {
  log?: Logger
  db?: DatabaseOptions
  cache?: CacheOptions
  /** Skip migrations (the caller already ran them). */
  migrate?: boolean
}

export async function createRuntime(config: Config, opts: RuntimeOptions = {}): Promise<Runtime> {
  const log = opts.log ?? (await createLogger(config.logLevel))
  const ops = createOps(config, log)
  const database = await openDatabase(config.db, {
    appName: 'quad-web',
    max: config.pool.max,
    statementTimeoutMs: config.timeouts.webMs,
    ...ops.pool('web'),
    ...opts.db,
  })
  // The embedded database is one connection in this process: reports share it.
  const report =
    config.db.kind === 'postgres'
      ? await openDatabase(config.db, {
          appName: 'quad-report',
          max: config.pool.reportMax,
          statementTimeoutMs: config.timeouts.reportMs,
          ...ops.pool('report'),
        })
      : database
  const closeDatabases = async () => {
    if (report !== database) await report.close()
    await database.close()
  }
  try {
    if (opts.migrate !== false) {
      const applied = await migrateToLatest(database.db)
      if (applied.length) log.info({ applied }, 'migrations applied')
    }
    if (config.seedDemoOnEmpty) {
      if (await isEmpty(database.db)) {
        log.info('empty database: seeding demo data')
        await seed(database.db, { scale: 'demo' })
      }
    }
    const admit = () => ops.gates.web.refuseIfFull()
    const cache = await createCache(config, database, log, { ...opts.cache, engine: { admit, ...opts.cache?.engine } })
    ops.start(database, cache)
    return {
      config,
      log,
      database,
      db: database.db,
      reportDb: report.db,
      cache,
      ops,
      write: (fn) => writeTransaction(database.db, cache.onCommit, fn),
      writeOne: (build) => writeStatement(database.db, cache.onCommit, build),
      async close() {
        await ops.close()
        await cache.close()
        await closeDatabases()
      },
    }
  } catch (err) {
    await closeDatabases()
    throw err
  }
}
