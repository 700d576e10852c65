import { randomBytes } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { type QuadDb, openDatabase } from '../src/db/database.js'
import type { Cleanup } from './cleanup.js'
import { type BenchDatabase, prepareDatabase, prepareOwnCluster } from './database.js'
import { type Fixtures, loadFixtures } from './fixtures.js'
import type { BenchOptions } from './options.js'
import type { ServerOptions } from './server.js'
import { canMakeClusters, ThrowawayRedis } from './services.js'
import type { Ui } from './ui.js'

/** Signed-in students created for the run (sessions inserted directly). */
const STUDENTS = 2000

export async function withDb<T>(url: string, fn: (db: QuadDb) => Promise<T>): Promise<T> {
  const database = await openDatabase({ kind: 'postgres', url }, { appName: 'quad-bench', max: 2, statementTimeoutMs: 0 })
  try {
    return await fn(database.db)
  } finally {
    await database.close()
  }
}

/** What every mode runs on: the seeded database, a throwaway Redis, the fixtures, and how to start Quad on them. */
export interface World {
  db: BenchDatabase
  redis: ThrowawayRedis
  fx: Fixtures
  sizes: { clubs: number; users: number; submissions: number }
  secret: string
  serverOpts(i: number): ServerOptions
}

export async function openWorld(o: BenchOptions, ui: Ui, cleanup: Cleanup, notes: string[]): Promise<World> {
  mkdirSync(o.out, { recursive: true })
  const db: BenchDatabase = await openBenchDatabase(o, ui, notes)
  if (db.kill) cleanup.add(() => db.drop(), () => db.kill?.())
  else cleanup.add(async () => (o.keep ? ui.step(`kept database ${db.name}`) : db.drop()))
  ui.step(`database ${db.name} ${db.origin === 'template' ? 'copied from the cached template' : 'seeded'} in ${(db.seedMs / 1000).toFixed(1)} s, on ${db.server}`)
  if (!db.statements.available) notes.push(`per-statement database time not available: ${db.statements.reason}`)
  const redis = await ThrowawayRedis.start()
  cleanup.add(() => redis.destroy(), () => redis.killSync())
  const { fx, sizes } = await withDb(db.url, async (kdb) => {
    const fixtures = await loadFixtures(kdb, { students: STUDENTS, randomSeed: o.randomSeed })
    const count = async (t: 'clubs' | 'users' | 'submissions') => Number((await kdb.selectFrom(t).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)
    return { fx: fixtures, sizes: { clubs: await count('clubs'), users: await count('users'), submissions: await count('submissions') } }
  })
  const secret = randomBytes(32).toString('hex')
  return {
    db,
    redis,
    fx,
    sizes,
    secret,
    serverOpts: (i) => ({
      databaseUrl: db.url,
      redisUrl: redis.url,
      secret,
      logFile: path.join(o.out, `server-${i}.log`),
      nodeArgs: o.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', o.cpuProfDir] : [],
    }),
  }
}

/**
 * The scenario's database: on a cluster of the benchmark's own (with pg_stat_statements) unless
 * --shared-pg is given or this machine cannot make clusters (no initdb).
 */
async function openBenchDatabase(o: BenchOptions, ui: Ui, notes: string[]): Promise<BenchDatabase> {
  if (!o.sharedPg && canMakeClusters()) {
    ui.step(`preparing a ${o.scale}-scale database on a PostgreSQL cluster of the benchmark's own`)
    return prepareOwnCluster(o, ui)
  }
  if (!o.sharedPg) notes.push("this machine cannot make PostgreSQL clusters (no initdb): the scenario ran on the machine's shared PostgreSQL")
  ui.step(`preparing a ${o.scale}-scale database (PostgreSQL at ${new URL(o.pgAdminUrl).host})`)
  return prepareDatabase(o)
}
