/**
 * The one place where the viewer's private overlay (GET /api/me/overlay) meets the cached public
 * pages: what the viewer follows, belongs to and started, and the writes that change it. A write
 * patches every cached view it touches (overlay, directory cards, club page), so all of them
 * change at once without a reload.
 */
import { type QueryClient, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import * as api from '../api/public.js'
import { EMPTY_OVERLAY, type Overlay, parseOverlay } from '../api/overlay.js'
import type { ClubDetail } from '../api/types.js'
import type { DirectoryClub } from '../directory/cards.js'
import { clubQuery } from './public.js'
import { useMe } from './session.js'

export const overlayQuery = queryOptions({
  queryKey: ['private', 'overlay'],
  queryFn: async () => parseOverlay(await api.getOverlay()),
  structuralSharing: false,
  // Read once per session; the viewer's own writes patch it or ask for it again.
  staleTime: Infinity,
})

export function useOverlay(): Overlay {
  const { user } = useMe()
  const { data } = useQuery({ ...overlayQuery, enabled: !!user })
  return (user && data) || EMPTY_OVERLAY
}

/** The viewer's relation to one club, for its card and page. */
export function useClubViewer(code: string) {
  const o = useOverlay()
  return { bookmarked: o.bookmarks.has(code), subscribed: o.subscriptions.has(code), role: o.roles.get(code), requested: o.requests.has(code) }
}

/** Re-read the overlay after a write whose effect on it is not known here (joining, leaving). */
export const refreshOverlay = (qc: QueryClient) => qc.invalidateQueries({ queryKey: overlayQuery.queryKey })

function patchOverlay(qc: QueryClient, fn: (o: Overlay) => Overlay) {
  qc.setQueryData(overlayQuery.queryKey, (o) => (o ? fn(o) : o))
}

/** Marks an application started or submitted (Apply/Continue buttons) after the viewer's own write. */
export function markApplication(qc: QueryClient, id: number, state: 'draft' | 'submitted') {
  patchOverlay(qc, (o) => (o.applications.get(id) === state ? o : { ...o, applications: new Map(o.applications).set(id, state) }))
}

export interface Follow {
  kind: 'bookmarks' | 'subscriptions'
  code: string
  on: boolean
}

/** Applies a follow to every cached view: the overlay, and for bookmarks the count on cards and the club page. */
function applyFollow(qc: QueryClient, { kind, code, on }: Follow) {
  patchOverlay(qc, (o) => {
    const next = new Set(o[kind])
    if (on) next.add(code)
    else next.delete(code)
    return { ...o, [kind]: next }
  })
  if (kind !== 'bookmarks') return
  const delta = on ? 1 : -1
  qc.setQueriesData<DirectoryClub[]>({ queryKey: ['public', 'clubs'] }, (list) =>
    list?.map((c) => (c.code === code ? { ...c, bookmarks: Math.max(0, c.bookmarks + delta) } : c)),
  )
  qc.setQueryData<ClubDetail>(clubQuery(code).queryKey, (c) => c && { ...c, favorite_count: Math.max(0, c.favorite_count + delta) })
}

/** Bookmark or subscribe: every view flips at once and flips back if the server refuses. */
export function useFollow() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: async ({ kind, code, on }: Follow): Promise<void> => {
      await (kind === 'bookmarks' ? api.setBookmark(code, on) : api.setSubscription(code, on))
    },
    onMutate: async (f) => {
      // An overlay still loading would answer without this write: it is read again afterwards.
      await qc.cancelQueries({ queryKey: overlayQuery.queryKey })
      const overlayKnown = qc.getQueryData(overlayQuery.queryKey) !== undefined
      applyFollow(qc, f)
      return { overlayKnown }
    },
    onError: (_e, f) => applyFollow(qc, { ...f, on: !f.on }),
    // The club page re-reads its counts (the server answers its writer with them included).
    onSuccess: (_r, f, ctx) =>
      Promise.all([qc.invalidateQueries({ queryKey: clubQuery(f.code).queryKey }), ctx.overlayKnown ? undefined : refreshOverlay(qc)]),
  })
}
