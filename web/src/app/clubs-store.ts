/** The directory list, fetched once per page load and shared (directory, saved clubs, my clubs). */
import { useEffect, useState } from 'react'
import * as api from '../api/index.js'
import { type DirectoryClub, resolveClubs } from '../directory/cards.js'

type State = { clubs?: DirectoryClub[]; error?: Error; loading: boolean }
let state: State = { loading: false }
let inflight: Promise<void> | null = null
const listeners = new Set<(s: State) => void>()

function set(next: State) {
  state = next
  for (const l of listeners) l(state)
}

export function loadClubs(force = false): Promise<void> {
  if (inflight && !force) return inflight
  if (state.clubs && !force) return Promise.resolve()
  set({ ...state, loading: true, error: undefined })
  const started = performance.now()
  inflight = api
    .listClubs()
    .then(
      (r) => {
        performance.measure?.('quad:clubs-fetch', { start: started, end: performance.now() })
        const clubs = resolveClubs(r)
        performance.mark?.('quad:clubs-loaded')
        set({ clubs, loading: false })
      },
      (error: Error) => set({ ...state, error, loading: false }),
    )
    .finally(() => {
      inflight = null
    })
  return inflight
}

/** Forget the list (a fresh page load, in tests). */
export function resetClubs(): void {
  set({ loading: false })
}

/** Drop the copy (after an edit) so the next view refetches. */
export const invalidateClubs = () => void loadClubs(true)

export function useClubs(): State & { retry: () => void } {
  const [s, setS] = useState(state)
  useEffect(() => {
    listeners.add(setS)
    setS(state)
    void loadClubs()
    return () => {
      listeners.delete(setS)
    }
  }, [])
  return { ...s, retry: () => void loadClubs(true) }
}
