/** Reads that are the same for every viewer (the server caches them); the viewer's state is merged by viewer.ts. */
import { queryOptions } from '@tanstack/react-query'
import * as api from '../api/public.js'
import { resolveClubs } from '../directory/cards.js'

/** The whole directory, downloaded once and filtered on the client. */
export const clubsQuery = queryOptions({
  queryKey: ['public', 'clubs'],
  queryFn: async () => {
    const started = performance.now()
    const r = await api.listClubs()
    performance.measure?.('quad:clubs-fetch', { start: started, end: performance.now() })
    const clubs = resolveClubs(r)
    performance.mark?.('quad:clubs-loaded')
    return clubs
  },
  // Edits invalidate it; otherwise one download per visit (until unused for gcTime).
  staleTime: Infinity,
})

/** The server's ranking of search words; a new query aborts the request of the previous one. */
export const clubSearchQuery = (q: string) =>
  queryOptions({
    queryKey: ['public', 'clubs', 'search', q],
    queryFn: async ({ signal }) => resolveClubs(await api.searchClubs(q, signal)),
    staleTime: 60_000,
  })

export const clubQuery = (code: string) => queryOptions({ queryKey: ['public', 'club', code], queryFn: () => api.getClub(code) })
export const applicationQuery = (id: number) => queryOptions({ queryKey: ['public', 'application', id], queryFn: () => api.getApplication(id) })
export const tagsQuery = queryOptions({ queryKey: ['public', 'tags'], queryFn: () => api.listTags(), staleTime: 60_000 })
export const cyclesQuery = queryOptions({ queryKey: ['public', 'cycles'], queryFn: () => api.publicCycles() })
export const inviteQuery = (token: string) => queryOptions({ queryKey: ['public', 'invite', token], queryFn: () => api.previewInvite(token) })
