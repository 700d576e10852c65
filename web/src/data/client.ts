import { QueryClient } from '@tanstack/react-query'

/**
 * Server state for the whole app. Keys start with 'public' (the same for every viewer, cached by
 * the server), 'session' (who is signed in) or 'private' (per viewer: dropped when the session
 * changes). An answer is reused for a few seconds, so a route's loader and its page share one
 * request; writes invalidate what they change. Requests are not retried or repeated on focus.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { staleTime: 10_000, retry: false, refetchOnWindowFocus: false },
      mutations: { retry: false },
    },
  })
}
