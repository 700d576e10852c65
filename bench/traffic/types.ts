import type { Random } from '../../src/seed/random.js'
import type { ClassMix } from '../options.js'
import type { Fixtures, SessionFx } from '../fixtures.js'
import type { Consistency } from '../load/consistency.js'
import type { Ledger } from '../load/ledger.js'

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

/** What one request of a sequence sends this time. */
export interface Outgoing {
  path: string
  body?: unknown
  /** Who sends it; null = anonymous. Adds the session and CSRF cookies and header. */
  as?: SessionFx | null
  headers?: Record<string, string>
}

/** A response as the traffic class sees it. */
export interface Incoming {
  status: number
  headers: Record<string, string>
  /** Only when the request asked for it (readBody), decoded as UTF-8 JSON text. */
  body: string
  /** performance.now() when the request was written and when its response completed. */
  sentAt: number
  doneAt: number
}

/** Per-connection state; autocannon resets it each time the sequence starts over. */
export type Conn = Record<string, unknown>

export interface RequestSpec {
  /** Route template used as the row of the report, e.g. 'GET /api/clubs/:code'. */
  route: string
  method: Method
  /** Builds the request; null skips the rest of the sequence (it starts over). Never null first. */
  next(conn: Conn): Outgoing | null
  /** Statuses that count as answered correctly (default 200 and 304). */
  ok?: readonly number[]
  /** The body is needed by done(): ask for identity encoding. */
  readBody?: boolean
  done?(res: Incoming, conn: Conn): void
}

export interface ClassContext {
  fx: Fixtures
  rng: Random
  consistency: Consistency
  ledger: Ledger
  /** This stream among the class's streams (one per instance): classes that write split their users. */
  part: { index: number; count: number }
}

/**
 * One kind of deadline-day visitor. A class is a short sequence of requests that each connection
 * repeats; the runner gives it connections and a rate from the mix.
 */
export interface TrafficClass {
  name: string
  summary: string
  /** Routes (as 'METHOD /path/:param') the class calls; it is skipped if the server lacks one. */
  requires: readonly string[]
  defaults: ClassMix
  /** Its requests must go one at a time (the open-loop generator queues arrivals while one is out). */
  serial?: boolean
  build(ctx: ClassContext): RequestSpec[]
}
