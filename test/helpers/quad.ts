import { randomBytes } from 'node:crypto'
import { ThrowawayRedis } from '../../bench/services.js'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../src/app.js'
import type { CacheOptions } from '../../src/cache/setup.js'
import { loadConfig } from '../../src/config.js'
import { openDatabase } from '../../src/db/database.js'
import { migrateToLatest } from '../../src/db/migrate.js'
import { createRuntime, type Runtime } from '../../src/runtime.js'
import type { Scale } from '../../src/seed/generate.js'
import { seed } from '../../src/seed/seed.js'
import { createTestDatabase, type TestDatabase } from './db.js'
import { redisUrl } from './env.js'

export type Backend = 'postgres' | 'pglite'
export const BACKENDS: Backend[] = ['postgres', 'pglite']

export interface QuadInstance {
  app: FastifyInstance
  runtime: Runtime
  close(): Promise<void>
}

export interface TestEnv {
  backend: Backend
  /** Environment for loadConfig: the database (and Redis) this test file owns. */
  env: NodeJS.ProcessEnv
  /** Starts an app instance on the shared database (several may run at once). */
  start(opts?: { cache?: CacheOptions; env?: NodeJS.ProcessEnv }): Promise<QuadInstance>
  close(): Promise<void>
}

export interface TestEnvOptions {
  seed?: Scale
  randomSeed?: number
  redis?: boolean
}

/**
 * One isolated Quad world per test file: its own PostgreSQL database (or in-memory PGlite) and,
 * with redis, its own key prefix on the machine's Redis.
 */
export async function createTestEnv(backend: Backend, opts: TestEnvOptions = {}): Promise<TestEnv> {
  let pgDb: TestDatabase | null = null
  const env: NodeJS.ProcessEnv = { NODE_ENV: 'test', QUAD_SECRET: 'test-secret-test-secret-test-secret!', QUAD_SEED_DEMO: '0' }
  if (backend === 'postgres') {
    pgDb = await createTestDatabase()
    env.DATABASE_URL = pgDb.url
  } else {
    env.QUAD_DATA_DIR = 'memory://'
  }
  if (opts.redis) env.REDIS_URL = redisUrl()
  const prefix = `quadt:${randomBytes(4).toString('hex')}:`
  const instances = new Set<QuadInstance>()

  // PGlite is one in-process database: every instance of the file shares the first runtime's.
  let shared: Runtime | null = null
  if (backend === 'postgres') {
    const database = await openDatabase(loadConfig(env).db, { appName: 'quad-test' })
    await migrateToLatest(database.db)
    if (opts.seed) await seed(database.db, { scale: opts.seed, randomSeed: opts.randomSeed })
    await database.close()
  }

  return {
    backend,
    env,
    async start(o = {}) {
      const config = loadConfig({ ...env, ...o.env })
      let runtime: Runtime
      if (backend === 'pglite' && shared) {
        runtime = shared
      } else {
        runtime = await createRuntime(config, {
          cache: { prefix, pollIntervalMs: 100, ...o.cache },
          migrate: backend === 'pglite',
          // Durability of test data does not matter; commit latency does.
          db: { serverOptions: '-c synchronous_commit=off' },
        })
        if (backend === 'pglite' && opts.seed) await seed(runtime.db, { scale: opts.seed, randomSeed: opts.randomSeed })
        if (backend === 'pglite') shared = runtime
      }
      const app = await buildApp(runtime)
      await app.ready()
      const inst: QuadInstance = {
        app,
        runtime,
        async close() {
          instances.delete(inst)
          await app.close()
          if (runtime !== shared) await runtime.close()
        },
      }
      instances.add(inst)
      return inst
    },
    async close() {
      for (const i of [...instances]) await i.close()
      if (shared) await shared.close()
      await pgDb?.drop()
    },
  }
}

/**
 * Two instances on one PostgreSQL database with a Redis server of their own: Redis pub/sub ignores
 * database numbers and key prefixes, so tests that stop Redis or count its traffic need their own.
 */
export async function twoInstancesWithOwnRedis(opts: TestEnvOptions = { seed: 'demo' }) {
  const redis = await ThrowawayRedis.start()
  const env = await createTestEnv('postgres', opts)
  const a = await env.start({ env: { REDIS_URL: redis.url } })
  const b = await env.start({ env: { REDIS_URL: redis.url } })
  return {
    redis,
    env,
    a,
    b,
    async close() {
      await env.close()
      await redis.destroy()
    },
  }
}
