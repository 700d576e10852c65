import type { MemoryReport } from '../memory.js'
import type { ConsistencySummary } from '../load/consistency.js'
import type { StepResult } from '../open/protocol.js'
import type { Shares } from '../open/shares.js'
import type { MachineSummary } from '../procstat.js'
import type { Capacity, Criteria, Verdict } from './search.js'

/** One step of the search as reported: what the generator measured, the verdict, and the CPU around it. */
export interface StepRecord {
  verdict: Verdict
  result: StepResult
  /** CPU of each Quad instance over the step (% of one core). */
  server_cpu_pct: number[]
  /** Busy share of the whole machine over the step. */
  machine_busy_pct: number
}

/** The step at three times capacity: what admission control keeps for the admitted requests. */
export interface OverloadRecord {
  rate: number
  /** p99 of every answer but a 503, from when it was due. */
  admitted_p99_ms: number
  admitted_p99_read_ms: number | null
  /** Responses with a status their class expects, per second. */
  goodput_rps: number
  /** goodput ÷ capacity. */
  goodput_fraction: number
  shed: number
  /** Shed share of the requests due in the window. */
  shed_share: number
  /** Errors other than shedding: other 5xx, connection errors, timeouts. */
  other_errors: number
  /** The generator kept up with 3× (lag p99 within the criteria): otherwise the figures are of a lower rate. */
  generator_kept_up: boolean
  step: StepRecord
}

export interface CapacityReport extends Capacity {
  started_at: string
  finished_at: string
  options: {
    scale: string
    instances: number
    random_seed: number
    mix_file: string
    /** The shares offered: the mix file's, over the classes this server and data set can run. */
    shares: Shares
    start: number
    factor: number
    refine: number
    max_rate: number
    step_duration_s: number
    step_warmup_s: number
    connections_per_instance: number
    request_timeout_ms: number
  }
  criteria: Criteria
  machine: MachineSummary & { node: string }
  database: { server: string; clubs: number; users: number; submissions: number }
  steps: StepRecord[]
  overload: OverloadRecord | null
  /** The open-loop generator's process: its highest CPU and lag over the steps. */
  generator: { pid: number; nice: number; cpu_max_pct: number; lag_p99_max_ms: number }
  memory: MemoryReport
  consistency: ConsistencySummary
  writes: Record<string, { acknowledged: number; found: number }>
  anomalies: Record<string, number>
  notes: string[]
}
