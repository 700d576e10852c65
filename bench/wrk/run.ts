import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { ProcSampler } from '../procstat.js'
import { parseWrkOutput, type WrkResult, wrkArgs } from './parse.js'

const SCRIPT = fileURLToPath(new URL('./report.lua', import.meta.url))

export interface WrkRun extends WrkResult {
  /** CPU of wrk itself (utime + stime over the run, % of one core): near 100 % means it was the limit. */
  generatorCpuPct: number
  /** CPU of the server process under test over the same run. */
  serverCpuPct: number
}

/** One wrk run against `url`, with wrk's and the server's CPU sampled from /proc while it runs. */
export function runWrk(bin: string, o: { url: string; headers: Record<string, string>; connections: number; threads: number; durationS: number; serverPid: number }): Promise<WrkRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, wrkArgs({ ...o, script: SCRIPT }), { stdio: ['ignore', 'pipe', 'pipe'] })
    const sampler = new ProcSampler([child.pid!, o.serverPid], 200)
    sampler.start()
    let out = ''
    let err = ''
    child.stdout.on('data', (c: Buffer) => (out += c.toString()))
    child.stderr.on('data', (c: Buffer) => (err += c.toString()))
    child.once('error', (e) => {
      sampler.stop()
      reject(e)
    })
    child.once('close', (code) => {
      sampler.stop()
      if (code !== 0) return reject(new Error(`wrk exited with ${code}: ${err.trim() || out.trim()}`))
      try {
        const [wrk, server] = sampler.summary()
        resolve({ ...parseWrkOutput(out), generatorCpuPct: wrk!.cpu_avg_pct, serverCpuPct: server!.cpu_avg_pct })
      } catch (e) {
        reject(e)
      }
    })
  })
}
