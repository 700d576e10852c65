/** The result list, virtualized against the window so 1,200 clubs cost only the visible rows. */
import { useLayoutEffect, useRef, useState } from 'react'
import type { DirectoryClub } from './cards.js'
import { ClubCard, ClubRow } from './ClubCard.js'
import type { View } from './filters.js'
import { useWindowRows } from './useWindowRows.js'

const CARD_MIN_WIDTH = 280
const CARD_ROW_HEIGHT = 248
const LIST_ROW_HEIGHT = 96

function useWidth(ref: React.RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(0)
  useLayoutEffect(() => {
    const el = ref.current
    if (!el) return
    setWidth(el.clientWidth)
    const ro = new ResizeObserver(() => setWidth(el.clientWidth))
    ro.observe(el)
    return () => ro.disconnect()
  }, [ref])
  return width
}

export function Results({ clubs, view }: { clubs: DirectoryClub[]; view: View }) {
  const ref = useRef<HTMLDivElement>(null)
  const width = useWidth(ref)
  const columns = view === 'cards' ? Math.max(1, Math.floor((width + 16) / (CARD_MIN_WIDTH + 16))) : 1
  const rowHeight = view === 'cards' ? CARD_ROW_HEIGHT : LIST_ROW_HEIGHT
  const [offset, setOffset] = useState(0)
  useLayoutEffect(() => setOffset(ref.current ? ref.current.getBoundingClientRect().top + window.scrollY : 0), [width, view])
  const { first, last, total } = useWindowRows(Math.ceil(clubs.length / columns), rowHeight, offset)
  const rows: number[] = []
  for (let i = first; i <= last; i++) rows.push(i)
  return (
    <div ref={ref} className={`results results-${view}`} role="list" aria-label="Clubs" style={{ height: total, position: 'relative' }}>
      {rows.map((row) => {
        const slice = clubs.slice(row * columns, row * columns + columns)
        return (
          <div
            key={row}
            className="result-row"
            style={{ position: 'absolute', top: 0, left: 0, right: 0, height: rowHeight, transform: `translateY(${row * rowHeight}px)`, gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))` }}
          >
            {slice.map((c) => (
              <div role="listitem" key={c.code}>
                {view === 'cards' ? <ClubCard club={c} /> : <ClubRow club={c} />}
              </div>
            ))}
          </div>
        )
      })}
    </div>
  )
}
