import { randomBytes } from 'node:crypto'
import type { Redis } from 'ioredis'
import type { Entry } from './entry.js'
import * as S from './redis-scripts.js'
import { type Applied, type ClockReading, type OutboxRow, parseVersion, type Version, type VersionStore } from './versions.js'


type Cmd = (...args: (string | number | Buffer)[]) => Promise<unknown>
interface ScriptedRedis {
  quadApply: Cmd
  quadClock: Cmd
  quadLeaseAndClock: Cmd
  quadStore: Cmd
  quadReadBuffer: Cmd
  quadPin: Cmd
}

export interface L2Read {
  entry: Entry
  epoch: string
  versions: (Version | null)[]
  /** The global clock when the versions were read (same atomic step). */
  clock: number
}

/** Versions, entries and leases in Redis; every multi-key step is one Lua script (one round trip). */
export class RedisStore implements VersionStore {
  readonly kind = 'redis' as const
  private readonly r: Redis & ScriptedRedis

  constructor(
    redis: Redis,
    readonly prefix: string,
  ) {
    this.r = redis as Redis & ScriptedRedis
    const define = (name: string, lua: string, keys: number) => {
      if (!(name in redis)) redis.defineCommand(name, { lua, numberOfKeys: keys })
    }
    define('quadApply', S.APPLY, 0)
    define('quadClock', S.CLOCK, 0)
    define('quadLeaseAndClock', S.LEASE_AND_CLOCK, 1)
    define('quadStore', S.STORE, 2)
    define('quadRead', S.READ, 1)
    define('quadPin', S.PIN, 0)
  }

  private newEpoch = () => randomBytes(6).toString('hex')
  entryKey = (key: string) => `${this.prefix}e:${key}`
  leaseKey = (key: string) => `${this.prefix}lease:${key}`
  get busChannel() {
    return `${this.prefix}bus`
  }
  get filledChannel() {
    return `${this.prefix}filled`
  }

  /** Epoch and clock without creating anything (cheap read for the L1 check). */
  async peekClock(): Promise<ClockReading> {
    const [epoch, clock] = await this.r.mget(`${this.prefix}epoch`, `${this.prefix}clock`)
    return { epoch: epoch ?? '', clock: Number(clock ?? 0) }
  }

  async clock(): Promise<ClockReading> {
    const [epoch, clock] = (await this.r.quadClock(this.prefix, this.newEpoch())) as [string, number]
    return { epoch, clock: Number(clock) }
  }

  async get(deps: readonly string[]) {
    const raw = await this.r.mget(`${this.prefix}epoch`, ...deps.map((d) => `${this.prefix}v:${d}`))
    return { epoch: raw[0] ?? '', versions: raw.slice(1).map(parseVersion) }
  }

  async apply(rows: readonly OutboxRow[], now: number): Promise<Applied> {
    if (rows.length === 0) return { epoch: '', clock: 0, deps: [] }
    const args: (string | number)[] = [this.prefix, now, this.newEpoch()]
    for (const r of rows) args.push(r.id, r.dep)
    const out = (await this.r.quadApply(...args)) as [string, number, ...string[]]
    return { epoch: out[0], clock: Number(out[1]), deps: out.slice(2) as string[] }
  }

  async leaseAndClock(key: string, token: string, leaseMs: number): Promise<{ leased: boolean } & ClockReading> {
    const [ok, epoch, clock] = (await this.r.quadLeaseAndClock(this.leaseKey(key), this.prefix, this.newEpoch(), token, leaseMs)) as [
      number,
      string,
      number,
    ]
    return { leased: ok === 1, epoch, clock: Number(clock) }
  }

  async releaseLease(key: string, token: string): Promise<void> {
    // Only our own lease; a plain DEL could drop a newer holder's lease.
    const k = this.leaseKey(key)
    if ((await this.r.get(k)) === token) await this.r.del(k)
  }

  /** Compare-and-set store; see STORE in redis-scripts.ts. */
  async store(key: string, token: string, c0: ClockReading, entry: Entry, ttlMs: number, now: number) {
    const [stored, fresh, rec] = (await this.r.quadStore(
      this.entryKey(key),
      this.leaseKey(key),
      this.prefix,
      token,
      c0.epoch,
      c0.clock,
      now,
      ttlMs,
      JSON.stringify({ ...entry.meta, recorded: undefined }),
      entry.raw,
      entry.gz,
      entry.br,
      entry.meta.deps.join('\n'),
      key,
      ...entry.meta.deps,
    )) as [number, number, string]
    const recorded = rec ? rec.split(',').map(Number) : []
    return { stored: stored === 1, fresh: fresh === 1, recorded }
  }

  async read(key: string): Promise<L2Read | null> {
    const out = (await this.r.quadReadBuffer(this.entryKey(key), this.prefix)) as Buffer[] | null
    if (!out) return null
    const meta = JSON.parse(out[0]!.toString()) as Entry['meta']
    const recorded = out[1]!.toString().split(',').map(Number)
    const clock = Number(out[6]!.toString())
    const entry: Entry = { meta: { ...meta, recorded }, raw: out[3]!, gz: out[4]!, br: out[5]!, verifiedAt: 0, verifiedClock: -1 }
    const epoch = out[7]!.toString()
    const versions = out.slice(8).map((b) => parseVersion(b.toString()))
    return { entry, epoch, versions, clock }
  }

  /** Versions to record for a value computed after c0 was read (see PIN); null when the epoch moved. */
  async pin(deps: readonly string[], c0: ClockReading, now: number): Promise<number[] | null> {
    const [ok, rec] = (await this.r.quadPin(this.prefix, c0.epoch, c0.clock, now, ...deps)) as [number, string]
    if (ok !== 1) return null
    return rec ? rec.split(',').map(Number) : []
  }
}
