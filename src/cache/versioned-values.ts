import { LRUCache } from 'lru-cache'
import { currentScope, newScope, runInScope } from '../db/scope.js'
import { type CacheEngine, Unverifiable } from './engine.js'
import type { ClockReading } from './versions.js'

export interface Loaded<V> {
  value: V
  /** Dependency keys of what the value was read from (r:sessions:<id>, r:users:<id>). */
  deps: string[]
}

interface Kept<V> {
  value: V
  deps: string[]
  recorded: number[]
  epoch: string
  /** The clock at which the value was last known current. */
  clock: number
}

/**
 * Per-viewer values kept in this process (signed-in sessions), checked against the same
 * commit-driven versions as cache entries: while the clock has not moved, or none of the value's
 * deps moved (the bus's change log says so without a round trip), it is served from memory; a
 * change committed anywhere reaches it before the changing request returns. While Redis cannot
 * be trusted, every read goes to the database. Nothing here is ever shared between viewers.
 */
export class VersionedValues<V> {
  private readonly kept: LRUCache<string, Kept<V>>

  constructor(
    private readonly engine: CacheEngine,
    private readonly load: (key: string) => Promise<Loaded<V> | null>,
    opts: { max: number; ttlMs: number },
  ) {
    this.kept = new LRUCache({ max: opts.max, ttl: opts.ttlMs })
  }

  get size(): number {
    return this.kept.size
  }

  async get(key: string): Promise<V | null> {
    let at: ClockReading
    try {
      at = await this.engine.readClock()
    } catch (err) {
      if (!(err instanceof Unverifiable)) throw err
      this.kept.delete(key)
      return (await this.load(key))?.value ?? null
    }
    const k = this.kept.get(key)
    if (k && k.epoch === at.epoch) {
      if (k.clock >= at.clock) return k.value
      if (await this.engine.unchangedSince(k.deps, k.recorded, k.epoch, at).catch(() => false)) {
        k.clock = at.clock
        return k.value
      }
    }
    // Read after the clock: whatever committed before it is in the value; a later change is newer
    // than the recorded versions and reloads it.
    const loaded = await this.load(key)
    if (!loaded) {
      this.kept.delete(key)
      return null
    }
    const recorded = await this.engine.recordVersions(loaded.deps, at).catch(() => null)
    if (recorded && recorded.every((v) => v >= 0)) {
      this.kept.set(key, { value: loaded.value, deps: loaded.deps, recorded, epoch: at.epoch, clock: at.clock })
    } else this.kept.delete(key)
    return loaded.value
  }

  /** Drops a value this process knows is gone (its own sign-out); other processes learn by version. */
  forget(key: string): void {
    this.kept.delete(key)
  }
}

/**
 * Runs reads of shared tables and records what they read, exactly as a cacheable handler's reads
 * are recorded (a private table there throws); the statements count toward the current request.
 */
export async function readRecordingDeps<T>(fn: () => Promise<T>): Promise<{ value: T; deps: string[] }> {
  const outer = currentScope()
  const scope = newScope()
  const deps = new Set<string>()
  scope.deps = { add: (d) => deps.add(d) }
  try {
    return { value: await runInScope(scope, fn), deps: [...deps] }
  } finally {
    if (outer) {
      outer.queries += scope.queries
      outer.dbMs += scope.dbMs
    }
  }
}
