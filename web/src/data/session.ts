/** Who is signed in (GET /api/me), shared by every page. */
import { type QueryClient, queryOptions, useQuery } from '@tanstack/react-query'
import { setCsrfToken } from '../api/client.js'
import * as api from '../api/public.js'

export const meQuery = queryOptions({
  queryKey: ['session', 'me'],
  queryFn: async () => {
    const me = await api.getMe()
    setCsrfToken(me.csrf_token)
    return me
  },
  staleTime: Infinity,
})

export function useMe() {
  const { data, isPending } = useQuery(meQuery)
  return { me: data ?? null, user: data?.user ?? null, ready: !isPending }
}

/**
 * After signing in or out: the session is read again and every per-viewer answer is dropped
 * (pages showing one fetch it again for the new viewer).
 */
export async function sessionChanged(qc: QueryClient): Promise<void> {
  await qc.fetchQuery({ ...meQuery, staleTime: 0 }).catch(() => undefined)
  await qc.resetQueries({ queryKey: ['private'] })
}
