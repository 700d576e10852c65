/** One cell of the comparison: a page, an encoding, anonymous or signed in. */
export interface Cell {
  id: string
  page: 'club' | 'list'
  path: string
  encoding: 'gzip' | 'br'
  session: boolean
}

/** A club page (small) and the whole directory list (large), each gzip and br, anonymous and signed in. */
export function baselineCells(clubCode: string): Cell[] {
  const out: Cell[] = []
  for (const [page, path] of [
    ['club', `/api/clubs/${clubCode}`],
    ['list', '/api/clubs'],
  ] as const) {
    for (const encoding of ['gzip', 'br'] as const) {
      for (const session of [false, true]) out.push({ id: `${page} ${encoding} ${session ? 'session' : 'anon'}`, page, path, encoding, session })
    }
  }
  return out
}

export interface SideFigures {
  rps: number
  p50: number
  p90: number
  p99: number
  max: number
  requests: number
  /** Socket errors, timeouts and statuses above 399. */
  errors: number
  /** CPU of the wrk process (% of one core). */
  generator_cpu_pct: number
  /** CPU of the server under test (% of one core). */
  server_cpu_pct: number
}

export type Side = 'quad' | 'bare'

export interface Measurement {
  cell: string
  side: Side
  round: number
  figures: SideFigures
}

export interface CellInfo extends Cell {
  body_bytes: number
  etag: string | null
  /** Both servers sent the same status, encoding, ETag and bytes before timing. */
  verified: boolean
  reason?: string
}

export interface CellRow extends CellInfo {
  /** Averages over the rounds (errors summed). */
  quad: SideFigures | null
  bare: SideFigures | null
  /** Quad req/s ÷ bare req/s over all rounds; null when the cell was not timed. */
  ratio_rps: number | null
  ratio_p99: number | null
  /** The same ratio round by round: their spread shows how steady the machine was. */
  round_ratios: number[]
}

export interface RatioTable {
  rows: CellRow[]
  /** cell id → Quad req/s ÷ bare req/s. */
  ratios: Record<string, number>
  min_ratio: number | null
  geomean_ratio: number | null
  /** Highest CPU wrk used in any run: near 100 % would mean the generator, not a server, was the limit. */
  generator_cpu_max_pct: number
}

const r1 = (n: number) => Math.round(n * 10) / 10
const r3 = (n: number) => Math.round(n * 1000) / 1000

function mean(list: SideFigures[]): SideFigures | null {
  if (!list.length) return null
  const avg = (k: keyof SideFigures) => list.reduce((a, f) => a + f[k], 0) / list.length
  return {
    rps: r1(avg('rps')),
    p50: r3(avg('p50')),
    p90: r3(avg('p90')),
    p99: r3(avg('p99')),
    max: Math.max(...list.map((f) => f.max)),
    requests: list.reduce((a, f) => a + f.requests, 0),
    errors: list.reduce((a, f) => a + f.errors, 0),
    generator_cpu_pct: r1(avg('generator_cpu_pct')),
    server_cpu_pct: r1(avg('server_cpu_pct')),
  }
}

/** Every cell's ratio from the runs of both servers, round by round and overall. */
export function ratioTable(cells: CellInfo[], runs: Measurement[]): RatioTable {
  const rows = cells.map((cell): CellRow => {
    const of = (side: Side) => runs.filter((m) => m.cell === cell.id && m.side === side)
    const quadRuns = of('quad')
    const bareRuns = of('bare')
    const quad = mean(quadRuns.map((m) => m.figures))
    const bare = mean(bareRuns.map((m) => m.figures))
    const rounds = [...new Set(quadRuns.map((m) => m.round))].sort((a, b) => a - b)
    const round_ratios = rounds.flatMap((r) => {
      const q = quadRuns.find((m) => m.round === r)
      const b = bareRuns.find((m) => m.round === r)
      return q && b && b.figures.rps > 0 ? [r3(q.figures.rps / b.figures.rps)] : []
    })
    const timed = quad !== null && bare !== null && bare.rps > 0
    return {
      ...cell,
      quad,
      bare,
      ratio_rps: timed ? r3(quad.rps / bare.rps) : null,
      ratio_p99: timed && bare.p99 > 0 ? r3(quad.p99 / bare.p99) : null,
      round_ratios,
    }
  })
  const ratios = Object.fromEntries(rows.filter((r) => r.ratio_rps !== null).map((r) => [r.id, r.ratio_rps!]))
  const values = Object.values(ratios)
  return {
    rows,
    ratios,
    min_ratio: values.length ? Math.min(...values) : null,
    geomean_ratio: values.length && values.every((v) => v > 0) ? r3(Math.exp(values.reduce((a, v) => a + Math.log(v), 0) / values.length)) : null,
    generator_cpu_max_pct: Math.max(0, ...runs.map((m) => m.figures.generator_cpu_pct)),
  }
}

/** Round `round` times Quad first, the next the bare server first, so drift on the machine falls on both. */
export const sideOrder = (round: number): Side[] => (round % 2 === 0 ? ['quad', 'bare'] : ['bare', 'quad'])
