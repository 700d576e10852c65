import { compareWithBaseline } from './baseline/compare.js'
import type { Cleanup } from './cleanup.js'
import { type PgCounters, pgCounters } from './database.js'
import { runDrills } from './drills/index.js'
import { LoadProcess } from './load/client.js'
import type { LoadPlan, LoadResult } from './load/protocol.js'
import { type BenchOptions, PROBE_WRITE } from './options.js'
import { ProcSampler } from './procstat.js'
import { buildReport } from './report/build.js'
import type { BenchReport } from './report/types.js'
import { MemorySampler } from './memory.js'
import { availableRoutes, capabilities, QuadServer, type ServerOptions } from './server.js'
import { readStatements, resetStatements, type StatementsReport } from './statements.js'
import { TRAFFIC_CLASSES } from './traffic/index.js'
import type { Ui } from './ui.js'
import { verifyWrites } from './verify.js'
import { warmUp } from './warmup.js'
import { openWorld, withDb } from './world.js'

export { withDb }

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

export async function runBench(o: BenchOptions, ui: Ui, cleanup: Cleanup): Promise<BenchReport> {
  const startedAt = new Date()
  const notes: string[] = []
  // Started first: it loads while the database is prepared.
  const load = new LoadProcess()
  cleanup.add(() => load.close(), () => load.kill())
  const { db, redis, fx, sizes, secret, serverOpts } = await openWorld(o, ui, cleanup, notes)

  // The database's own counters are read before the servers start and after they stop (a backend
  // reports them when it exits), so they cover the servers' whole life: startup, the baseline
  // phase (cached reads of one URL) and the scenario.
  const before: PgCounters = await pgCounters(db.adminUrl, db.name)
  ui.step(`starting ${o.instances} Quad instance(s)`)
  const main = await startServers(o.instances, serverOpts, cleanup)
  const routes = await availableRoutes(main.servers[0]!.url)
  const caps = await capabilities(main.servers[0]!.url)
  const baseline = await compareWithBaseline(o, ui, main.servers[0]!, fx, cleanup)
  ui.step(baseline.available ? 'baseline measured' : `baseline not measured: ${baseline.reason}`)

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
  // Memory per instance: sampled through the run, and once more after the full mix has run.
  const memory = new MemorySampler(
    main.servers.map((s) => ({ pid: s.pid, url: s.url })),
    Math.max(2000, (o.duration * 1000) / 300),
  )
  sampler.start()
  memory.start()
  const result = await measure(load, ui, 'deadline day', plan)
  sampler.stop()
  await memory.stop()
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
    memory: memory.report(o.maxRssSlope),
    writer: plan.directWriter ? 'direct' : probeWrite?.run ? 'http' : 'none',
    drills,
    statements,
    notes,
  })
}


