import { describe, expect, it } from 'vitest'
import { DEFAULT_CAPACITY_MIX, parseBenchArgs } from './options.js'

const parse = (args: string[]) => {
  const o = parseBenchArgs(args)
  if (o === 'help') throw new Error('help')
  return o
}

describe('bench options', () => {
  it('defaults: two alternating wrk rounds of 3 s, capacity search from 250 req/s by 1.25', () => {
    const o = parse([])
    expect(o).toMatchObject({ baselineDuration: 3, baselineConnections: 32, baselineRounds: 2, maxRssSlope: 2, findCapacity: false })
    expect(o.capacity).toEqual({ mixFile: DEFAULT_CAPACITY_MIX, start: 250, factor: 1.25, refine: 1, maxRate: 20_000, connections: 256, stepDuration: 10, stepWarmup: 2 })
  })

  it('reads the capacity options', () => {
    const o = parse(['--find-capacity', '--step-duration', '4', '--step-warmup', '1', '--capacity-start', '100', '--capacity-factor', '1.5', '--capacity-refine', '0', '--capacity-max-rate', '900'])
    expect(o.findCapacity).toBe(true)
    expect(o.capacity).toMatchObject({ stepDuration: 4, stepWarmup: 1, start: 100, factor: 1.5, refine: 0, maxRate: 900 })
  })

  it('refuses out-of-range values', () => {
    expect(() => parse(['--capacity-factor', '1'])).toThrow(/--capacity-factor/)
    expect(() => parse(['--baseline-rounds', '-1'])).toThrow(/--baseline-rounds/)
    expect(() => parse(['--step-duration', '0'])).toThrow(/--step-duration/)
  })
})
