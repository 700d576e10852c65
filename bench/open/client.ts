import { type ChildProcess, fork } from 'node:child_process'
import os from 'node:os'
import { fileURLToPath } from 'node:url'
import type { FromOpen, OpenFinal, OpenInit, OpenStep, StepResult, ToOpen } from './protocol.js'
import type { Shares } from './shares.js'

const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url))

const GENERATOR_NICE = -10

type Progress = { elapsedS: number; responses: number; errors: number }

/** The parent's handle on the open-loop generator process (bench/open/worker.ts). */
export class OpenLoopProcess {
  private readonly child: ChildProcess
  private waiter: { resolve(m: FromOpen): void; reject(e: Error): void; progress?: (p: Progress) => void } | null = null
  private exited = false
  /** The generator's nice value: raised priority when allowed (see the constructor), else 0. */
  readonly nice: number

  constructor() {
    this.child = fork(WORKER, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' })
    // On a machine it shares with the servers, the generator waits for a core behind them and
    // sends late. A higher priority changes how soon it runs, not how much CPU it uses (reported).
    let nice = 0
    try {
      os.setPriority(this.child.pid!, GENERATOR_NICE)
      nice = GENERATOR_NICE
    } catch {
      // Not permitted (not root): the lag check still catches a generator that falls behind.
    }
    this.nice = nice
    this.child.on('message', (m: FromOpen) => {
      if (m.type === 'progress') return this.waiter?.progress?.(m)
      const w = this.waiter
      this.waiter = null
      if (m.type === 'error') w?.reject(new Error(`open-loop generator failed: ${m.message}`))
      else w?.resolve(m)
    })
    this.child.on('exit', (code) => {
      this.exited = true
      this.waiter?.reject(new Error(`open-loop generator exited with code ${code}`))
      this.waiter = null
    })
  }

  get pid(): number {
    return this.child.pid!
  }

  private ask(m: ToOpen, progress?: (p: Progress) => void): Promise<FromOpen> {
    if (this.exited) return Promise.reject(new Error('the open-loop generator has exited'))
    if (this.waiter) return Promise.reject(new Error('the open-loop generator is busy'))
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject, progress }
      this.child.send(m)
    })
  }

  async init(init: OpenInit): Promise<Shares> {
    const m = await this.ask({ type: 'init', init })
    if (m.type !== 'ready') throw new Error(`unexpected answer ${m.type}`)
    return m.shares
  }

  async step(step: OpenStep, progress?: (p: Progress) => void): Promise<StepResult> {
    const m = await this.ask({ type: 'step', step }, progress)
    if (m.type !== 'step-result') throw new Error(`unexpected answer ${m.type}`)
    return m.result
  }

  async finish(): Promise<OpenFinal> {
    const m = await this.ask({ type: 'finish' })
    if (m.type !== 'final') throw new Error(`unexpected answer ${m.type}`)
    return m.final
  }

  async close(): Promise<void> {
    if (this.exited) return
    const exited = new Promise<void>((r) => this.child.once('exit', () => r()))
    if (this.child.connected) this.child.send({ type: 'exit' } satisfies ToOpen)
    const t = setTimeout(() => this.child.kill('SIGKILL'), 5000)
    await exited
    clearTimeout(t)
  }

  kill(): void {
    if (!this.exited) this.child.kill('SIGKILL')
  }
}
