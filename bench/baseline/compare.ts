import { execFileSync } from 'node:child_process'
import type { Cleanup } from '../cleanup.js'
import type { Fixtures } from '../fixtures.js'
import type { BenchOptions } from '../options.js'
import type { QuadServer } from '../server.js'
import type { Ui } from '../ui.js'
import { ensureWrk } from '../wrk/install.js'
import { runWrk } from '../wrk/run.js'
import { BaselineServer } from './bare.js'
import type { BareEntry } from './bare-key.js'
import { baselineCells, type Cell, type CellInfo, type Measurement, type RatioTable, ratioTable, sideOrder } from './cells.js'
import { type RecordedResponse, recordResponse, sameBytes } from './record.js'

export interface BaselineReport extends RatioTable {
  tool: 'wrk'
  available: boolean
  /** Why the comparison did not run (wrk missing and not installable). */
  reason?: string
  wrk_version: string | null
  connections: number
  threads: number
  /** Seconds of each run (one server, one cell, one round). */
  duration_s: number
  rounds: number
  /** Every wrk run, in the order they ran. */
  runs: Measurement[]
}

const THREADS = 1

function headersFor(cell: Cell, fx: Fixtures): Record<string, string> {
  const h: Record<string, string> = { accept: 'application/json', 'accept-encoding': cell.encoding, 'user-agent': 'quad-bench' }
  const s = fx.students[0]
  if (cell.session && s) h.cookie = `quad_session=${s.token}; quad_csrf=${s.csrf}`
  return h
}

/** Quad's answer once it comes from the cache (Cache-Status hit), so what is timed is the cached path. */
async function recordCached(url: string, headers: Record<string, string>): Promise<RecordedResponse> {
  let r = await recordResponse(url, headers)
  for (let i = 0; i < 20 && !/;\s*hit\b/.test(r.headers['cache-status'] ?? ''); i++) {
    await new Promise((res) => setTimeout(res, 50))
    r = await recordResponse(url, headers)
  }
  return r
}

/** "wrk debian/4.1.0-3+b2" from wrk -v (which prints its version and usage, and exits with 1). */
/** Records Quad's answer to every cell and starts the bare server with them; each cell says whether both servers then send the same bytes. */
async function startBare(o: BenchOptions, server: QuadServer, cells: Cell[], fx: Fixtures, cleanup: Cleanup) {
  const recorded = new Map<string, RecordedResponse>()
  for (const cell of cells) recorded.set(cell.id, await recordCached(server.url + cell.path, headersFor(cell, fx)))
  const entries: BareEntry[] = cells.map((c) => ({ path: c.path, encoding: c.encoding, session: c.session, response: recorded.get(c.id)! }))
  const bare = await BaselineServer.start(entries, o.out)
  const undo = cleanup.add(() => bare.stop(), () => bare.kill())
  const infos: CellInfo[] = []
  for (const cell of cells) {
    const rec = recorded.get(cell.id)!
    const headers = headersFor(cell, fx)
    const [q, b] = await Promise.all([recordResponse(server.url + cell.path, headers), recordResponse(bare.url + cell.path, headers)])
    const reason = rec.status !== 200 ? `Quad answered ${rec.status}` : (sameBytes(q, b) ?? null)
    infos.push({ ...cell, body_bytes: rec.bytes, etag: rec.headers.etag ?? null, verified: reason === null, ...(reason ? { reason } : {}) })
  }
  return { bare, infos, undo }
}

/**
 * The bare server once both servers send the same bytes for every cell. An entry Quad refreshed
 * between recording and checking (a new ETag) is recorded again: up to three attempts.
 */
async function startVerifiedBare(o: BenchOptions, server: QuadServer, cells: Cell[], fx: Fixtures, cleanup: Cleanup) {
  for (let attempt = 1; ; attempt++) {
    const started = await startBare(o, server, cells, fx, cleanup)
    if (attempt === 3 || started.infos.every((c) => c.verified)) return started
    await started.undo()
  }
}

/**
 * A club page of typical size: the median gzip length of up to 21 clubs spread over the
 * popularity order (the most bookmarked clubs have the longest pages).
 */
async function typicalClub(url: string, fx: Fixtures): Promise<string | null> {
  if (!fx.clubs.length) return null
  const step = Math.max(1, Math.floor(fx.clubs.length / 21))
  const sample = fx.clubs.filter((_, i) => i % step === 0).slice(0, 21)
  const sized = await Promise.all(sample.map(async (c) => ({ code: c.code, bytes: (await recordResponse(`${url}/api/clubs/${c.code}`, { 'accept-encoding': 'gzip' })).bytes })))
  sized.sort((a, b) => a.bytes - b.bytes || a.code.localeCompare(b.code))
  return sized[Math.floor(sized.length / 2)]!.code
}

function wrkVersion(bin: string): string | null {
  let out: string
  try {
    out = execFileSync(bin, ['-v'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
  } catch (err) {
    out = String((err as { stdout?: string }).stdout ?? '')
  }
  return /^wrk \S+/.exec(out)?.[0] ?? null
}

/**
 * One Quad instance against one bare Node process serving the very bytes Quad sent, cell by cell
 * (club page and directory list, gzip and br, anonymous and signed in), with wrk: one thread,
 * `--baseline-connections`, `--baseline-duration` seconds per run, `--baseline-rounds` rounds
 * alternating which server goes first. Cells whose bytes differ between the servers are not timed.
 */
export async function compareWithBaseline(o: BenchOptions, ui: Ui, server: QuadServer, fx: Fixtures, cleanup: Cleanup): Promise<BaselineReport> {
  const base = { tool: 'wrk' as const, connections: o.baselineConnections, threads: THREADS, duration_s: o.baselineDuration, rounds: o.baselineRounds }
  const empty = { rows: [], ratios: {}, min_ratio: null, geomean_ratio: null, generator_cpu_max_pct: 0, runs: [], wrk_version: null }
  if (o.baselineRounds === 0) return { ...base, ...empty, available: false, reason: 'skipped (--baseline-rounds 0)' }
  const wrk = ensureWrk((m) => ui.step(m))
  if ('error' in wrk) return { ...base, ...empty, available: false, reason: wrk.error }
  const club = await typicalClub(server.url, fx)
  if (!club) return { ...base, ...empty, wrk_version: wrkVersion(wrk.bin), available: false, reason: 'no public club to request' }

  const cells = baselineCells(club)
  const { bare, infos, undo } = await startVerifiedBare(o, server, cells, fx, cleanup)
  try {
    const timed = infos.filter((c) => c.verified)
    const runs: Measurement[] = []
    for (let round = 0; round < o.baselineRounds; round++) {
      for (const cell of timed) {
        const figures: Partial<Record<'quad' | 'bare', number>> = {}
        for (const side of sideOrder(round)) {
          const target = side === 'quad' ? server : bare
          const r = await runWrk(wrk.bin, {
            url: target.url + cell.path,
            headers: headersFor(cell, fx),
            connections: o.baselineConnections,
            threads: THREADS,
            durationS: o.baselineDuration,
            serverPid: target.pid,
          })
          runs.push({
            cell: cell.id,
            side,
            round,
            figures: {
              rps: Math.round(r.rps * 10) / 10,
              p50: r.latencyMs.p50,
              p90: r.latencyMs.p90,
              p99: r.latencyMs.p99,
              max: r.latencyMs.max,
              requests: r.requests,
              errors: r.socketErrors + r.statusErrors,
              generator_cpu_pct: r.generatorCpuPct,
              server_cpu_pct: r.serverCpuPct,
            },
          })
          figures[side] = r.rps
          // A moment for the previous run's sockets to close and its garbage to be collected.
          await new Promise((res) => setTimeout(res, 300))
        }
        ui.step(`baseline round ${round + 1}/${o.baselineRounds} ${cell.id}: Quad ${figures.quad!.toFixed(0)} req/s, bare ${figures.bare!.toFixed(0)} req/s, ratio ${(figures.quad! / figures.bare!).toFixed(3)}`)
      }
    }
    return { ...base, ...ratioTable(infos, runs), runs, wrk_version: wrkVersion(wrk.bin), available: true }
  } finally {
    await undo()
  }
}
