import { ChangeLog } from './change-log.js'

/**
 * Dependency versions. A version is a value of one global clock (bumped once per applied batch of
 * outbox rows) plus the wall time of the bump. Versions are assigned when a committed change is
 * applied, so any change committed after a fill started gets a version above the clock value the
 * fill read first: comparing the two is how a fill knows it raced with a write.
 *
 * Outbox rows are deduplicated by id (several instances and the writer all apply the same rows),
 * so a change bumps its keys once, however many appliers see it.
 */
export interface Version {
  readonly clock: number
  readonly at: number
}

export interface ClockReading {
  readonly epoch: string
  readonly clock: number
}

export interface OutboxRow {
  readonly id: number
  readonly dep: string
}

export interface Applied {
  readonly epoch: string
  /** The clock at which these rows are visible (the new versions' value, or the current clock when another applier was first). */
  readonly clock: number
  /** The deps whose version moved, for the bus. */
  readonly deps: readonly string[]
}

export interface VersionStore {
  readonly kind: 'memory' | 'redis'
  clock(): Promise<ClockReading>
  /** Current versions (null = unknown, which counts as invalid). */
  get(deps: readonly string[]): Promise<{ epoch: string; versions: (Version | null)[] }>
  apply(rows: readonly OutboxRow[], now: number): Promise<Applied>
}

/** Parses the "clock|ms" form used in Redis. */
export function parseVersion(raw: string | null | undefined): Version | null {
  if (!raw) return null
  const bar = raw.indexOf('|')
  if (bar < 0) return null
  return { clock: Number(raw.slice(0, bar)), at: Number(raw.slice(bar + 1)) }
}

const CHUNK_BITS = 20
const ZERO: Version = { clock: 0, at: 0 }

/** Which outbox ids were applied, as a sparse bitmap of 1 Mi-id chunks (bounded memory). */
export class AppliedIds {
  private readonly chunks = new Map<number, Uint8Array>()

  /** Marks the id; returns true when it was not marked before. */
  mark(id: number): boolean {
    const chunk = Math.floor(id / 2 ** CHUNK_BITS)
    const bit = id % 2 ** CHUNK_BITS
    let bytes = this.chunks.get(chunk)
    if (!bytes) {
      bytes = new Uint8Array(2 ** (CHUNK_BITS - 3))
      this.chunks.set(chunk, bytes)
      for (const c of this.chunks.keys()) if (c < chunk - 4) this.chunks.delete(c)
    }
    const mask = 1 << (bit & 7)
    const had = (bytes[bit >> 3]! & mask) !== 0
    bytes[bit >> 3]! |= mask
    return !had
  }
}

/** In-process versions for the embedded mode (one process, no Redis). */
export class MemoryVersionStore implements VersionStore {
  readonly kind = 'memory' as const
  readonly epoch = `m${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`
  private now = 0
  private readonly versions = new Map<string, Version>()
  private readonly applied = new AppliedIds()
  /** Every applied batch, for derived views. */
  readonly log = new ChangeLog()

  constructor() {
    this.log.reset(this.epoch, 0)
  }

  async clock(): Promise<ClockReading> {
    return { epoch: this.epoch, clock: this.now }
  }

  async get(deps: readonly string[]) {
    return { epoch: this.epoch, versions: this.getSync(deps) }
  }

  /**
   * Synchronous read for the hot path. In one process nothing is ever evicted, so a dep that was
   * never touched is simply at version 0.
   */
  getSync(deps: readonly string[]): Version[] {
    return deps.map((d) => this.versions.get(d) ?? ZERO)
  }

  async apply(rows: readonly OutboxRow[], at: number): Promise<Applied> {
    const fresh = rows.filter((r) => this.applied.mark(r.id))
    if (fresh.length === 0) return { epoch: this.epoch, clock: this.now, deps: [] }
    const v = { clock: ++this.now, at }
    const deps = [...new Set(fresh.map((r) => r.dep))]
    for (const d of deps) this.versions.set(d, v)
    this.log.record(this.epoch, v.clock, deps)
    return { epoch: this.epoch, clock: v.clock, deps }
  }
}
