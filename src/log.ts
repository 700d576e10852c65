import pino, { type Logger } from 'pino'
import { ConfigError } from './config.js'

export type LogFormat = 'json' | 'pretty'

/** `LOG_FORMAT` (json | pretty); unset: pretty when stdout is a terminal, JSON lines otherwise. */
export function logFormat(env: NodeJS.ProcessEnv = process.env, stdout: { isTTY?: boolean } = process.stdout): LogFormat {
  const v = env.LOG_FORMAT?.trim()
  if (!v) return stdout.isTTY ? 'pretty' : 'json'
  if (v === 'json' || v === 'pretty') return v
  throw new ConfigError(`LOG_FORMAT must be json or pretty (got "${v}")`)
}

/**
 * The process's logger on stdout: JSON lines (one object per line, for collectors and tests), or
 * for a person at a terminal, pino-pretty's colored lines with each request on one line.
 */
export async function createLogger(level: string, format: LogFormat = logFormat()): Promise<Logger> {
  if (format === 'json' || level === 'silent') return pino({ level })
  const { default: pinoPretty } = await import('pino-pretty')
  const prettify = pinoPretty.prettyFactory({ translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' })
  // Synchronous, in this thread: lines stay in order with console output and none are lost at exit.
  return pino({ level }, { write: (line: string) => void process.stdout.write(prettify(accessLine(JSON.parse(line)))) })
}

const ACCESS = new Set(['request completed', 'slow request', 'request errored'])

/** "GET /api/clubs → 200 in 3.1 ms (0 queries, db 0 ms, quad; hit)" instead of nine fields. */
function accessLine(log: Record<string, unknown>): Record<string, unknown> {
  if (!ACCESS.has(log.msg as string) || typeof log.method !== 'string') return log
  const { method, url, route, status, ms, queries, dbMs, cache, reqId, msg, ...rest } = log
  const db = queries ? `, ${queries} ${queries === 1 ? 'query' : 'queries'} ${dbMs} ms` : ''
  const summary = `${method} ${url} → ${status} in ${ms} ms${db}${cache ? `, ${cache}` : ''}`
  // The request id matters when something went wrong; on every ordinary line it is noise.
  return msg === 'request completed' ? { ...rest, msg: summary } : { ...rest, reqId, msg: `${msg}: ${summary}` }
}
