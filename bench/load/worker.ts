// The load process: receives a plan over IPC, drives every traffic class with autocannon against
// the Quad instances, and sends back what it measured. Started by bench/load/client.ts.
import { Random } from '../../src/seed/random.js'
import { TRAFFIC_CLASSES } from '../traffic/index.js'
import { INTERNAL_CLASSES } from '../traffic/internal.js'
import { Consistency } from './consistency.js'
import { DirectWriter } from './direct-writer.js'
import { Ledger } from './ledger.js'
import type { FromWorker, LoadPlan, ToWorker } from './protocol.js'
import { runStream, type Stream } from './runner.js'
import { Stats } from './stats.js'

const send = (m: FromWorker) =>
  new Promise<void>((resolve) => {
    if (!process.send) return resolve()
    process.send(m, undefined, {}, () => resolve())
  })

/** Splits a class's connections (and rate in proportion) over the targets. */
export function split(connections: number, rate: number, targets: number): { target: number; connections: number; rate: number }[] {
  const out = []
  for (let t = 0; t < targets; t++) {
    const c = Math.floor(connections / targets) + (t < connections % targets ? 1 : 0)
    if (c > 0) out.push({ target: t, connections: c, rate: rate > 0 ? Math.max(1, (rate * c) / connections) : 0 })
  }
  return out
}

async function run(plan: LoadPlan, onStop: (stop: () => void) => void): Promise<void> {
  const stats = new Stats({ log: plan.log })
  const consistency = new Consistency()
  const ledger = new Ledger()
  const streams: Stream[] = []
  let seed = plan.randomSeed
  for (const mix of plan.classes) {
    const cls = TRAFFIC_CLASSES[mix.name] ?? INTERNAL_CLASSES[mix.name]
    if (!cls || mix.connections <= 0) continue
    const parts = split(mix.connections, mix.rate, plan.targets.length)
    for (const [index, part] of parts.entries()) {
      // Each stream has its own random sequence, so adding a class does not change the others.
      const specs = cls.build({ fx: plan.fixtures, rng: new Random(++seed * 7919), consistency, ledger, part: { index, count: parts.length } })
      if (specs.length) streams.push({ name: cls.name, url: plan.targets[part.target]!, connections: part.connections, rate: part.rate, specs })
    }
  }

  const writer = plan.directWriter ? await DirectWriter.open(plan.directWriter.env) : null
  const startedAt = Date.now()
  stats.start()
  void send({ type: 'started', at: startedAt })
  const runs = streams.map((s) => runStream(s, plan.durationS, stats))
  const writing = writer
    ? writer.run({ lanes: plan.fixtures.lanes, rate: plan.directWriter!.rate, durationS: plan.durationS, consistency }).finally(() => writer.close())
    : Promise.resolve()
  const t0 = performance.now()
  const ticker = setInterval(() => {
    void send({ type: 'progress', elapsedS: (performance.now() - t0) / 1000, responses: stats.total, errors: stats.totalErrors })
  }, 500)
  onStop(() => runs.forEach((r) => r.stop()))
  try {
    await Promise.all([...runs.map((r) => r.finished), writing])
  } finally {
    clearInterval(ticker)
  }
  stats.stop()
  await send({
    type: 'result',
    result: { stats: stats.snapshot(), consistency: consistency.summary(), acknowledged: ledger.toJSON(), anomalies: ledger.anomalyCounts(), startedAt, stoppedAt: Date.now() },
  })
}

// Plans run one after the other; the process stays up between them (starting it costs seconds).
let current: Promise<void> = Promise.resolve()
let stopCurrent: (() => void) | null = null
process.on('message', (m: ToWorker) => {
  if (m.type === 'stop') stopCurrent?.()
  else if (m.type === 'exit') void current.finally(() => process.exit(0))
  else if (m.type === 'plan') {
    current = current.then(() =>
      run(m.plan, (stop) => (stopCurrent = stop)).catch((err: Error) => send({ type: 'error', message: err.stack ?? String(err) })),
    )
  }
})
process.on('disconnect', () => process.exit(0))
