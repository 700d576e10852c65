import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'
import pino from 'pino'
import { buildApp } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import { createRuntime, type Runtime } from '../../src/runtime.js'
import type { TestEnv } from './quad.js'

export interface LogLine {
  level: number
  msg: string
  [k: string]: any
}

export interface OwnInstance {
  app: FastifyInstance
  runtime: Runtime
  /** Every log line of this instance, parsed. */
  logs: LogLine[]
  /** Listens on a free port and returns the base URL (real HTTP, for latency and shutdown tests). */
  listen(): Promise<string>
  close(): Promise<void>
}

/**
 * An instance on the test file's database with its own configuration, a captured JSON log, and
 * optional test-only routes (registered before the app is ready). Unlike TestEnv.start it never
 * shares a runtime, so on PGlite it gets its own empty in-memory database.
 */
export async function startOwn(
  env: TestEnv,
  opts: { env?: NodeJS.ProcessEnv; routes?: (app: FastifyInstance) => void } = {},
): Promise<OwnInstance> {
  const logs: LogLine[] = []
  const log = pino({ level: 'debug' }, { write: (s: string) => void logs.push(JSON.parse(s)) })
  const config = loadConfig({ ...env.env, ...opts.env })
  const runtime = await createRuntime(config, {
    log,
    cache: { prefix: `quadt:${randomBytes(4).toString('hex')}:`, pollIntervalMs: 100 },
    migrate: env.backend === 'pglite',
    db: env.backend === 'postgres' ? { serverOptions: '-c synchronous_commit=off' } : {},
  })
  const app = await buildApp(runtime)
  opts.routes?.(app)
  await app.ready()
  let closed = false
  return {
    app,
    runtime,
    logs,
    async listen() {
      await app.listen({ host: '127.0.0.1', port: 0 })
      return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
    },
    async close() {
      if (closed) return
      closed = true
      await app.close()
      await runtime.close()
    },
  }
}

export const percentile = (values: number[], p: number) => {
  if (!values.length) return 0
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!
}

export interface BurstResult {
  status: number
  ms: number
  /** JSON error code of the response, if any. */
  code: string | null
  retryAfter: string | null
  /** Server-Timing total: time spent in the server. */
  serverMs: number | null
}

/**
 * Sends n concurrent GETs from a separate process over n already-open connections (warmed with
 * warmUrl), so the measured latency is not inflated by a client sharing the server's event loop.
 */
export function burst(warmUrl: string, url: string, n: number): Promise<BurstResult[]> {
  const script = fileURLToPath(new URL('./burst.mjs', import.meta.url))
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [script, warmUrl, url, String(n)], { maxBuffer: 16 * 1024 * 1024 }, (err, stdout) => {
      if (err) reject(err)
      else resolve(JSON.parse(stdout) as BurstResult[])
    })
  })
}
