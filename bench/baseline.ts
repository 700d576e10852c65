import { type ChildProcess, fork } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePort } from './services.js'

export interface RecordedResponse {
  status: number
  headers: Record<string, string>
  body: string
  bytes: number
}

// Per-connection and per-message headers the bare server writes itself.
const HOP = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding'])

/** One response exactly as a browser gets it (no decompression), headers and body bytes. */
export function recordResponse(url: string, headers: Record<string, string>): Promise<RecordedResponse> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => {
          const body = Buffer.concat(chunks)
          const kept: Record<string, string> = {}
          for (const [k, v] of Object.entries(res.headers)) if (!HOP.has(k) && v !== undefined) kept[k] = Array.isArray(v) ? v.join(', ') : v
          resolve({ status: res.statusCode ?? 0, headers: kept, body: body.toString('base64'), bytes: body.length })
        })
        res.on('error', reject)
      })
      .on('error', reject)
  })
}

export class BaselineServer {
  private constructor(
    private readonly proc: ChildProcess,
    readonly port: number,
  ) {}

  get url() {
    return `http://127.0.0.1:${this.port}`
  }

  get pid(): number {
    return this.proc.pid!
  }

  static async start(recorded: RecordedResponse, dir: string): Promise<BaselineServer> {
    const file = path.join(dir, 'baseline-response.json')
    writeFileSync(file, JSON.stringify(recorded))
    const port = await freePort()
    const script = fileURLToPath(new URL('./baseline-server.ts', import.meta.url))
    const proc = fork(script, [file, String(port)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
    await new Promise<void>((resolve, reject) => {
      proc.once('message', () => resolve())
      proc.once('exit', (code) => reject(new Error(`baseline server exited with ${code}`)))
    })
    return new BaselineServer(proc, port)
  }

  async stop(): Promise<void> {
    if (this.proc.exitCode !== null) return
    const exited = new Promise<void>((r) => this.proc.once('exit', () => r()))
    this.proc.kill('SIGTERM')
    const t = setTimeout(() => this.proc.kill('SIGKILL'), 3000)
    await exited
    clearTimeout(t)
  }

  kill(): void {
    if (this.proc.exitCode === null) this.proc.kill('SIGKILL')
  }
}
