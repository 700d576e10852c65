import { type ChildProcess, fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { FromWorker, LoadPlan, LoadResult, ToWorker } from './protocol.js'

export interface LoadRun {
  /** Epoch ms when the load process started sending. */
  started: Promise<number>
  result: Promise<LoadResult>
  stop(): void
}

type Progress = { elapsedS: number; responses: number; errors: number }

const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url))

/**
 * The load generator: a separate Node process (so it never shares an event loop with what it
 * measures) that runs plans one at a time and stays up between them.
 */
export class LoadProcess {
  private readonly child: ChildProcess
  private active: { onMessage(m: FromWorker): void } | null = null
  private exited = false

  constructor() {
    this.child = fork(WORKER, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' })
    this.child.on('message', (m: FromWorker) => this.active?.onMessage(m))
    this.child.on('exit', (code) => {
      this.exited = true
      this.active?.onMessage({ type: 'error', message: `load process exited with code ${code}` })
    })
  }

  get pid(): number {
    return this.child.pid!
  }

  run(plan: LoadPlan, onProgress?: (p: Progress) => void): LoadRun {
    if (this.active) throw new Error('the load process is already running a plan')
    if (this.exited) throw new Error('the load process has exited')
    let resolveStarted!: (t: number) => void
    const started = new Promise<number>((r) => (resolveStarted = r))
    const result = new Promise<LoadResult>((resolve, reject) => {
      this.active = {
        onMessage: (m) => {
          if (m.type === 'started') resolveStarted(m.at)
          else if (m.type === 'progress') onProgress?.(m)
          else if (m.type === 'result') {
            this.active = null
            resolve(m.result)
          } else if (m.type === 'error') {
            this.active = null
            reject(new Error(`load process failed: ${m.message}`))
          }
        },
      }
    })
    result.catch(() => {})
    this.child.send({ type: 'plan', plan } satisfies ToWorker)
    return {
      started,
      result,
      stop: () => {
        if (this.child.connected) this.child.send({ type: 'stop' } satisfies ToWorker)
      },
    }
  }

  async close(): Promise<void> {
    if (this.exited) return
    const exited = new Promise<void>((r) => this.child.once('exit', () => r()))
    if (this.child.connected) this.child.send({ type: 'exit' } satisfies ToWorker)
    const t = setTimeout(() => this.child.kill('SIGKILL'), 5000)
    await exited
    clearTimeout(t)
  }

  kill(): void {
    if (!this.exited) this.child.kill('SIGKILL')
  }
}
