/** The subtitle of a probed club carries the number of the write that set it: "… · v42". */
export const versionSuffix = (n: number) => ` · v${n}`
export function versionOf(subtitle: string | undefined): number {
  const m = subtitle ? / · v(\d+)$/.exec(subtitle) : null
  return m ? Number(m[1]) : 0
}

export interface StaleRead {
  lane: string
  route: string
  saw: number
  expected: number
  /** How long after the acknowledgement the read was sent. */
  afterAckMs: number
  cacheStatus: string
}

export interface ConsistencySummary {
  writes_acknowledged: number
  /** Probe writes that failed (not acknowledged); they set no expectation. */
  writes_failed: number
  reads: number
  /** Reads sent after at least one acknowledged write of their club: the ones that could be stale. */
  reads_checked: number
  stale_reads: number
  /** Stale copies that said so in Cache-Status (served past freshness during a failure). */
  stale_labelled: number
  examples: StaleRead[]
  /** When each stale read was sent (epoch ms) and whether it was labelled; the first 1,000. */
  stale_at: [number, boolean][]
}

/**
 * Read-after-acknowledged-write check across every connection and instance. Writers record when
 * a version was acknowledged; a read sent after that moment must show that version or a newer
 * one. Times are this process's performance.now(): the write's ack is taken when its response was
 * parsed (late) and a read's start when it was written to the socket (early), so the check never
 * blames a read that may have overlapped the write.
 */
export class Consistency {
  private readonly acks = new Map<string, { version: number; at: number }[]>()
  private writes = 0
  private failed = 0
  private reads = 0
  private checked = 0
  private stale = 0
  private labelled = 0
  private readonly examples: StaleRead[] = []
  private readonly staleAt: [number, boolean][] = []

  ack(lane: string, version: number, at = performance.now()): void {
    let list = this.acks.get(lane)
    if (!list) this.acks.set(lane, (list = []))
    this.writes++
    if (!list.length || version > list[list.length - 1]!.version) list.push({ version, at })
  }

  writeFailed(): void {
    this.failed++
  }

  /** The newest version acknowledged before `t`, or null. */
  private expected(lane: string, t: number): { version: number; at: number } | null {
    const list = this.acks.get(lane)
    if (!list) return null
    let lo = 0
    let hi = list.length - 1
    let found: { version: number; at: number } | null = null
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      if (list[mid]!.at < t) {
        found = list[mid]!
        lo = mid + 1
      } else hi = mid - 1
    }
    return found
  }

  read(lane: string, route: string, saw: number, sentAt: number, cacheStatus = ''): boolean {
    this.reads++
    const exp = this.expected(lane, sentAt)
    if (!exp) return true
    this.checked++
    if (saw >= exp.version) return true
    this.stale++
    const labelled = /ttl=-/.test(cacheStatus)
    if (labelled) this.labelled++
    if (this.staleAt.length < 1000) this.staleAt.push([Math.round(performance.timeOrigin + sentAt), labelled])
    if (this.examples.length < 20) {
      this.examples.push({ lane, route, saw, expected: exp.version, afterAckMs: Math.round(sentAt - exp.at), cacheStatus })
    }
    return false
  }

  summary(): ConsistencySummary {
    return {
      writes_acknowledged: this.writes,
      writes_failed: this.failed,
      reads: this.reads,
      reads_checked: this.checked,
      stale_reads: this.stale,
      stale_labelled: this.labelled,
      examples: this.examples,
      stale_at: this.staleAt,
    }
  }
}
