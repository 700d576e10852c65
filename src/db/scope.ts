import { AsyncLocalStorage } from 'node:async_hooks'

/** Collects the dependency keys of the queries run while a cacheable response is computed. */
export interface DepSink {
  add(dep: string): void
}

/** Per-request database accounting, carried through async calls. */
export interface DbScope {
  queries: number
  dbMs: number
  /** Set while a cacheable handler runs: every query records what it read here. */
  deps: DepSink | null
  /** >0 inside writeTransaction, whose commit hook applies its own outbox rows. */
  writeDepth: number
  /** A write ran outside writeTransaction: the response waits for the invalidator instead. */
  untrackedWrite: boolean
  /** Version clock of this request's applied writes (read-your-writes token). */
  wroteClock: number
  /** Shared background work (a derived view's reload): admitted like system work, never shed. */
  system?: boolean
  /**
   * The version clock read once for this request (after it arrived): the session check, the
   * cache and derived views all compare with it, so a request costs one clock read.
   */
  clock?: Promise<{ epoch: string; clock: number }>
}

const storage = new AsyncLocalStorage<DbScope>()

export const newScope = (): DbScope => ({ queries: 0, dbMs: 0, deps: null, writeDepth: 0, untrackedWrite: false, wroteClock: 0 })
/** A scope for background work whose queries are counted (and reported by the request that waited). */
export const systemScope = (): DbScope => ({ ...newScope(), system: true })
export const currentScope = (): DbScope | undefined => storage.getStore()
export const runInScope = <T>(scope: DbScope, fn: () => T): T => storage.run(scope, fn)
/** Runs fn as system work, outside any request's accounting (health probes, background jobs). */
export const outsideScope = <T>(fn: () => T): T => storage.exit(fn)
