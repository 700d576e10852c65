import { randomBytes } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { type QuadDb, openDatabase } from '../src/db/database.js'
import { BaselineServer, recordResponse } from './baseline.js'
import type { Cleanup } from './cleanup.js'
import { type BenchDatabase, type PgCounters, pgCounters, prepareDatabase, prepareOwnCluster } from './database.js'
import { runDrills } from './drills/index.js'
import { type Fixtures, loadFixtures } from './fixtures.js'
import { LoadProcess } from './load/client.js'
import type { LoadPlan, LoadResult } from './load/protocol.js'
import { type BenchOptions, PROBE_WRITE } from './options.js'
import { ProcSampler } from './procstat.js'
import { buildReport } from './report/build.js'
import type { BenchReport } from './report/types.js'
import { availableRoutes, capabilities, QuadServer, type ServerOptions } from './server.js'
import { canMakeClusters, ThrowawayRedis } from './services.js'
import { readStatements, resetStatements, type StatementsReport } from './statements.js'
import { TRAFFIC_CLASSES } from './traffic/index.js'
import type { Ui } from './ui.js'
import { verifyWrites } from './verify.js'
import { warmUp } from './warmup.js'

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

/** Runs a plan in the load process with a progress bar. */
export async function measure(load: LoadProcess, ui: Ui, phase: string, plan: LoadPlan, onStart?: (at: number) => void): Promise<LoadResult> {
  const bar = ui.load(phase, plan.durationS)
  const run = load.run(plan, (p) => bar.tick(p))
  if (onStart) void run.started.then(onStart)
  try {
    return await run.result
  } finally {
    bar.done()
  }
}

export async function startServers(n: number, opts: (i: number) => ServerOptions, cleanup: Cleanup): Promise<{ servers: QuadServer[]; stop(): Promise<void> }> {
  const servers = await Promise.all(Array.from({ length: n }, (_, i) => QuadServer.start(opts(i))))
  const undo = cleanup.add(
    async () => void (await Promise.all(servers.map((s) => s.stop()))),
    () => servers.forEach((s) => s.kill()),
  )
  return { servers, stop: undo }
}

/** Which classes of the mix run, and why the others do not. */
interface PlannedClass {
  name: string
  connections: number
  rate: number
  run: boolean
  reason?: string
  /** The probe writer runs as a direct writer in the load process. */
  direct?: boolean
}

function planClasses(o: BenchOptions, routes: Set<string>): PlannedClass[] {
  return Object.entries(o.mix).map(([name, mix]): PlannedClass => {
    const cls = TRAFFIC_CLASSES[name]
    if (!cls) return { name, ...mix, run: false, reason: 'unknown class' }
    if (mix.connections <= 0) return { name, ...mix, run: false, reason: 'disabled in the mix' }
    const missing = cls.requires.filter((r) => !routes.has(r))
    if (missing.length && name === PROBE_WRITE) {
      return { name, ...mix, run: false, direct: true, reason: `server lacks ${missing.join(', ')}: a Quad runtime in the load process writes instead` }
    }
    if (missing.length) return { name, ...mix, run: false, reason: `server lacks ${missing.join(', ')}` }
    return { name, ...mix, run: true }
  })
}

interface BaselineOutcome {
  quad: LoadResult
  bare: LoadResult
  quadCpu: number
  bareCpu: number
  /** CPU of the load process during each side (100 % = it was the bottleneck). */
  loadCpu: { quad: number; bare: number }
  bodyBytes: number
  encoding: string
}

/**
 * Quad's cached GET /api/clubs against a bare Node server sending the very same bytes and
 * headers, measured by the same load process with the same connections and duration.
 */
async function compareWithBaseline(o: BenchOptions, ui: Ui, load: LoadProcess, server: QuadServer, fx: Fixtures): Promise<BaselineOutcome> {
  const headers = { accept: 'application/json', 'accept-encoding': 'gzip, deflate, br', 'user-agent': 'quad-bench' }
  let recorded = await recordResponse(`${server.url}/api/clubs`, headers)
  for (let i = 0; i < 20 && !/;\s*hit\b/.test(recorded.headers['cache-status'] ?? ''); i++) {
    await new Promise((r) => setTimeout(r, 50))
    recorded = await recordResponse(`${server.url}/api/clubs`, headers)
  }
  if (recorded.status !== 200) throw new Error(`GET /api/clubs answered ${recorded.status}`)
  const plan = (target: string): LoadPlan => ({
    targets: [target],
    durationS: o.baselineDuration,
    classes: [{ name: 'cached-list', connections: o.baselineConnections, rate: 0 }],
    fixtures: fx,
    randomSeed: o.randomSeed,
    log: false,
  })
  const sampled = async (pid: number, phase: string, target: string) => {
    const s = new ProcSampler([pid, load.pid])
    s.start()
    const r = await measure(load, ui, phase, plan(target))
    s.stop()
    const [server, generator] = s.summary()
    return { r, cpu: server!.cpu_avg_pct, loadCpu: generator!.cpu_avg_pct }
  }
  const quad = await sampled(server.pid, 'quad cached list', server.url)
  const bare = await BaselineServer.start(recorded, o.out)
  try {
    const b = await sampled(bare.pid, 'bare node baseline', bare.url)
    return {
      quad: quad.r,
      bare: b.r,
      quadCpu: quad.cpu,
      bareCpu: b.cpu,
      loadCpu: { quad: quad.loadCpu, bare: b.loadCpu },
      bodyBytes: recorded.bytes,
      encoding: recorded.headers['content-encoding'] ?? 'identity',
    }
  } finally {
    await bare.stop()
  }
}

export async function runBench(o: BenchOptions, ui: Ui, cleanup: Cleanup): Promise<BenchReport> {
  mkdirSync(o.out, { recursive: true })
  const startedAt = new Date()
  const notes: string[] = []
  // Started first: it loads while the database is prepared.
  const load = new LoadProcess()
  cleanup.add(() => load.close(), () => load.kill())

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
  const serverOpts = (i: number): ServerOptions => ({
    databaseUrl: db.url,
    redisUrl: redis.url,
    secret,
    logFile: path.join(o.out, `server-${i}.log`),
    nodeArgs: o.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', o.cpuProfDir] : [],
  })

  // The database's own counters are read before the servers start and after they stop (a backend
  // reports them when it exits), so they cover the servers' whole life: startup, the baseline
  // phase (cached reads of one URL) and the scenario.
  const before: PgCounters = await pgCounters(db.adminUrl, db.name)
  ui.step(`starting ${o.instances} Quad instance(s)`)
  const main = await startServers(o.instances, serverOpts, cleanup)
  const routes = await availableRoutes(main.servers[0]!.url)
  const caps = await capabilities(main.servers[0]!.url)
  const baseline = await compareWithBaseline(o, ui, load, main.servers[0]!, fx)
  ui.step('baseline measured')

  const classes = planClasses(o, routes)
  for (const c of classes.filter((c) => !c.run && c.connections > 0)) notes.push(`class ${c.name} not run: ${c.reason}`)
  const probeWrite = classes.find((c) => c.name === PROBE_WRITE)
  const directWriter = probeWrite?.direct && fx.lanes.length > 0
  // The load process is sampled too: a saturated generator would cap what it can measure.
  const sampler = new ProcSampler([...main.servers.map((s) => s.pid), load.pid])
  const plan: LoadPlan = {
    targets: main.servers.map((s) => s.url),
    durationS: o.duration,
    classes: classes.filter((c) => c.run).map(({ name, connections, rate }) => ({ name, connections, rate })),
    fixtures: fx,
    randomSeed: o.randomSeed,
    log: false,
    ...(directWriter
      ? {
          directWriter: {
            env: { NODE_ENV: 'production', DATABASE_URL: db.url, REDIS_URL: redis.url, QUAD_SECRET: secret, QUAD_SEED_DEMO: '0', LOG_LEVEL: 'silent' },
            // The class's rate counts the edit and the approval; the direct writer makes one write of each pair.
            rate: probeWrite!.rate / 2,
          },
        }
      : {}),
  }
  const warm = await warmUp(plan.targets, fx)
  ui.step(`warm-up: ${warm.requests} public pages requested once per instance in ${(warm.ms / 1000).toFixed(1)} s (${warm.errors} errors)`)
  notes.push(`warm-up before measuring: ${warm.requests} requests of every public page once per instance, ${warm.errors} errors, ${warm.ms} ms`)
  // Statement statistics cover the scenario only: reset after the warm-up, read when it ends.
  let statementsFrom = 0
  if (db.statements.available) {
    await resetStatements(db.adminUrl)
    statementsFrom = performance.now()
  }
  sampler.start()
  const result = await measure(load, ui, 'deadline day', plan)
  sampler.stop()
  const statements: StatementsReport = db.statements.available
    ? await readStatements(db.adminUrl, db.name, (performance.now() - statementsFrom) / 1000).catch((err: Error): StatementsReport => ({ available: false, reason: `reading pg_stat_statements failed: ${err.message}` }))
    : db.statements
  ui.step('stopping the scenario servers, reading database counters, checking acknowledged writes')
  await main.stop()
  const after: PgCounters = await pgCounters(db.adminUrl, db.name)
  const writes = await withDb(db.url, (kdb) => verifyWrites(kdb, result.acknowledged))

  const drills = await runDrills(o, ui, load, cleanup, { routes, watchdog: caps.watchdog, admission: caps.admission })

  return buildReport({
    o,
    startedAt,
    finishedAt: new Date(),
    db,
    sizes,
    classes,
    result,
    pg: { before, after },
    writes,
    sampler,
    pids: main.servers.map((s) => s.pid),
    baseline,
    writer: plan.directWriter ? 'direct' : probeWrite?.run ? 'http' : 'none',
    drills,
    statements,
    notes,
  })
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

export type { BaselineOutcome }
