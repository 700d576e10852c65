import { QueryClient } from '@tanstack/react-query'

/**
 * Server state for the whole app. Keys start with 'public' (the same for every viewer, cached by
 * the server), 'session' (who is signed in) or 'private' (per viewer: dropped when the session
 * changes). Requests are not retried and not repeated on window focus: pages ask when shown, as
 * they did before the cache existed, and writes say what they change.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: false, refetchOnWindowFocus: false },
      mutations: { retry: false },
    },
  })
}
