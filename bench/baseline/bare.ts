import { type ChildProcess, fork } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePort } from '../services.js'
import type { BareEntry } from './bare-key.js'

/** The bare Node server process (bare-server.ts), serving recorded responses. */
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

  static async start(entries: BareEntry[], dir: string): Promise<BaselineServer> {
    const file = path.join(dir, 'baseline-responses.json')
    writeFileSync(file, JSON.stringify(entries))
    const port = await freePort()
    const script = fileURLToPath(new URL('./bare-server.ts', import.meta.url))
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
