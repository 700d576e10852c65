/** The directory list, fetched once per page load and shared (directory, saved clubs, my clubs). */
import { useEffect, useState } from 'react'
import * as api from '../api/index.js'
import type { BadgeRef, ClubListResponse, DirectoryClub, TagRef } from '../api/types.js'

/**
 * Cards as the app uses them: tag and badge ids resolved against the response's dictionaries
 * (the objects are shared between cards), absent fields given their empty values.
 */
export function resolveClubs(r: ClubListResponse): DirectoryClub[] {
  const tags = new Map<number, TagRef>(r.tags.map((t) => [t.id, t]))
  const badges = new Map<number, BadgeRef>(r.badges.map((b) => [b.id, b]))
  const refs = <X>(ids: number[] | undefined, dict: Map<number, X>): X[] => {
    const out: X[] = []
    for (const id of ids ?? []) {
      const x = dict.get(id)
      if (x) out.push(x)
    }
    return out
  }
  return r.clubs.map((c) => ({
    code: c.code,
    name: c.name,
    subtitle: c.subtitle,
    size: c.size,
    tags: refs(c.tags, tags),
    badges: refs(c.badges, badges),
    category: c.category ?? null,
    recruiting: c.recruiting === true,
    open: c.open === true,
    bookmarks: c.bookmarks,
    members: c.members,
    years: c.years ?? [],
    schools: c.schools ?? [],
    updated: c.updated,
  }))
}

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
