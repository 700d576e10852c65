import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { closeSync, openSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { freePort } from './services.js'

const BIN = fileURLToPath(new URL('../bin/quad.mjs', import.meta.url))
/** The Node flags `npm start` runs the server with (package.json), so the bench measures the same process. */
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=4']
const BUILD = fileURLToPath(new URL('../scripts/build-server.mjs', import.meta.url))

let built = false
/** The servers run the compiled build (dist/) like production: compile it first when stale. */
function ensureBuilt(): void {
  if (built) return
  execFileSync(process.execPath, [BUILD, '--if-stale'], { stdio: ['ignore', 2, 2] })
  built = true
}

export interface ServerOptions {
  databaseUrl: string
  redisUrl?: string
  secret: string
  logFile: string
  /** Extra environment (QUAD_* settings of a drill). */
  env?: Record<string, string>
  /** Extra node flags (e.g. --cpu-prof). */
  nodeArgs?: string[]
}

/** Environment of a production-like Quad process on this machine. */
export function serverEnv(o: ServerOptions, port: number): Record<string, string> {
  return {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATABASE_URL: o.databaseUrl,
    ...(o.redisUrl ? { REDIS_URL: o.redisUrl } : {}),
    QUAD_SECRET: o.secret,
    QUAD_SEED_DEMO: '0',
    LOG_LEVEL: 'warn',
    ...o.env,
  }
}

/** A `quad serve` process of its own, started and stopped by the benchmark. */
export class QuadServer {
  private exitCode: number | null = null
  private exitSignal: NodeJS.Signals | null = null

  private constructor(
    private readonly proc: ChildProcess,
    readonly port: number,
    private readonly logFile: string,
  ) {
    proc.once('exit', (code, signal) => {
      this.exitCode = code ?? (signal ? 128 : 0)
      this.exitSignal = signal
    })
  }

  get url() {
    return `http://127.0.0.1:${this.port}`
  }

  get pid(): number {
    return this.proc.pid!
  }

  get running(): boolean {
    return this.exitCode === null
  }

  private stopping = false

  /** Throws when the process has exited without being asked to (a crash, or killed from outside). */
  assertRunning(what: string): void {
    if (this.running || this.stopping) return
    const how = this.exitSignal ? `was killed by ${this.exitSignal}` : `exited with code ${this.exitCode}`
    throw new Error(`quad serve (pid ${this.proc.pid}, port ${this.port}) ${how} during ${what}; the last lines of its log:\n${this.logTail()}`)
  }

  static async start(o: ServerOptions): Promise<QuadServer> {
    ensureBuilt()
    const port = await freePort()
    const log = openSync(o.logFile, 'a')
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, ...serverEnv(o, port) }
    const proc = spawn(process.execPath, [...SERVER_NODE_FLAGS, ...(o.nodeArgs ?? []), BIN, 'serve'], { env, stdio: ['ignore', log, log] })
    closeSync(log)
    const server = new QuadServer(proc, port, o.logFile)
    await server.waitReady(60_000)
    return server
  }

  private async waitReady(timeoutMs: number): Promise<void> {
    const t0 = Date.now()
    while (Date.now() - t0 < timeoutMs) {
      if (!this.running) throw new Error(`quad serve ${this.exitSignal ? `was killed by ${this.exitSignal}` : `exited (${this.exitCode})`} before answering:\n${this.logTail()}`)
      const ok = await fetch(`${this.url}/api/tags`, { signal: AbortSignal.timeout(2000) })
        .then((r) => r.ok)
        .catch(() => false)
      if (ok) return
      await new Promise((r) => setTimeout(r, 100))
    }
    await this.stop()
    throw new Error(`quad serve did not answer within ${timeoutMs} ms:\n${this.logTail()}`)
  }

  logTail(lines = 20): string {
    try {
      return readFileSync(this.logFile, 'utf8').trim().split('\n').slice(-lines).join('\n')
    } catch {
      return ''
    }
  }

  /** SIGTERM (graceful), then SIGKILL if it takes longer than `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (!this.running) return
    this.stopping = true
    const exited = new Promise<void>((r) => this.proc.once('exit', () => r()))
    this.proc.kill('SIGTERM')
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), graceMs)
    await exited
    clearTimeout(timer)
  }

  /** For exit handlers: no waiting. */
  kill(): void {
    if (this.running) this.proc.kill('SIGKILL')
  }
}

/** Routes the server documents, as 'METHOD /path/:param', from its OpenAPI document. */
export async function availableRoutes(baseUrl: string): Promise<Set<string>> {
  const doc = (await (await fetch(`${baseUrl}/api/openapi.json`)).json()) as { paths?: Record<string, Record<string, unknown>> }
  const out = new Set<string>()
  for (const [p, methods] of Object.entries(doc.paths ?? {})) {
    const template = p.replace(/\{([^}]+)\}/g, ':$1')
    for (const m of Object.keys(methods)) out.add(`${m.toUpperCase()} ${template}`)
  }
  return out
}

/** Operations capabilities, from what GET /metrics exposes (404 before /metrics exists). */
export async function capabilities(baseUrl: string): Promise<{ metrics: boolean; watchdog: boolean; admission: boolean }> {
  const res = await fetch(`${baseUrl}/metrics`).catch(() => null)
  const text = res?.ok ? await res.text() : ''
  return { metrics: Boolean(res?.ok), watchdog: text.includes('quad_watchdog_'), admission: text.includes('quad_db_shed_total') }
}
