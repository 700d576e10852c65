import { readFileSync } from 'node:fs'
import type { Cleanup } from '../cleanup.js'
import { MemorySampler } from '../memory.js'
import { OpenLoopProcess } from '../open/client.js'
import type { OpenStep } from '../open/protocol.js'
import { keepOnly, parseShares } from '../open/shares.js'
import type { BenchOptions } from '../options.js'
import { ProcSampler } from '../procstat.js'
import { startServers } from '../run.js'
import { availableRoutes } from '../server.js'
import { TRAFFIC_CLASSES } from '../traffic/index.js'
import type { Ui } from '../ui.js'
import { verifyWrites } from '../verify.js'
import { warmUp } from '../warmup.js'
import { openWorld, withDb } from '../world.js'
import { capacityOf, CRITERIA, judgeStep, nextStep, type Phase, type Verdict } from './search.js'
import type { CapacityReport, OverloadRecord, StepRecord } from './types.js'

const REQUEST_TIMEOUT_MS = 10_000
const OVERLOAD_FACTOR = 3

/**
 * `--find-capacity`: the deadline mix offered at a constant arrival rate (open loop) to every
 * instance, raised step by step until a step misses the criteria, then one step at three times
 * the capacity found.
 */
export async function runCapacity(o: BenchOptions, ui: Ui, cleanup: Cleanup): Promise<CapacityReport> {
  const startedAt = new Date()
  const notes: string[] = []
  const c = o.capacity
  // Started first: it loads while the database is prepared.
  const gen = new OpenLoopProcess()
  cleanup.add(() => gen.close(), () => gen.kill())
  const world = await openWorld(o, ui, cleanup, notes)
  ui.step(`starting ${o.instances} Quad instance(s)`)
  const main = await startServers(o.instances, world.serverOpts, cleanup)
  const targets = main.servers.map((s) => s.url)
  const routes = await availableRoutes(targets[0]!)

  const requested = parseShares(JSON.parse(readFileSync(c.mixFile, 'utf8')), Object.keys(TRAFFIC_CLASSES), c.mixFile)
  for (const name of Object.keys(requested)) {
    const missing = TRAFFIC_CLASSES[name]!.requires.filter((r) => !routes.has(r))
    if (missing.length) notes.push(`class ${name} not offered: server lacks ${missing.join(', ')}`)
  }
  const runnable = keepOnly(requested, (name) => TRAFFIC_CLASSES[name]!.requires.every((r) => routes.has(r)), c.mixFile)
  const alive = (what: string) => main.servers.forEach((s) => s.assertRunning(what))
  const warm = await warmUp(targets, world.fx)
  alive('the warm-up')
  ui.step(`warm-up: ${warm.requests} public pages requested once per instance in ${(warm.ms / 1000).toFixed(1)} s (${warm.errors} errors)`)
  const shares = await gen.init({ targets, fixtures: world.fx, randomSeed: o.randomSeed, shares: runnable, connections: c.connections, timeoutMs: REQUEST_TIMEOUT_MS })
  for (const name of Object.keys(runnable)) if (!(name in shares)) notes.push(`class ${name} not offered: the data set gives it nothing to request`)

  const pids = main.servers.map((s) => s.pid)
  const memory = new MemorySampler(
    main.servers.map((s) => ({ pid: s.pid, url: s.url })),
    2000,
  )
  memory.start()
  const whole = new ProcSampler([], 5000)
  whole.start()
  const run = async (label: string, step: OpenStep): Promise<{ result: Awaited<ReturnType<OpenLoopProcess['step']>>; server_cpu_pct: number[]; machine_busy_pct: number }> => {
    const sampler = new ProcSampler(pids)
    const bar = ui.load(label, step.warmupS + step.durationS)
    sampler.start()
    try {
      const result = await gen.step(step, (p) => bar.tick(p))
      sampler.stop()
      alive(label)
      return { result, server_cpu_pct: sampler.summary().map((p) => p.cpu_avg_pct), machine_busy_pct: sampler.machine().busy_avg_pct }
    } finally {
      bar.done()
    }
  }
  const settle = () => new Promise((r) => setTimeout(r, 1000))

  // Connections opened and code warmed at the first rate before anything is judged.
  await run(`capacity warm-up ${Math.round(c.start)}/s`, { rate: c.start, warmupS: 0, durationS: Math.max(3, 2 * c.stepWarmup) })
  const steps: StepRecord[] = []
  const history: Verdict[] = []
  const search = { start: c.start, factor: c.factor, refine: c.refine, maxRate: c.maxRate, minRate: 10 }
  for (let next = nextStep(history, search); next; next = nextStep(history, search)) {
    await settle()
    const rec = await measured(run, next.rate, next.phase, c.stepWarmup, c.stepDuration)
    steps.push(rec)
    history.push(rec.verdict)
    ui.step(stepLine(rec))
  }
  const capacity = capacityOf(history)
  ui.step(`capacity ${capacity.capacity_rps} req/s (limited by ${capacity.limited_by})`)

  let overload: OverloadRecord | null = null
  if (capacity.capacity_rps > 0) {
    await settle()
    const rec = await measured(run, Math.round(OVERLOAD_FACTOR * capacity.capacity_rps), 'ramp', c.stepWarmup, c.stepDuration)
    overload = overloadRecord(rec, capacity.capacity_rps)
    ui.step(`3x capacity (${overload.rate}/s): admitted p99 ${overload.admitted_p99_ms} ms, goodput ${overload.goodput_rps}/s = ${(overload.goodput_fraction * 100).toFixed(0)} % of capacity, ${overload.shed} shed`)
  } else notes.push('no step met the criteria: no overload step')

  const final = await gen.finish()
  await memory.stop()
  whole.stop()
  ui.step('stopping the servers, checking acknowledged writes')
  await main.stop()
  const writes = await withDb(world.db.url, (kdb) => verifyWrites(kdb, final.acknowledged))
  const machine = whole.machine()
  const all = [...steps, ...(overload ? [overload.step] : [])]
  return {
    started_at: startedAt.toISOString(),
    finished_at: new Date().toISOString(),
    ...capacity,
    options: {
      scale: o.scale,
      instances: o.instances,
      random_seed: o.randomSeed,
      mix_file: c.mixFile,
      shares: Object.fromEntries(Object.entries(shares).map(([k, v]) => [k, Math.round(v * 10_000) / 10_000])),
      start: c.start,
      factor: c.factor,
      refine: c.refine,
      max_rate: c.maxRate,
      step_duration_s: c.stepDuration,
      step_warmup_s: c.stepWarmup,
      connections_per_instance: c.connections,
      request_timeout_ms: REQUEST_TIMEOUT_MS,
    },
    criteria: CRITERIA,
    machine: { ...machine, node: process.version },
    database: { server: world.db.server, ...world.sizes },
    steps,
    overload,
    generator: {
      pid: gen.pid,
      nice: gen.nice,
      cpu_max_pct: Math.max(0, ...all.map((s) => s.result.generator.cpu_pct)),
      lag_p99_max_ms: Math.max(0, ...all.map((s) => s.result.lag_ms.p99)),
    },
    memory: memory.report(o.maxRssSlope),
    consistency: final.consistency,
    writes,
    anomalies: final.anomalies,
    notes,
  }
}

async function measured(
  run: (label: string, step: OpenStep) => Promise<Omit<StepRecord, 'verdict'>>,
  rate: number,
  phase: Phase,
  warmupS: number,
  durationS: number,
): Promise<StepRecord> {
  const r = await run(`capacity ${rate}/s`, { rate, warmupS, durationS })
  return { verdict: judgeStep(r.result, phase), ...r }
}

export function overloadRecord(step: StepRecord, capacity: number): OverloadRecord {
  const r = step.result
  return {
    rate: r.rate,
    admitted_p99_ms: r.admitted.p99,
    admitted_p99_read_ms: r.read.count ? r.read.p99 : null,
    goodput_rps: r.goodput_rps,
    goodput_fraction: capacity > 0 ? Math.round((r.goodput_rps / capacity) * 1000) / 1000 : 0,
    shed: r.shed,
    shed_share: r.scheduled ? Math.round((r.shed / r.scheduled) * 1000) / 1000 : 0,
    other_errors: r.server_errors + r.connection_errors + r.timeouts,
    generator_kept_up: r.lag_ms.p99 <= CRITERIA.maxLagP99Ms,
    step,
  }
}

function stepLine(s: StepRecord): string {
  const r = s.result
  return `${s.verdict.pass ? 'pass' : 'FAIL'} ${String(r.rate).padStart(6)}/s (${s.verdict.phase}): achieved ${r.achieved_rps}/s, read p99 ${r.read.p99} ms, write p99 ${r.write.p99} ms, ${r.shed + r.server_errors + r.connection_errors + r.timeouts} errors, lag p99 ${r.lag_ms.p99} ms, generator CPU ${r.generator.cpu_pct} %, servers ${s.server_cpu_pct.join(' / ')} %${s.verdict.pass ? '' : ` — ${s.verdict.failures.map((f) => f.detail).join('; ')}`}`
}
