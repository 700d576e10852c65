import { LOG_CACHE_HIT, LOG_CACHE_STALE, LOG_CONN_ERROR, LOG_NOT_OK, LOG_RETRY_AFTER, type LogRow } from '../load/stats.js'
import type { LoadResult } from '../load/protocol.js'

export interface WindowStats {
  responses: number
  ok: number
  /** 503 with Retry-After: the refusal Quad promises while a dependency is down or it is overloaded. */
  refused: number
  /** Anything else that is not an expected answer: other statuses, connection errors, timeouts. */
  violations: number
  connection_errors: number
  hits: number
  stale: number
  p50_ms: number
  p99_ms: number
  refused_p99_ms: number
  ok_p99_ms: number
  /** Refusals that came after the request had already run database queries (wasted work). */
  refused_after_queries: number
  /** Database queries per answered request (Server-Timing). */
  ok_queries_per_request: number
  statuses: Record<string, number>
}

const pctl = (xs: number[], p: number) => {
  if (!xs.length) return 0
  const s = [...xs].sort((a, b) => a - b)
  return Math.round(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! * 10) / 10
}

/** Responses whose request was sent in [from, to) (epoch ms), optionally of some routes only. */
export function windowStats(result: LoadResult, from: number, to: number, route?: (name: string) => boolean): WindowStats {
  const log = result.stats.log
  const rows: LogRow[] = (log?.rows ?? []).filter(([end, ms, r]) => {
    const sent = end - ms
    return sent >= from && sent < to && (!route || route(log!.routes[r]!))
  })
  const lat = rows.filter((r) => !(r[4] & LOG_CONN_ERROR)).map((r) => r[1])
  const statuses: Record<string, number> = {}
  for (const r of rows) statuses[r[3] ? String(r[3]) : 'conn-error'] = (statuses[r[3] ? String(r[3]) : 'conn-error'] ?? 0) + 1
  const refused = rows.filter((r) => r[3] === 503 && r[4] & LOG_RETRY_AFTER)
  const ok = rows.filter((r) => !(r[4] & LOG_NOT_OK))
  return {
    responses: rows.length,
    ok: ok.length,
    refused: refused.length,
    violations: rows.filter((r) => r[4] & LOG_NOT_OK && !(r[3] === 503 && r[4] & LOG_RETRY_AFTER)).length,
    connection_errors: rows.filter((r) => r[4] & LOG_CONN_ERROR).length,
    hits: rows.filter((r) => r[4] & LOG_CACHE_HIT).length,
    stale: rows.filter((r) => r[4] & LOG_CACHE_STALE).length,
    p50_ms: pctl(lat, 50),
    p99_ms: pctl(lat, 99),
    refused_p99_ms: pctl(refused.map((r) => r[1]), 99),
    ok_p99_ms: pctl(ok.map((r) => r[1]), 99),
    refused_after_queries: refused.filter((r) => r[5] > 0).length,
    ok_queries_per_request: ok.length ? Math.round((ok.reduce((n, r) => n + Math.max(0, r[5]), 0) / ok.length) * 100) / 100 : 0,
    statuses,
  }
}

/** Send time (epoch ms) of the first response after `from` that matches. */
export function firstAfter(result: LoadResult, from: number, match: (row: LogRow, route: string) => boolean): number | null {
  const log = result.stats.log
  let best: number | null = null
  for (const row of log?.rows ?? []) {
    const sent = row[0] - row[1]
    if (sent >= from && match(row, log!.routes[row[2]]!) && (best === null || row[0] < best)) best = row[0]
  }
  return best === null ? null : Math.round(best)
}

export const check = (name: string, pass: boolean, detail: string) => ({ name, pass, detail })
