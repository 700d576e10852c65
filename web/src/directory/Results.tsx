/** The result list, virtualized against the window so 1,200 clubs cost only the visible rows. */
import { useWindowVirtualizer } from '@tanstack/react-virtual'
import { useLayoutEffect, useRef, useState } from 'react'
import type { DirectoryClub } from './cards.js'
import { ClubCard, ClubRow } from './ClubCard.js'
import type { View } from './filters.js'

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
  const rows = Math.ceil(clubs.length / columns)
  const [offset, setOffset] = useState(0)
  useLayoutEffect(() => setOffset(ref.current ? ref.current.getBoundingClientRect().top + window.scrollY : 0), [width, view])
  const virtualizer = useWindowVirtualizer({
    count: rows,
    estimateSize: () => (view === 'cards' ? CARD_ROW_HEIGHT : LIST_ROW_HEIGHT),
    overscan: 4,
    scrollMargin: offset,
    // Before layout (tests, first paint) render a first screenful.
    initialRect: { width: 1024, height: 900 },
  })
  const items = virtualizer.getVirtualItems()
  return (
    <div ref={ref} className={`results results-${view}`} role="list" aria-label="Clubs" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
      {items.map((row) => {
        const slice = clubs.slice(row.index * columns, row.index * columns + columns)
        return (
          <div
            key={row.key}
            className="result-row"
            style={{ position: 'absolute', top: 0, left: 0, right: 0, height: row.size, transform: `translateY(${row.start - virtualizer.options.scrollMargin}px)`, gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))` }}
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
