import { useEffect, useState } from 'react'

export interface Rows {
  /** First and last row to render (inclusive); last < first when there are none. */
  first: number
  last: number
  /** Height of all rows together. */
  total: number
}

/** The rows of fixed height `rowHeight`, starting `offset` px down the page, that meet the viewport (± overscan). */
export function rowsInView(count: number, rowHeight: number, offset: number, scrollY: number, viewport: number, overscan: number): Rows {
  const first = Math.max(0, Math.floor((scrollY - offset) / rowHeight) - overscan)
  const last = Math.min(count - 1, Math.ceil((scrollY + viewport - offset) / rowHeight) + overscan)
  return { first, last, total: count * rowHeight }
}

/**
 * Window virtualization for rows of one fixed height: only the rows near the viewport are
 * rendered, so 1,200 clubs cost a screenful. Re-renders only when the range of rows changes.
 */
export function useWindowRows(count: number, rowHeight: number, offset: number, overscan = 4): Rows {
  // Before layout (first paint, tests) a first screenful.
  const read = () => rowsInView(count, rowHeight, offset, window.scrollY, window.innerHeight || 900, overscan)
  const [rows, setRows] = useState(read)
  useEffect(() => {
    let frame = 0
    const update = () => {
      frame = 0
      const next = read()
      setRows((r) => (r.first === next.first && r.last === next.last && r.total === next.total ? r : next))
    }
    const schedule = () => {
      if (!frame) frame = requestAnimationFrame(update)
    }
    update()
    window.addEventListener('scroll', schedule, { passive: true })
    window.addEventListener('resize', schedule)
    return () => {
      window.removeEventListener('scroll', schedule)
      window.removeEventListener('resize', schedule)
      cancelAnimationFrame(frame)
    }
    // read() depends on exactly these.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [count, rowHeight, offset, overscan])
  return rows
}
