import type { StepResult } from '../open/protocol.js'

/** What a step must meet to count as served (the definition of capacity). */
export interface Criteria {
  readP99Ms: number
  writeP99Ms: number
  /** Achieved rate within this fraction of the offered rate. */
  rateTolerance: number
  /** The generator's own lag p99 above this means it fell behind: the step fails as not measured. */
  maxLagP99Ms: number
}

export const CRITERIA: Criteria = { readP99Ms: 100, writeP99Ms: 200, rateTolerance: 0.02, maxLagP99Ms: 25 }

/** How the rate of a step was chosen. */
export type Phase = 'ramp' | 'down' | 'refine'

export type Criterion = 'read_p99' | 'write_p99' | 'errors' | 'rate' | 'lag'

export interface Verdict {
  rate: number
  phase: Phase
  pass: boolean
  /** The criteria the step missed, each with what was measured. */
  failures: { criterion: Criterion; detail: string }[]
  /** The generator's lag was over the limit: its latency and rate figures are partly the generator's. */
  generator_behind: boolean
}

/** Judges one step against the criteria: errors include 503s (shed) and requests without a response. */
export function judgeStep(r: StepResult, phase: Phase, c: Criteria = CRITERIA): Verdict {
  const failures: Verdict['failures'] = []
  const miss = (criterion: Criterion, detail: string) => failures.push({ criterion, detail })
  if (r.read.count && r.read.p99 > c.readP99Ms) miss('read_p99', `read p99 ${r.read.p99} ms > ${c.readP99Ms} ms`)
  if (r.write.count && r.write.p99 > c.writeP99Ms) miss('write_p99', `write p99 ${r.write.p99} ms > ${c.writeP99Ms} ms`)
  const errors = r.shed + r.server_errors + r.connection_errors + r.timeouts
  if (errors > 0) miss('errors', `${errors} errors (${r.shed} shed 503, ${r.server_errors} other 5xx, ${r.connection_errors} connection, ${r.timeouts} timeouts)`)
  if (Math.abs(r.achieved_rps - r.rate) > c.rateTolerance * r.rate) miss('rate', `achieved ${r.achieved_rps} req/s, not within ${c.rateTolerance * 100} % of ${r.rate}`)
  const behind = r.lag_ms.p99 > c.maxLagP99Ms
  if (behind) miss('lag', `generator behind: lag p99 ${r.lag_ms.p99} ms > ${c.maxLagP99Ms} ms (CPU ${r.generator.cpu_pct} %)`)
  return { rate: r.rate, phase, pass: failures.length === 0, failures, generator_behind: behind }
}

export interface SearchConfig {
  start: number
  factor: number
  /** Bisection steps between the highest passing and the lowest failing rate. */
  refine: number
  maxRate: number
  /** Below this, stepping down gives up (capacity 0). */
  minRate: number
}

/** The highest passing rate below the lowest failing one, and that failing rate. */
function bracket(history: Verdict[]): { pass: number | null; fail: number | null } {
  const fails = history.filter((v) => !v.pass).map((v) => v.rate)
  const fail = fails.length ? Math.min(...fails) : null
  const passes = history.filter((v) => v.pass && (fail === null || v.rate < fail)).map((v) => v.rate)
  return { pass: passes.length ? Math.max(...passes) : null, fail }
}

/**
 * The next step's rate, or null when the search is over: raise by `factor` until a step fails;
 * if the very first rates fail, halve until one passes; then bisect (geometric mean) between the
 * highest pass and the lowest failure `refine` times, while they are more than 3 % apart.
 */
export function nextStep(history: Verdict[], cfg: SearchConfig): { rate: number; phase: Phase } | null {
  if (!history.length) return { rate: Math.round(cfg.start), phase: 'ramp' }
  const { pass, fail } = bracket(history)
  if (fail === null) {
    const rate = Math.round(history.at(-1)!.rate * cfg.factor)
    return rate <= cfg.maxRate ? { rate, phase: 'ramp' } : null
  }
  if (pass === null) {
    const rate = Math.round(fail / 2)
    return rate >= cfg.minRate ? { rate, phase: 'down' } : null
  }
  const refined = history.filter((v) => v.phase === 'refine').length
  if (refined >= cfg.refine || fail / pass <= 1.03) return null
  return { rate: Math.round(Math.sqrt(pass * fail)), phase: 'refine' }
}

export interface Capacity {
  /** Highest offered rate that met every criterion (below any rate that did not); 0 when none did. */
  capacity_rps: number
  /**
   * What ended the search: `server` (Quad missed a criterion at the next rate), `generator` (the
   * generator fell behind at the next rate and there were no errors: capacity is a lower bound),
   * `max-rate` (every step passed up to --capacity-max-rate: a lower bound too).
   */
  limited_by: 'server' | 'generator' | 'max-rate'
  /** The lowest rate that failed, null when none did. */
  first_failing_rps: number | null
}

export function capacityOf(history: Verdict[]): Capacity {
  const { pass, fail } = bracket(history)
  const failed = history.find((v) => !v.pass && v.rate === fail)
  // Errors are the server's whatever the generator did; late sending explains latency and rate.
  const generator = failed?.generator_behind && !failed.failures.some((f) => f.criterion === 'errors')
  return { capacity_rps: pass ?? 0, limited_by: fail === null ? 'max-rate' : generator ? 'generator' : 'server', first_failing_rps: fail }
}
