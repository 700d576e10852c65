import * as hdr from 'hdr-histogram-js'
import { type Dispatcher, Pool } from 'undici'
import { Random } from '../../src/seed/random.js'
import { Consistency } from '../load/consistency.js'
import { Ledger } from '../load/ledger.js'
import { headersFor, lowerHeaders } from '../traffic/headers.js'
import { TRAFFIC_CLASSES } from '../traffic/index.js'
import type { Conn, RequestSpec } from '../traffic/types.js'
import type { LatencySummary, OpenFinal, OpenInit, OpenStep, StepResult } from './protocol.js'
import { keepOnly, SharePicker, type Shares } from './shares.js'

/** One simulated user of a class: where it is in the class's request sequence, and its state. */
interface Cursor {
  conn: Conn
  index: number
}

/** A class's requests to one target; a user is created whenever an arrival finds none idle. */
interface Lane {
  pool: Pool
  specs: RequestSpec[]
  idle: Cursor[]
  serial: boolean
  busy: boolean
  /** Due times of arrivals waiting for a serial lane's one user. */
  waiting: number[]
}

const histogram = () => hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 120_000_000, numberOfSignificantValueDigits: 3 })
const us = (ms: number) => Math.max(1, Math.round(ms * 1000))

function summary(h: hdr.Histogram): LatencySummary {
  const at = (p: number) => (h.totalCount ? Math.round(Math.min(h.getValueAtPercentile(p), h.maxValue)) / 1000 : 0)
  return { count: h.totalCount, p50: at(50), p90: at(90), p99: at(99), max: h.totalCount ? Math.round(h.maxValue) / 1000 : 0 }
}

/** Everything counted for the requests due in one step's judged window. */
class StepRecorder {
  readonly read = histogram()
  readonly write = histogram()
  readonly admitted = histogram()
  readonly lag = histogram()
  scheduled = 0
  answeredInWindow = 0
  ok = 0
  shed = 0
  serverErrors = 0
  connectionErrors = 0
  timeouts = 0
  unexpected = 0
  inFlightMax = 0
  responses = 0
  errors = 0
  readonly statuses = new Map<number, number>()
  readonly examples = new Map<string, number>()
  readonly classes = new Map<string, { requests: number; ok: number; errors: number }>()

  example(what: string) {
    if (this.examples.has(what) || this.examples.size < 8) this.examples.set(what, (this.examples.get(what) ?? 0) + 1)
  }

  cls(name: string) {
    let c = this.classes.get(name)
    if (!c) this.classes.set(name, (c = { requests: 0, ok: 0, errors: 0 }))
    return c
  }
}

/**
 * The open-loop generator: requests are sent when they are due (rate × time), whether or not
 * earlier ones were answered, so a slow server meets a growing queue as it would in production.
 * Latency is measured from when a request was due, so a late generator or a full connection pool
 * shows as latency too; the generator's own lateness is reported apart (lag_ms) to tell them apart.
 */
export class OpenLoop {
  private readonly pools: Pool[]
  private readonly lanes = new Map<string, Lane[]>()
  private readonly turn = new Map<string, number>()
  private readonly picker: SharePicker
  readonly shares: Shares
  private readonly consistency = new Consistency()
  private readonly ledger = new Ledger()
  private inFlight = 0
  private waiting = 0
  private rec: StepRecorder | null = null
  private window = { from: 0, to: 0 }
  private drained: (() => void) | null = null

  constructor(init: OpenInit) {
    this.pools = init.targets.map(
      (t) =>
        new Pool(t, {
          connections: init.connections,
          pipelining: 1,
          keepAliveTimeout: 60_000,
          headersTimeout: init.timeoutMs,
          bodyTimeout: init.timeoutMs,
          connect: { timeout: 5000 },
        }),
    )
    let seed = init.randomSeed
    for (const name of Object.keys(init.shares)) {
      const cls = TRAFFIC_CLASSES[name]
      if (!cls) continue
      const lanes: Lane[] = []
      // A serial class has one user in all: two writers would interleave their versions.
      const pools = cls.serial ? this.pools.slice(0, 1) : this.pools
      for (const [index, pool] of pools.entries()) {
        // Each lane has its own random sequence, as the closed-loop runner's streams do.
        const specs = cls.build({ fx: init.fixtures, rng: new Random(++seed * 7919), consistency: this.consistency, ledger: this.ledger, part: { index, count: pools.length } })
        if (specs.length) lanes.push({ pool, specs, idle: [], serial: Boolean(cls.serial), busy: false, waiting: [] })
      }
      if (lanes.length) this.lanes.set(name, lanes)
    }
    this.shares = keepOnly(init.shares, (n) => this.lanes.has(n))
    this.picker = new SharePicker(this.shares)
  }

  async step(s: OpenStep, progress: (elapsedS: number, responses: number, errors: number) => void): Promise<StepResult> {
    const rec = (this.rec = new StepRecorder())
    const interval = 1000 / s.rate
    const total = Math.round(s.rate * (s.warmupS + s.durationS))
    const t0 = performance.now() + 20
    this.window = { from: t0 + s.warmupS * 1000, to: t0 + (s.warmupS + s.durationS) * 1000 }
    let cpu0 = process.cpuUsage()
    let elu0 = performance.eventLoopUtilization()
    let wall0 = performance.now()
    let measuring = false
    const ticker = setInterval(() => progress((performance.now() - t0) / 1000, rec.responses, rec.errors), 500)
    let i = 0
    await new Promise<void>((resolve) => {
      const tick = () => {
        const now = performance.now()
        if (!measuring && now >= this.window.from) {
          measuring = true
          cpu0 = process.cpuUsage()
          elu0 = performance.eventLoopUtilization()
          wall0 = now
        }
        for (; i < total; i++) {
          const due = t0 + i * interval
          if (due > now) break
          const judged = due >= this.window.from && due < this.window.to
          if (judged) {
            rec.scheduled++
            rec.lag.recordValue(us(now - due))
          }
          this.arrive(due)
        }
        if (i >= total) return resolve()
        setTimeout(tick, Math.max(0, t0 + i * interval - performance.now()))
      }
      setTimeout(tick, Math.max(0, t0 - performance.now()))
    })
    const cpu = process.cpuUsage(cpu0)
    const elu = performance.eventLoopUtilization(elu0)
    const wall = performance.now() - wall0
    // Wait for the step's last answers (each one ends by the request timeout at the latest).
    if (this.inFlight + this.waiting > 0) await new Promise<void>((r) => (this.drained = r))
    clearInterval(ticker)
    this.rec = null
    const windowS = s.durationS
    return {
      rate: s.rate,
      window_s: windowS,
      scheduled: rec.scheduled,
      achieved_rps: Math.round((rec.answeredInWindow / windowS) * 10) / 10,
      read: summary(rec.read),
      write: summary(rec.write),
      admitted: summary(rec.admitted),
      goodput_rps: Math.round((rec.ok / windowS) * 10) / 10,
      ok: rec.ok,
      shed: rec.shed,
      server_errors: rec.serverErrors,
      connection_errors: rec.connectionErrors,
      timeouts: rec.timeouts,
      unexpected: rec.unexpected,
      statuses: Object.fromEntries([...rec.statuses].sort((a, b) => a[0] - b[0]).map(([k, v]) => [String(k), v])),
      error_examples: [...rec.examples].map(([k, v]) => `${k} (${v})`),
      classes: Object.fromEntries([...rec.classes].sort((a, b) => a[0].localeCompare(b[0]))),
      lag_ms: (({ p50, p99, max }) => ({ p50, p99, max }))(summary(rec.lag)),
      in_flight_max: rec.inFlightMax,
      generator: { cpu_pct: wall > 0 ? Math.round(((cpu.user + cpu.system) / 1000 / wall) * 1000) / 10 : 0, elu: Math.round(elu.utilization * 1000) / 1000 },
    }
  }

  /** A request is due: the next class by share, the next target of that class, an idle user. */
  private arrive(due: number): void {
    const name = this.picker.next()
    const lanes = this.lanes.get(name)!
    const k = this.turn.get(name) ?? 0
    this.turn.set(name, (k + 1) % lanes.length)
    const lane = lanes[k]!
    if (lane.serial && lane.busy) {
      lane.waiting.push(due)
      this.waiting++
      return
    }
    if (lane.serial) lane.busy = true
    this.send(name, lane, lane.idle.pop() ?? { conn: {}, index: 0 }, due)
  }

  private send(name: string, lane: Lane, cursor: Cursor, due: number): void {
    let spec = lane.specs[cursor.index]!
    let out = spec.next(cursor.conn)
    if (!out) {
      // The sequence ends early: this user starts over (the first request is never skipped).
      cursor.index = 0
      cursor.conn = {}
      spec = lane.specs[0]!
      out = spec.next(cursor.conn)!
    }
    const judged = due >= this.window.from && due < this.window.to
    const rec = this.rec
    this.inFlight++
    if (rec && this.inFlight > rec.inFlightMax) rec.inFlightMax = this.inFlight
    const sentAt = performance.now()
    let status = 0
    let headers: Record<string, string | string[] | undefined> = {}
    const chunks: Buffer[] | null = spec.readBody ? [] : null
    const handler: Dispatcher.DispatchHandler = {
      // Its presence selects undici's controller-style handler API.
      onRequestStart: () => {},
      onResponseStart: (_c, statusCode, h) => {
        status = statusCode
        headers = h
      },
      onResponseData: (_c, chunk) => {
        chunks?.push(chunk)
      },
      onResponseEnd: () => this.answered(name, lane, cursor, spec, due, judged, sentAt, status, headers, chunks),
      onResponseError: (_c, err) => this.failed(name, lane, cursor, judged, err),
    }
    try {
      lane.pool.dispatch({ path: out.path, method: spec.method, headers: headersFor(spec, out, cursor.conn), body: out.body === undefined ? null : JSON.stringify(out.body) }, handler)
    } catch (err) {
      this.failed(name, lane, cursor, judged, err as Error)
    }
  }

  private answered(name: string, lane: Lane, cursor: Cursor, spec: RequestSpec, due: number, judged: boolean, sentAt: number, status: number, raw: Record<string, string | string[] | undefined>, chunks: Buffer[] | null): void {
    const now = performance.now()
    const rec = this.rec
    const ok = (spec.ok ?? [200, 304]).includes(status)
    if (rec) {
      rec.responses++
      if (now >= this.window.from && now < this.window.to) rec.answeredInWindow++
      if (judged) {
        const latency = us(now - due)
        ;(spec.method === 'GET' ? rec.read : rec.write).recordValue(latency)
        if (status !== 503) rec.admitted.recordValue(latency)
        rec.statuses.set(status, (rec.statuses.get(status) ?? 0) + 1)
        const c = rec.cls(name)
        c.requests++
        if (ok) {
          rec.ok++
          c.ok++
        } else {
          c.errors++
          rec.errors++
          if (status === 503) rec.shed++
          else if (status >= 500) rec.serverErrors++
          else rec.unexpected++
          if (status !== 503) rec.example(`${status} ${spec.route}`)
        }
      }
    }
    const { headers, setCookie } = lowerHeaders(raw as Record<string, string | string[]>)
    for (const c of setCookie) {
      const m = /^quad_ryw=([^;]*)/.exec(c)
      if (m) cursor.conn.__ryw = m[1]
    }
    try {
      spec.done?.({ status, headers, body: chunks ? Buffer.concat(chunks).toString('utf8') : '', sentAt, doneAt: now }, cursor.conn)
    } catch {
      // A body the class could not read (cut short): the user starts over.
      cursor.index = lane.specs.length
    }
    cursor.index++
    if (cursor.index >= lane.specs.length) {
      cursor.index = 0
      cursor.conn = {}
    }
    this.release(name, lane, cursor)
  }

  private failed(name: string, lane: Lane, cursor: Cursor, judged: boolean, err: Error): void {
    const rec = this.rec
    if (rec && judged) {
      rec.errors++
      rec.responses++
      rec.cls(name).requests++
      rec.cls(name).errors++
      const code = (err as { code?: string }).code ?? ''
      if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') rec.timeouts++
      else rec.connectionErrors++
      rec.example(`${code || err.name}: ${err.message.slice(0, 80)}`)
    }
    cursor.index = 0
    cursor.conn = {}
    this.release(name, lane, cursor)
  }

  private release(name: string, lane: Lane, cursor: Cursor): void {
    this.inFlight--
    const next = lane.waiting.shift()
    if (next !== undefined) {
      this.waiting--
      this.send(name, lane, cursor, next)
    } else {
      lane.busy = false
      lane.idle.push(cursor)
    }
    if (this.inFlight + this.waiting === 0 && this.drained) {
      const d = this.drained
      this.drained = null
      d()
    }
  }

  final(): OpenFinal {
    return { consistency: this.consistency.summary(), acknowledged: this.ledger.toJSON(), anomalies: this.ledger.anomalyCounts(), shares: this.shares }
  }

  async close(): Promise<void> {
    await Promise.all(this.pools.map((p) => p.close().catch(() => {})))
  }
}
