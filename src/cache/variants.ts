import { randomBytes } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Redis } from 'ioredis'
import { LRUCache } from 'lru-cache'
import { type Encoded, type Entry, encode, entrySize, etagOf } from './entry.js'

/** Where large variant bodies are compressed: here, or once for all instances through Redis. */
export interface Encoder {
  /** The encodings of `raw` (whose ETag is `etag`); `slot` names a bounded set of shared bodies. */
  encode(raw: Buffer, etag: string, slot: string | null): Promise<Encoded>
}

export const localEncoder: Encoder = { encode: (raw) => encode(raw) }

/**
 * Shares the compressed bytes of named bodies between instances: one Redis hash per slot holds
 * the ETag and the encodings of the body last compressed for it. An instance that computes the
 * same bytes (same ETag) takes them instead of compressing; the first to miss takes a short lease
 * and compresses, the others wait briefly for it. Any Redis trouble falls back to compressing here.
 */
export class RedisEncoder implements Encoder {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttlMs = 10 * 60_000,
  ) {}

  async encode(raw: Buffer, etag: string, slot: string | null): Promise<Encoded> {
    if (!slot) return encode(raw)
    const key = `${this.prefix}z:${slot}`
    const lease = `${key}:lease`
    try {
      const found = await this.lookup(key, etag)
      if (found) return found
      const token = randomBytes(6).toString('hex')
      const mine = (await this.redis.set(lease, token, 'PX', 5000, 'NX')) === 'OK'
      if (!mine) {
        for (let i = 0; i < 25; i++) {
          await sleep(8)
          const other = await this.lookup(key, etag)
          if (other) return other
        }
        return encode(raw)
      }
      const z = await encode(raw)
      await this.redis.multi().hset(key, 'etag', etag, 'gz', z.gz, 'br', z.br).pexpire(key, this.ttlMs).exec()
      if ((await this.redis.get(lease)) === token) await this.redis.del(lease)
      return z
    } catch {
      return encode(raw)
    }
  }

  private async lookup(key: string, etag: string): Promise<Encoded | null> {
    const [e, gz, br] = await this.redis.hmgetBuffer(key, 'etag', 'gz', 'br')
    return e && gz && br && e.toString() === etag ? { gz, br } : null
  }
}

interface Variant {
  revision: number
  /** Wall time the body stops being true (0 = never). */
  until: number
  entry: Entry
}

/**
 * Bytes of the variants of derived views (the directory's filters, orders, pages), per instance.
 * A variant is valid for one revision of its model and until its time boundary. The store is an
 * LRU bounded in bytes and entries, so no client can grow it; nothing here is shared but the
 * compressed bytes of named large bodies (see RedisEncoder).
 */
export class VariantStore {
  private readonly lru: LRUCache<string, Variant>
  private readonly flights = new Map<string, Promise<Entry>>()

  constructor(
    private readonly encoder: Encoder,
    opts: { maxBytes: number; maxEntries: number },
  ) {
    this.lru = new LRUCache<string, Variant>({ max: opts.maxEntries, maxSize: Math.max(1, opts.maxBytes), sizeCalculation: (v) => entrySize(v.entry) })
  }

  get size(): number {
    return this.lru.size
  }

  /** The stored bytes of a variant for this revision, if this instance has them. */
  peek(key: string, revision: number, now: number): Entry | null {
    const v = this.lru.get(key)
    return v && v.revision === revision && (!v.until || now < v.until) ? v.entry : null
  }

  /** The stored bytes of a variant, or the body rendered and compressed once for this revision. */
  async get(
    key: string,
    revision: number,
    now: number,
    render: () => { body: string; until: number },
    slot: string | null,
  ): Promise<{ entry: Entry; stored: boolean }> {
    const v = this.lru.get(key)
    if (v && v.revision === revision && (!v.until || now < v.until)) return { entry: v.entry, stored: true }
    const flight = `${revision}\u0000${key}`
    let p = this.flights.get(flight)
    if (!p) {
      p = this.build(key, revision, now, render, slot).finally(() => this.flights.delete(flight))
      this.flights.set(flight, p)
    }
    return { entry: await p, stored: false }
  }

  private async build(key: string, revision: number, now: number, render: () => { body: string; until: number }, slot: string | null): Promise<Entry> {
    const { body, until } = render()
    const raw = Buffer.from(body)
    const etag = etagOf(raw)
    const prev = this.lru.get(key)
    if (prev && prev.entry.meta.etag === etag) {
      // Most changes leave most variants as they were: same bytes, nothing to compress.
      if (prev.revision <= revision) this.lru.set(key, { revision, until, entry: prev.entry })
      return prev.entry
    }
    const { gz, br } = await this.encoder.encode(raw, etag, slot)
    const entry: Entry = {
      meta: { status: 200, etag, deps: [], recorded: [], epoch: '', freshUntil: until || Number.MAX_SAFE_INTEGER, hardUntil: until, createdAt: now },
      raw,
      gz,
      br,
      verifiedAt: now,
      verifiedClock: -1,
    }
    const cur = this.lru.get(key)
    if (!cur || cur.revision <= revision) this.lru.set(key, { revision, until, entry })
    return entry
  }
}
