import { ConfigError } from '../../src/config.js'

/** Class name → share of the offered requests, normalized to sum to 1. */
export type Shares = Record<string, number>

/** Reads a mix file's object; every key must be a known class and every share a number ≥ 0. */
export function parseShares(raw: unknown, known: readonly string[], source: string): Shares {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new ConfigError(`${source}: the mix must be an object {"<class>": share, ...}`)
  const out: Shares = {}
  for (const [name, v] of Object.entries(raw as Record<string, unknown>)) {
    if (!known.includes(name)) throw new ConfigError(`${source}: unknown traffic class "${name}" (known: ${known.join(', ')})`)
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new ConfigError(`${source}: the share of "${name}" must be a number >= 0`)
    if (v > 0) out[name] = v
  }
  return normalize(out, source)
}

/** The same shares over a subset of classes (the others cannot run), summing to 1 again. */
export function keepOnly(shares: Shares, keep: (name: string) => boolean, source = 'mix'): Shares {
  return normalize(Object.fromEntries(Object.entries(shares).filter(([k]) => keep(k))), source)
}

function normalize(s: Shares, source: string): Shares {
  const total = Object.values(s).reduce((a, v) => a + v, 0)
  if (total <= 0) throw new ConfigError(`${source}: no class with a share above 0`)
  return Object.fromEntries(Object.entries(s).map(([k, v]) => [k, v / total]))
}

/**
 * Smooth weighted round-robin: each pick goes to the class furthest behind its share, so any run of
 * n picks matches the shares to within one request per class, in the same order every time.
 */
export class SharePicker {
  private readonly names: string[]
  private readonly weights: number[]
  private readonly current: number[]

  constructor(shares: Shares) {
    this.names = Object.keys(shares)
    this.weights = this.names.map((n) => shares[n]!)
    this.current = this.names.map(() => 0)
  }

  next(): string {
    let best = 0
    for (let i = 0; i < this.names.length; i++) {
      this.current[i]! += this.weights[i]!
      if (this.current[i]! > this.current[best]!) best = i
    }
    this.current[best]! -= 1
    return this.names[best]!
  }
}
