import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100
  } catch {
    return 100
  }
})()

/** CPU seconds (user + system) and resident memory of a process, from /proc; null once it is gone. */
export function readProc(pid: number): { cpuS: number; rssBytes: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Fields after the command name (which may contain spaces) start at state (field 3).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const utime = Number(fields[11])
    const stime = Number(fields[12])
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const rssKb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? 0)
    return { cpuS: (utime + stime) / CLK_TCK, rssBytes: rssKb * 1024 }
  } catch {
    return null
  }
}

/** Busy and total jiffies of the whole machine (all cores), from /proc/stat. */
function machineTicks(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!
  const v = line.trim().split(/\s+/).slice(1).map(Number)
  const idle = (v[3] ?? 0) + (v[4] ?? 0)
  const total = v.reduce((a, b) => a + b, 0)
  return { busy: total - idle, total }
}

export interface ProcSummary {
  /** Average CPU of the process over the run, in % of one core. */
  cpu_avg_pct: number
  cpu_max_pct: number
  cpu_s: number
  rss_avg_mb: number
  rss_max_mb: number
  samples: number
}

export interface MachineSummary {
  cores: number
  /** Busy share of all cores during the run (everything on the machine, not only Quad). */
  busy_avg_pct: number
  loadavg_1m_at_start: number
}

/** Samples server processes (CPU from utime+stime deltas, RSS) and the machine every interval. */
export class ProcSampler {
  private timer: NodeJS.Timeout | null = null
  private readonly series = new Map<number, { t: number; cpuS: number; rss: number }[]>()
  private machineStart = machineTicks()
  private machineEnd = this.machineStart
  private readonly loadavg = Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0])
  readonly timeline: { t: number; cpu_pct: number; rss_mb: number }[] = []
  private t0 = performance.now()

  constructor(
    private readonly pids: number[],
    private readonly intervalMs = 500,
  ) {}

  start(): void {
    this.t0 = performance.now()
    this.machineStart = machineTicks()
    this.sample()
    this.timer = setInterval(() => this.sample(), this.intervalMs)
  }

  private sample(): void {
    const t = performance.now()
    let cpuPct = 0
    let rss = 0
    for (const pid of this.pids) {
      const p = readProc(pid)
      if (!p) continue
      let s = this.series.get(pid)
      if (!s) this.series.set(pid, (s = []))
      const prev = s.at(-1)
      s.push({ t, cpuS: p.cpuS, rss: p.rssBytes })
      if (prev) cpuPct += ((p.cpuS - prev.cpuS) / ((t - prev.t) / 1000)) * 100
      rss += p.rssBytes
    }
    this.timeline.push({ t: (t - this.t0) / 1000, cpu_pct: round(cpuPct), rss_mb: round(rss / 2 ** 20) })
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    this.sample()
    this.machineEnd = machineTicks()
  }

  /** Per process, in the order of the pids given. */
  summary(): ProcSummary[] {
    return this.pids.map((pid) => {
      const s = this.series.get(pid) ?? []
      if (s.length < 2) return { cpu_avg_pct: 0, cpu_max_pct: 0, cpu_s: 0, rss_avg_mb: 0, rss_max_mb: 0, samples: s.length }
      const first = s[0]!
      const last = s.at(-1)!
      let max = 0
      for (let i = 1; i < s.length; i++) max = Math.max(max, ((s[i]!.cpuS - s[i - 1]!.cpuS) / ((s[i]!.t - s[i - 1]!.t) / 1000)) * 100)
      const rss = s.map((x) => x.rss / 2 ** 20)
      return {
        cpu_avg_pct: round(((last.cpuS - first.cpuS) / ((last.t - first.t) / 1000)) * 100),
        cpu_max_pct: round(max),
        cpu_s: round(last.cpuS - first.cpuS),
        rss_avg_mb: round(rss.reduce((a, b) => a + b, 0) / rss.length),
        rss_max_mb: round(Math.max(...rss)),
        samples: s.length,
      }
    })
  }

  machine(): MachineSummary {
    const busy = this.machineEnd.busy - this.machineStart.busy
    const total = this.machineEnd.total - this.machineStart.total
    return { cores: coreCount(), busy_avg_pct: total > 0 ? round((busy / total) * 100) : 0, loadavg_1m_at_start: this.loadavg }
  }
}

function coreCount(): number {
  return readFileSync('/proc/stat', 'utf8').split('\n').filter((l) => /^cpu\d+ /.test(l)).length
}

const round = (n: number) => Math.round(n * 10) / 10
