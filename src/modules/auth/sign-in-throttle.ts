import { isIPv4 } from 'node:net'
import type { Redis } from 'ioredis'
import { LRUCache } from 'lru-cache'

/**
 * How failed sign-ins from one address are slowed down. Sized for a campus behind one NAT
 * address: only failures count and only failures are slowed, so the thousands who type their
 * password right are never held up by anyone's mistakes (or by an attacker spraying from the
 * same address); someone who mistypes during a burst of failures waits at most `maxHoldMs`.
 */
export interface SprayPolicy {
  /** Failures are counted per address over this fixed window. */
  readonly windowMs: number
  /** Failures per address and window answered as usual (401 at once). */
  readonly free: number
  /** The first failure past `free` is answered after this hold (429)... */
  readonly firstHoldMs: number
  /** ...which doubles every `doubleEvery` further failures... */
  readonly doubleEvery: number
  /** ...up to this. */
  readonly maxHoldMs: number
}

export const SPRAY_POLICY: SprayPolicy = { windowMs: 15 * 60_000, free: 20, firstHoldMs: 500, doubleEvery: 3, maxHoldMs: 10_000 }

/** How long the answer to the address's `failures`-th failure in the window is held (0: not at all). */
export function holdFor(failures: number, p: SprayPolicy = SPRAY_POLICY): number {
  const beyond = failures - p.free
  if (beyond <= 0) return 0
  return Math.min(p.maxHoldMs, Math.round(p.firstHoldMs * 2 ** ((beyond - 1) / p.doubleEvery)))
}

/**
 * The unit an address is counted by: an IPv4 address, or an IPv6 /64 (one subscriber's
 * network, whose addresses an attacker could otherwise rotate through).
 */
export function addressKey(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)
  if (mapped) return mapped[1]!
  if (isIPv4(ip) || !ip.includes(':')) return ip
  const [head = '', tail = ''] = ip.split('::') as [string, string?]
  const left = head ? head.split(':') : []
  const right = ip.includes('::') && tail ? tail.split(':') : []
  const groups = ip.includes('::') ? [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right] : left
  return `${groups.slice(0, 4).map((g) => (parseInt(g, 16) || 0).toString(16)).join(':')}::/64`
}

// INCR with the window set on the first failure (or on a counter that somehow lost its TTL).
const COUNT_FAILURE = `
local n = redis.call('INCR', KEYS[1])
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n`

type ScriptedRedis = Redis & { quadCountFailure(key: string, windowMs: number): Promise<number> }

/**
 * Failed sign-ins per address, shared by every instance through Redis; in process memory without
 * Redis (embedded mode) or while Redis fails, so the throttle never turns off.
 */
export class SignInThrottle {
  private readonly memory: LRUCache<string, { n: number }>
  private readonly redis: ScriptedRedis | null

  constructor(
    redis: Redis | null,
    private readonly prefix: string,
    readonly policy: SprayPolicy = SPRAY_POLICY,
  ) {
    // Bounded: a flood from many addresses evicts the oldest counters, never grows without end.
    this.memory = new LRUCache({ max: 100_000, ttl: policy.windowMs })
    if (redis && !('quadCountFailure' in redis)) redis.defineCommand('quadCountFailure', { lua: COUNT_FAILURE, numberOfKeys: 1 })
    this.redis = redis as ScriptedRedis | null
  }

  /** Records a failed sign-in from `ip`; returns how long its answer is to be held (0: answer now). */
  async failed(ip: string): Promise<number> {
    const key = addressKey(ip)
    let n: number
    try {
      n = this.redis ? Number(await this.redis.quadCountFailure(`${this.prefix}signin-fail:${key}`, this.policy.windowMs)) : this.countInMemory(key)
    } catch {
      n = this.countInMemory(key)
    }
    return holdFor(n, this.policy)
  }

  private countInMemory(key: string): number {
    const c = this.memory.get(key)
    if (c) return ++c.n
    this.memory.set(key, { n: 1 })
    return 1
  }
}
