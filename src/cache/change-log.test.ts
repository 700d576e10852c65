import { describe, expect, it } from 'vitest'
import { ChangeLog } from './change-log.js'

describe('change log', () => {
  it('answers the deps moved between two clocks of one epoch', async () => {
    const log = new ChangeLog()
    log.reset('e1', 10)
    log.record('e1', 11, ['r:clubs:1'])
    log.record('e1', 12, ['r:clubs:2', 't:clubs'])
    expect(await log.changes('e1', 10, 12)).toEqual(['r:clubs:1', 'r:clubs:2', 't:clubs'])
    expect(await log.changes('e1', 11, 12)).toEqual(['r:clubs:2', 't:clubs'])
    expect(await log.changes('e1', 12, 12)).toEqual([])
  })

  it('cannot tell what happened before it started, in another epoch, or across a lost batch', async () => {
    const log = new ChangeLog()
    log.reset('e1', 10)
    log.record('e1', 11, ['a'])
    expect(await log.changes('e1', 9, 11)).toBeNull()
    expect(await log.changes('e2', 10, 11)).toBeNull()
    log.record('e1', 14, ['d']) // 12 and 13 were lost on the way
    expect(await log.changes('e1', 11, 14)).toBeNull()
    expect(await log.changes('e1', 13, 14)).toEqual(['d'])
    log.record('e2', 1, ['x']) // Redis lost its data: a new epoch starts over
    expect(await log.changes('e1', 13, 14)).toBeNull()
    expect(await log.changes('e2', 0, 1)).toEqual(['x'])
  })

  it('waits briefly for batches announced but not yet received', async () => {
    const log = new ChangeLog()
    log.reset('e', 0)
    const pending = log.changes('e', 0, 2, 500)
    log.record('e', 1, ['a'])
    setTimeout(() => log.record('e', 2, ['b']), 20)
    expect(await pending).toEqual(['a', 'b'])
    expect(await log.changes('e', 0, 3, 30)).toBeNull()
  })

  it('keeps a bounded window and says so for older clocks', async () => {
    const log = new ChangeLog(100)
    log.reset('e', 0)
    for (let c = 1; c <= 1000; c++) log.record('e', c, [`r:x:${c}`])
    expect(await log.changes('e', 850, 851)).toBeNull()
    expect(await log.changes('e', 950, 952)).toEqual(['r:x:951', 'r:x:952'])
  })

  it('answers nothing while suspended (announcements not being received)', async () => {
    const log = new ChangeLog()
    log.reset('e', 5)
    log.suspend()
    expect(await log.changes('e', 5, 5)).toBeNull()
    log.reset('e', 7)
    log.record('e', 8, ['a'])
    expect(await log.changes('e', 7, 8)).toEqual(['a'])
  })
})

describe('change log: what moved since', () => {
  it('tells whether a dep moved after its recorded clock, without asking Redis', async () => {
    const log = new ChangeLog(100)
    log.reset('e', 10)
    log.record('e', 11, ['r:sessions:a', 't:sessions'])
    log.record('e', 12, ['r:users:7'])
    expect(await log.movedSince('e', ['r:sessions:a', 'r:users:7'], [11, 12], 12)).toBe(false)
    expect(await log.movedSince('e', ['r:sessions:a', 'r:users:7'], [10, 12], 12)).toBe(true)
    expect(await log.movedSince('e', ['r:sessions:b'], [10], 12)).toBe(false)
    expect(await log.movedSince('e', ['r:sessions:b'], [9], 12)).toBeNull() // before the log's start
    expect(await log.movedSince('x', ['r:sessions:b'], [10], 12)).toBeNull()
    expect(await log.movedSince('e', ['r:sessions:b'], [10], 13)).toBeNull() // not heard yet
    setTimeout(() => log.record('e', 13, ['r:sessions:b']), 10)
    expect(await log.movedSince('e', ['r:sessions:b'], [10], 13, 500)).toBe(true)
  })

  it('forgets moves that fell out of its window, and then cannot tell', async () => {
    const log = new ChangeLog(10)
    log.reset('e', 0)
    log.record('e', 1, ['r:x:1'])
    for (let c = 2; c <= 40; c++) log.record('e', c, [`r:y:${c}`])
    expect(await log.movedSince('e', ['r:x:1'], [0], 40)).toBeNull()
    expect(await log.movedSince('e', ['r:x:1'], [35], 40)).toBe(false)
  })
})
