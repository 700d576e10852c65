import type { Fixtures } from '../fixtures.js'
import type { ConsistencySummary } from '../load/consistency.js'
import type { WriteKind } from '../load/ledger.js'
import type { Shares } from './shares.js'

/** What the open-loop generator is set up with once; its users' state carries over between steps. */
export interface OpenInit {
  targets: string[]
  fixtures: Fixtures
  randomSeed: number
  shares: Shares
  /** Most connections to each target. */
  connections: number
  /** A request without its response after this long counts as a timeout. */
  timeoutMs: number
}

/** One step: `rate` requests/s over all targets, warm-up first, then the judged window. */
export interface OpenStep {
  rate: number
  warmupS: number
  durationS: number
}

/** Latency in ms, measured from when the request was due (not when it went out). */
export interface LatencySummary {
  count: number
  p50: number
  p90: number
  p99: number
  max: number
}

export interface StepResult {
  rate: number
  window_s: number
  /** Requests due in the judged window. */
  scheduled: number
  /** Responses (any status) that arrived within the window, per second: what the system absorbed. */
  achieved_rps: number
  /** GET requests due in the window. */
  read: LatencySummary
  /** Every other method. */
  write: LatencySummary
  /** Every response but a 503 (shed): what admitted requests waited. */
  admitted: LatencySummary
  /** Responses with a status the class expects, per second of the window. */
  goodput_rps: number
  ok: number
  /** 503: refused by admission control. */
  shed: number
  /** Other 5xx. */
  server_errors: number
  connection_errors: number
  timeouts: number
  /** Answered with a status the class does not expect, below 500 (e.g. a 409). */
  unexpected: number
  statuses: Record<string, number>
  /** The first kinds of failure seen (error code, or status and route), with counts. */
  error_examples: string[]
  classes: Record<string, { requests: number; ok: number; errors: number }>
  /** How late the generator sent requests after they were due: its own lag, not the server's. */
  lag_ms: { p50: number; p99: number; max: number }
  in_flight_max: number
  /** The generator's CPU over the step (utime + stime, % of one core) and event-loop utilization (0..1). */
  generator: { cpu_pct: number; elu: number }
}

export interface OpenFinal {
  consistency: ConsistencySummary
  acknowledged: Partial<Record<WriteKind, string[]>>
  anomalies: Record<string, number>
  /** Classes that produced requests, with their shares (renormalized). */
  shares: Shares
}

export type ToOpen = { type: 'init'; init: OpenInit } | { type: 'step'; step: OpenStep } | { type: 'finish' } | { type: 'exit' }

export type FromOpen =
  | { type: 'ready'; shares: Shares }
  | { type: 'progress'; elapsedS: number; responses: number; errors: number }
  | { type: 'step-result'; result: StepResult }
  | { type: 'final'; final: OpenFinal }
  | { type: 'error'; message: string }
