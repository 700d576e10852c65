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
