import { describe, expect, it } from 'vitest'
import { rowsInView } from './useWindowRows.js'

describe('window rows', () => {
  it('renders the rows meeting the viewport, with overscan, clamped to the list', () => {
    // 100 rows of 100 px starting 200 px down; the viewport shows 1000–1800.
    expect(rowsInView(100, 100, 200, 1000, 800, 2)).toEqual({ first: 6, last: 18, total: 10_000 })
    expect(rowsInView(100, 100, 200, 0, 800, 2)).toEqual({ first: 0, last: 8, total: 10_000 })
    expect(rowsInView(100, 100, 200, 9_800, 800, 2)).toEqual({ first: 94, last: 99, total: 10_000 })
    expect(rowsInView(0, 100, 0, 0, 800, 2)).toEqual({ first: 0, last: -1, total: 0 })
  })
})
