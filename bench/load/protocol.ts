import type { Fixtures } from '../fixtures.js'
import type { ConsistencySummary } from './consistency.js'
import type { WriteKind } from './ledger.js'
import type { StatsSnapshot } from './stats.js'

/** What the load process is asked to do. */
export interface LoadPlan {
  /** Base URLs of the Quad instances (http://127.0.0.1:PORT). */
  targets: string[]
  durationS: number
  /** Classes with their share of the load; split evenly over the targets. */
  classes: { name: string; connections: number; rate: number }[]
  fixtures: Fixtures
  randomSeed: number
  /** Keep every response (drills) for before/during/after analysis. */
  log: boolean
  /** Without an HTTP edit route, probe clubs are rewritten by a Quad runtime in the load process. */
  directWriter?: { env: Record<string, string>; rate: number }
}

export interface LoadResult {
  stats: StatsSnapshot
  consistency: ConsistencySummary
  acknowledged: Partial<Record<WriteKind, string[]>>
  /** Contradictions in what the server acknowledged, by kind. */
  anomalies: Record<string, number>
  /** Epoch ms when the load started and stopped. */
  startedAt: number
  stoppedAt: number
}

export type ToWorker = { type: 'plan'; plan: LoadPlan } | { type: 'stop' } | { type: 'exit' }

export type FromWorker =
  | { type: 'started'; at: number }
  | { type: 'progress'; elapsedS: number; responses: number; errors: number }
  | { type: 'result'; result: LoadResult }
  | { type: 'error'; message: string }
