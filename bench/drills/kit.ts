import { createHash, randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { openDatabase } from '../../src/db/database.js'
import { migrateToLatest } from '../../src/db/migrate.js'
import { seed, startOfUtcDay } from '../../src/seed/seed.js'
import { dataSetKey, dayStamp } from '../database.js'
import type { Cleanup } from '../cleanup.js'
import { type Fixtures, loadFixtures } from '../fixtures.js'
import { goldenCluster } from '../golden.js'
import type { LoadProcess } from '../load/client.js'
import type { LoadPlan, LoadResult } from '../load/protocol.js'
import { type BenchOptions, PROBE_WRITE } from '../options.js'
import { measure, startServers } from '../run.js'
import type { QuadServer } from '../server.js'
import { ThrowawayPostgres, ThrowawayRedis } from '../services.js'
import { TRAFFIC_CLASSES } from '../traffic/index.js'
import { ProcSampler } from '../procstat.js'
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
 * The data folder of a stopped demo-scale cluster, seeded with signed-in students, kept in the
 * temporary folder while the data set's identity (generator, schema, day) is unchanged; each drill
 * runs on a copy of it, a cluster of its own.
 */
async function drillCluster(o: BenchOptions, ui: Ui): Promise<{ dir: string; fx: Fixtures }> {
  // The fixtures are stored with the cluster: their code is part of the key too.
  const anchor = startOfUtcDay(new Date())
  const key = createHash('sha256')
    .update(dataSetKey('demo', o.randomSeed, anchor))
    .update(readFileSync(fileURLToPath(new URL('../fixtures.ts', import.meta.url))))
    .digest('hex')
    .slice(0, 12)
  const golden = await goldenCluster(
    { day: dayStamp(anchor), name: key, fresh: o.freshSeed, metaFile: 'fixtures.json', ui, message: 'drills: seeding a throwaway PostgreSQL cluster (demo scale) that each drill copies' },
    async (pg) => {
      const database = await openDatabase({ kind: 'postgres', url: pg.url }, { appName: 'quad-seed', statementTimeoutMs: 0, max: 2 })
      try {
        await migrateToLatest(database.db)
        await seed(database.db, { scale: 'demo', randomSeed: o.randomSeed })
        return await loadFixtures(database.db, { students: 300, randomSeed: o.randomSeed })
      } finally {
        await database.close()
      }
    },
  )
  return { dir: golden.dir, fx: golden.meta }
}

/**
 * Shared by the drills: the golden cluster and its fixtures, the load process, and the secret of
 * the drills' Quad servers. Every drill gets a PostgreSQL cluster and a Redis of its own.
 */
export class DrillKit {
  private constructor(
    readonly o: BenchOptions,
    readonly ui: Ui,
    readonly load: LoadProcess,
    readonly cleanup: Cleanup,
    private readonly golden: string,
    readonly fx: Fixtures,
    readonly secret: string,
    readonly routes: Set<string>,
  ) {}

  static async create(o: BenchOptions, ui: Ui, load: LoadProcess, cleanup: Cleanup, routes: Set<string>): Promise<DrillKit> {
    const { dir, fx } = await drillCluster(o, ui)
    return new DrillKit(o, ui, load, cleanup, dir, fx, randomBytes(32).toString('hex'), routes)
  }

  /** Whether the server under test has every route of a traffic class. */
  has(cls: string): boolean {
    const c = TRAFFIC_CLASSES[cls]
    return Boolean(c && c.requires.every((r) => this.routes.has(r)))
  }

  async world(name: string, opts: { instances: number; env?: Record<string, string> }): Promise<DrillWorld> {
    const pg = await ThrowawayPostgres.copyOf(this.golden)
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

  /** A drill's load; `probeWrites` (requests/s) adds the consistency probe's writer, over HTTP when possible. */
  plan(world: DrillWorld, classes: LoadPlan['classes'], durationS: number, opts: { probeWrites?: number } = {}): LoadPlan {
    const http = opts.probeWrites && this.has(PROBE_WRITE)
    return {
      targets: world.servers.map((s) => s.url),
      durationS,
      classes: http ? [...classes, { name: PROBE_WRITE, connections: 1, rate: opts.probeWrites! }] : classes,
      fixtures: this.fx,
      randomSeed: this.o.randomSeed,
      log: true,
      // The HTTP writer's rate counts the edit and the approval; the direct one writes once per pair.
      ...(opts.probeWrites && !http ? { directWriter: { env: world.runtimeEnv, rate: opts.probeWrites / 2 } } : {}),
    }
  }

  /**
   * Runs the plan and, `s` seconds after the load started, each fault step. Marks say when each
   * step began and when it had finished (epoch ms), in the order given; `cpu` is the average CPU
   * (% of one core) of each process in `sample`.
   */
  async drive(
    phase: string,
    plan: LoadPlan,
    steps: { s: number; run: () => Promise<void> }[] = [],
    sample: number[] = [],
  ): Promise<{ result: LoadResult; startedAt: number; marks: Mark[]; cpu: number[] }> {
    const marks: Mark[] = steps.map(() => ({ at: 0, done: 0, error: null }))
    const sampler = new ProcSampler(sample)
    sampler.start()
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
    sampler.stop()
    return { result, startedAt, marks, cpu: sampler.summary().map((p) => p.cpu_avg_pct) }
  }
}
