/** What one wrk run measured, from the JSON line bench/wrk/report.lua writes. */
export interface WrkResult {
  durationS: number
  requests: number
  rps: number
  bytes: number
  /** Socket errors and timeouts: requests that got no response. */
  socketErrors: number
  /** Responses with a status above 399. */
  statusErrors: number
  latencyMs: { mean: number; p50: number; p90: number; p99: number; max: number }
}

interface WrkJson {
  duration_us: number
  requests: number
  bytes: number
  errors: { connect: number; read: number; write: number; status: number; timeout: number }
  latency_us: { mean: number; p50: number; p90: number; p99: number; max: number }
}

const ms = (us: number) => Math.round(us) / 1000

/** Reads wrk's stdout; throws with the output when the script's line is missing (wrk failed early). */
export function parseWrkOutput(stdout: string): WrkResult {
  const line = stdout.split('\n').find((l) => l.startsWith('WRK_JSON '))
  if (!line) throw new Error(`wrk printed no result line:\n${stdout.trim().slice(0, 2000)}`)
  const j = JSON.parse(line.slice('WRK_JSON '.length)) as WrkJson
  const durationS = j.duration_us / 1e6
  const e = j.errors
  return {
    durationS,
    requests: j.requests,
    rps: durationS > 0 ? j.requests / durationS : 0,
    bytes: j.bytes,
    socketErrors: e.connect + e.read + e.write + e.timeout,
    statusErrors: e.status,
    latencyMs: { mean: ms(j.latency_us.mean), p50: ms(j.latency_us.p50), p90: ms(j.latency_us.p90), p99: ms(j.latency_us.p99), max: ms(j.latency_us.max) },
  }
}

/** wrk's arguments for one run: one thread, a fixed duration, headers handed to the script. */
export function wrkArgs(o: { url: string; headers: Record<string, string>; connections: number; threads: number; durationS: number; script: string; timeoutS?: number }): string[] {
  return [
    `-t${o.threads}`,
    `-c${o.connections}`,
    `-d${o.durationS}s`,
    '--timeout',
    `${o.timeoutS ?? 5}s`,
    '-s',
    o.script,
    o.url,
    '--',
    ...Object.entries(o.headers).map(([k, v]) => `${k}: ${v}`),
  ]
}
