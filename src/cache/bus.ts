import type { Redis } from 'ioredis'
import { LRUCache } from 'lru-cache'
import { ChangeLog } from './change-log.js'
import type { ClockReading } from './versions.js'

/**
 * Redis pub/sub between instances. Version bumps update a local mirror of recent versions so an
 * L1 entry whose deps moved is dropped on its next read (no dep -> keys index is kept). "filled"
 * messages wake requests waiting for another instance's fill. Losing the subscription means
 * missed bumps, so the owner flushes L1 whenever the bus (re)connects.
 *
 * Bumps are also kept in order in `log` for derived views. After each (re)subscription the clock
 * is read, and the log records every bump after it; announcements that arrive meanwhile wait.
 */
export class Bus {
  private readonly mirror = new LRUCache<string, number>({ max: 200_000 })
  private readonly waiters = new Map<string, Set<() => void>>()
  private sub: Redis | null = null
  epoch = ''
  readonly log = new ChangeLog()
  /** Announcements received while the log is being resynchronized. */
  private held: [string, number, string[]][] | null = []
  private generation = 0

  constructor(
    private readonly busChannel: string,
    private readonly filledChannel: string,
    private readonly onReconnect: () => void,
  ) {}

  /** readClock reads the clock on another connection (the subscriber cannot send GET). */
  async start(redis: Redis, readClock: () => Promise<ClockReading>): Promise<void> {
    // resync subscribes after every (re)connect and handles its failure; ioredis's own
    // resubscription would fail unobserved when the connection drops again at once.
    const sub = redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null, autoResubscribe: false })
    this.sub = sub
    this.log.suspend()
    sub.on('error', () => {})
    sub.on('ready', () => {
      this.mirror.clear()
      this.onReconnect()
      void this.resync(sub, readClock)
    })
    sub.on('end', () => this.log.suspend())
    sub.on('close', () => {
      this.held = []
      this.log.suspend()
    })
    sub.on('messageBuffer', (channel: Buffer, message: Buffer) => this.onMessage(channel.toString(), message.toString()))
    await sub.subscribe(this.busChannel, this.filledChannel)
  }

  /** Subscribed for sure, then the clock: every later bump will be heard, in order. */
  private async resync(sub: Redis, readClock: () => Promise<ClockReading>): Promise<void> {
    const gen = ++this.generation
    this.held ??= []
    this.log.suspend()
    try {
      await sub.subscribe(this.busChannel, this.filledChannel)
      const c = await readClock()
      if (gen !== this.generation || this.sub !== sub) return
      this.log.reset(c.epoch, c.clock)
      const held = this.held ?? []
      this.held = null
      for (const [epoch, clock, deps] of held) this.log.record(epoch, clock, deps)
    } catch {
      // Suspended meanwhile (derived views reload from the database); try again shortly.
      if (gen !== this.generation || this.sub !== sub) return
      setTimeout(() => {
        if (gen === this.generation && this.sub === sub) void this.resync(sub, readClock)
      }, 1000).unref()
    }
  }

  /** Records bumps applied by this process (the writer path) without waiting for the echo. */
  noteLocal(epoch: string, clock: number, deps: readonly string[]): void {
    if (epoch !== this.epoch) {
      this.mirror.clear()
      this.epoch = epoch
    }
    for (const d of deps) this.mirror.set(d, clock)
  }

  /** The deps known to have moved past their recorded clock (null when none, all on a new epoch). */
  moved(epoch: string, deps: readonly string[], recorded: readonly number[]): readonly string[] | null {
    if (this.epoch && epoch !== this.epoch) return deps
    let out: string[] | null = null
    for (let i = 0; i < deps.length; i++) {
      const v = this.mirror.get(deps[i]!)
      if (v !== undefined && v > (recorded[i] ?? -1)) (out ??= []).push(deps[i]!)
    }
    return out
  }

  waitFilled(key: string, timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      let set = this.waiters.get(key)
      if (!set) this.waiters.set(key, (set = new Set()))
      const done = () => {
        clearTimeout(timer)
        set!.delete(done)
        if (set!.size === 0) this.waiters.delete(key)
        resolve()
      }
      const timer = setTimeout(done, timeoutMs)
      set.add(done)
    })
  }

  private onMessage(channel: string, message: string): void {
    if (channel === this.filledChannel) {
      for (const w of [...(this.waiters.get(message) ?? [])]) w()
      return
    }
    const [epoch, version, ...deps] = message.split('\n')
    const clock = Number(version!.split('|')[0])
    this.noteLocal(epoch!, clock, deps)
    // A dropped announcement shows as a gap after the resync, which restarts the log: safe.
    if (this.held) {
      if (this.held.length < 10_000) this.held.push([epoch!, clock, deps])
    }
    else this.log.record(epoch!, clock, deps)
  }

  async stop(): Promise<void> {
    const sub = this.sub
    this.sub = null
    this.log.suspend()
    if (sub) sub.disconnect()
  }
}
