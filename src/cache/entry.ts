import { createHash } from 'node:crypto'
import { promisify } from 'node:util'
import zlib from 'node:zlib'
import type { Version } from './versions.js'

const gzip = promisify(zlib.gzip)
const brotli = promisify(zlib.brotliCompress)

export interface EntryMeta {
  readonly status: number
  readonly etag: string
  readonly deps: readonly string[]
  /** Version clock of each dep when filled; -1 marks a dep that moved during the fill (stale). */
  readonly recorded: readonly number[]
  readonly epoch: string
  /** Backstop: after this wall time the entry is stale (softly) even if no dep moved. */
  readonly freshUntil: number
  /** The data stops being true at this wall time (a deadline passes); 0 = never. */
  readonly hardUntil: number
  readonly createdAt: number
}

/** A response as ready-to-send bytes in every encoding we serve. */
export interface Entry {
  readonly meta: EntryMeta
  readonly raw: Buffer
  readonly gz: Buffer
  readonly br: Buffer
  /** When this process last saw the entry's versions current. */
  verifiedAt: number
  /** The global clock value at that check: while the clock has not moved, nothing has changed. */
  verifiedClock: number
}

/** Bodies at least this large are compressed harder: they are few, built once per change, and sent often. */
export const LARGE_BODY = 64 * 1024

export interface Encoded {
  gz: Buffer
  br: Buffer
}

/**
 * gzip and brotli of a body, on the libuv pool (off the event loop). Brotli 7 makes the large
 * bodies (the whole directory) ~10 % smaller than 5; past a megabyte its cost grows faster than
 * the saving, so those get 5 again.
 */
export async function encode(raw: Buffer): Promise<Encoded> {
  const quality = raw.length >= LARGE_BODY && raw.length < 1024 * 1024 ? 7 : 5
  const [gz, br] = await Promise.all([
    gzip(raw, { level: 6 }),
    brotli(raw, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: quality, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length } }),
  ])
  return { gz, br }
}

/** Strong validator of a body: the same bytes give the same ETag on every instance. */
export const etagOf = (raw: Buffer) => `"${createHash('sha256').update(raw).digest('base64url').slice(0, 27)}"`

export async function buildEntry(
  status: number,
  raw: Buffer,
  deps: readonly string[],
  epoch: string,
  freshUntil: number,
  hardUntil: number,
  now: number,
  encoded?: Encoded,
): Promise<Entry> {
  const { gz, br } = encoded ?? (await encode(raw))
  const etag = etagOf(raw)
  return { meta: { status, etag, deps, recorded: [], epoch, freshUntil, hardUntil, createdAt: now }, raw, gz, br, verifiedAt: 0, verifiedClock: -1 }
}

export const entrySize = (e: Entry) => e.raw.length + e.gz.length + e.br.length + 200 + e.meta.deps.length * 40

export type Freshness =
  | { state: 'fresh' }
  /**
   * since: wall time the entry became stale (its creation when unknown). hard: a change that must
   * be visible at once (a non-soft dep moved, a deadline passed, or versions are unknown), as
   * opposed to soft staleness (backstop ttl, soft deps such as counters) that a route's
   * staleness budget may cover.
   */
  | { state: 'stale'; since: number; hard: boolean }

/** Compares an entry with the current versions of its deps. */
export function freshness(
  meta: EntryMeta,
  epoch: string,
  current: readonly (Version | null)[],
  now: number,
  isSoft: (dep: string) => boolean,
): Freshness {
  if (epoch !== meta.epoch) return { state: 'stale', since: meta.createdAt, hard: true }
  let since = Infinity
  let hard = false
  if (meta.hardUntil && meta.hardUntil <= now) {
    since = meta.hardUntil
    hard = true
  } else if (meta.freshUntil <= now) since = meta.freshUntil
  for (let i = 0; i < meta.deps.length; i++) {
    const cur = current[i]
    const rec = meta.recorded[i] ?? -1
    if (!cur) return { state: 'stale', since: meta.createdAt, hard: true }
    if (rec >= 0 && cur.clock <= rec) continue
    since = Math.min(since, rec < 0 ? meta.createdAt : cur.at)
    if (!isSoft(meta.deps[i]!)) hard = true
  }
  return since === Infinity ? { state: 'fresh' } : { state: 'stale', since, hard }
}

/** t:club_stats, r:club_stats:4, p:club_stats:x=1 -> club_stats */
export const depTable = (dep: string) => {
  const rest = dep.slice(2)
  const end = rest.search(/[:]/)
  return end < 0 ? rest : rest.slice(0, end)
}

/** Picks the best encoding the client accepts. */
export function pickEncoding(acceptEncoding: string | undefined): 'br' | 'gz' | 'raw' {
  if (!acceptEncoding) return 'raw'
  const ae = acceptEncoding.toLowerCase()
  if (/\bbr\b(?!;q=0(\.0*)?\b)/.test(ae)) return 'br'
  if (/\bgzip\b(?!;q=0(\.0*)?\b)/.test(ae)) return 'gz'
  return 'raw'
}
