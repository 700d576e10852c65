import { randomBytes } from 'node:crypto'
import path from 'node:path'
import { openDatabase } from '../../src/db/database.js'
import { migrateToLatest } from '../../src/db/migrate.js'
import { seed } from '../../src/seed/seed.js'
import type { Cleanup } from '../cleanup.js'
import { type Fixtures, loadFixtures } from '../fixtures.js'
import type { LoadProcess } from '../load/client.js'
import type { LoadPlan, LoadResult } from '../load/protocol.js'
import type { BenchOptions } from '../options.js'
import { measure, startServers } from '../run.js'
import type { QuadServer } from '../server.js'
import { ThrowawayPostgres, ThrowawayRedis } from '../services.js'
import type { Ui } from '../ui.js'

export interface Mark {
  at: number
  done: number
  error: string | null
}

/** A drill's own world: a PostgreSQL cluster and a Redis that it may stop, and Quad on them. */
export interface DrillWorld {
  pg: ThrowawayPostgres
  redis: ThrowawayRedis
  servers: QuadServer[]
  /** Environment of a Quad runtime in the load process (the direct probe writer). */
  runtimeEnv: Record<string, string>
  close(): Promise<void>
}

/**
 * Shared by the drills: a demo-scale cluster seeded once (with signed-in students), copied for
 * each drill so every drill runs against a PostgreSQL cluster and a Redis of its own.
 */
export class DrillKit {
  private constructor(
    readonly o: BenchOptions,
    readonly ui: Ui,
    readonly load: LoadProcess,
    readonly cleanup: Cleanup,
    private readonly golden: ThrowawayPostgres,
    readonly fx: Fixtures,
    readonly secret: string,
  ) {}

  static async create(o: BenchOptions, ui: Ui, load: LoadProcess, cleanup: Cleanup): Promise<DrillKit> {
    ui.step('drills: seeding a throwaway PostgreSQL cluster (demo scale) to copy for each drill')
    const golden = await ThrowawayPostgres.start()
    cleanup.add(() => golden.destroy(), () => golden.killSync())
    const database = await openDatabase({ kind: 'postgres', url: golden.url }, { appName: 'quad-seed', statementTimeoutMs: 0, max: 2 })
    let fx: Fixtures
    try {
      await migrateToLatest(database.db)
      await seed(database.db, { scale: 'demo', randomSeed: o.randomSeed })
      fx = await loadFixtures(database.db, { students: 300, randomSeed: o.randomSeed })
    } finally {
      await database.close()
    }
    await golden.stopServer('fast')
    return new DrillKit(o, ui, load, cleanup, golden, fx, randomBytes(32).toString('hex'))
  }

  async world(name: string, opts: { instances: number; env?: Record<string, string> }): Promise<DrillWorld> {
    const pg = await this.golden.copy()
    const undoPg = this.cleanup.add(() => pg.destroy(), () => pg.killSync())
    const redis = await ThrowawayRedis.start()
    const undoRedis = this.cleanup.add(() => redis.destroy(), () => redis.killSync())
    const { servers, stop } = await startServers(
      opts.instances,
      (i) => ({ databaseUrl: pg.url, redisUrl: redis.url, secret: this.secret, logFile: path.join(this.o.out, `drill-${name}-${i}.log`), env: opts.env }),
      this.cleanup,
    )
    return {
      pg,
      redis,
      servers,
      runtimeEnv: { NODE_ENV: 'production', DATABASE_URL: pg.url, REDIS_URL: redis.url, QUAD_SECRET: this.secret, QUAD_SEED_DEMO: '0', LOG_LEVEL: 'silent' },
      async close() {
        await stop()
        await undoRedis()
        await undoPg()
      },
    }
  }

  plan(world: DrillWorld, classes: LoadPlan['classes'], durationS: number, opts: { directWriterRate?: number } = {}): LoadPlan {
    return {
      targets: world.servers.map((s) => s.url),
      durationS,
      classes,
      fixtures: this.fx,
      randomSeed: this.o.randomSeed,
      log: true,
      ...(opts.directWriterRate ? { directWriter: { env: world.runtimeEnv, rate: opts.directWriterRate } } : {}),
    }
  }

  /**
   * Runs the plan and, `s` seconds after the load started, each fault step. Marks say when each
   * step began and when it had finished (epoch ms), in the order given.
   */
  async drive(phase: string, plan: LoadPlan, steps: { s: number; run: () => Promise<void> }[] = []): Promise<{ result: LoadResult; startedAt: number; marks: Mark[] }> {
    const marks: Mark[] = steps.map(() => ({ at: 0, done: 0, error: null }))
    let startedAt = 0
    const injected: Promise<void>[] = []
    const result = await measure(this.load, this.ui, phase, plan, (t) => {
      startedAt = t
      steps.forEach((step, i) => {
        injected.push(
          new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, t + step.s * 1000 - Date.now()))).then(async () => {
            marks[i]!.at = Date.now()
            await step.run().catch((err: Error) => (marks[i]!.error = err.message))
            marks[i]!.done = Date.now()
          }),
        )
      })
    })
    await Promise.all(injected)
    return { result, startedAt, marks }
  }
}
