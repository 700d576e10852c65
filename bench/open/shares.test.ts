import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { DEFAULT_CAPACITY_MIX } from '../options.js'
import { TRAFFIC_CLASSES } from '../traffic/index.js'
import { keepOnly, parseShares, SharePicker } from './shares.js'

const KNOWN = ['directory', 'club-page', 'session', 'submit']

describe('class shares', () => {
  it('normalizes the shares to sum to 1 and drops zero shares', () => {
    expect(parseShares({ directory: 2, 'club-page': 1, session: 1, submit: 0 }, KNOWN, 'mix')).toEqual({ directory: 0.5, 'club-page': 0.25, session: 0.25 })
  })

  it('refuses unknown classes and shares that are not numbers >= 0', () => {
    expect(() => parseShares({ browse: 1 }, KNOWN, 'mix.json')).toThrow(/unknown traffic class "browse"/)
    expect(() => parseShares({ directory: -1 }, KNOWN, 'mix.json')).toThrow(/>= 0/)
    expect(() => parseShares({ directory: '1' }, KNOWN, 'mix.json')).toThrow(/>= 0/)
    expect(() => parseShares([], KNOWN, 'mix.json')).toThrow(/object/)
    expect(() => parseShares({ directory: 0 }, KNOWN, 'mix.json')).toThrow(/no class/)
  })

  it('renormalizes over the classes that can run', () => {
    expect(keepOnly({ directory: 0.5, 'club-page': 0.25, submit: 0.25 }, (n) => n !== 'submit')).toEqual({ directory: 2 / 3, 'club-page': 1 / 3 })
  })

  it('the checked-in deadline mix names known classes only', () => {
    const shares = parseShares(JSON.parse(readFileSync(DEFAULT_CAPACITY_MIX, 'utf8')), Object.keys(TRAFFIC_CLASSES), DEFAULT_CAPACITY_MIX)
    expect(Object.values(shares).reduce((a, v) => a + v, 0)).toBeCloseTo(1, 9)
    // Reads dominate deadline day; writes are there.
    expect(shares['club-page']! + shares.directory!).toBeGreaterThan(0.3)
    expect(shares.submit).toBeGreaterThan(0)
  })
})

describe('share picker', () => {
  it('matches the shares within one request per class at every point', () => {
    const shares = { directory: 0.5, 'club-page': 0.3, submit: 0.15, session: 0.05 }
    const p = new SharePicker(shares)
    const seen: Record<string, number> = {}
    for (let i = 1; i <= 1000; i++) {
      const name = p.next()
      seen[name] = (seen[name] ?? 0) + 1
      for (const [k, v] of Object.entries(shares)) expect(Math.abs((seen[k] ?? 0) - v * i)).toBeLessThanOrEqual(1)
    }
    expect(seen).toEqual({ directory: 500, 'club-page': 300, submit: 150, session: 50 })
  })

  it('interleaves the classes the same way every time', () => {
    const run = () => {
      const p = new SharePicker({ a: 0.6, b: 0.4 })
      return Array.from({ length: 10 }, () => p.next()).join('')
    }
    expect(run()).toBe(run())
    expect(run()).toBe('ababaababa')
  })
})
