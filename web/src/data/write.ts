import { type QueryClient, type QueryKey, useMutation, useQueryClient } from '@tanstack/react-query'

const reread = (qc: QueryClient, keys: QueryKey[]) => Promise.all(keys.map((queryKey) => qc.invalidateQueries({ queryKey })))

/**
 * A write whose success re-reads the queries it changes: `write.mutate(() => api.removeMember(…))`.
 * Its error is the page's to show (`write.error`).
 */
export function useWrite(...changes: QueryKey[]) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (run: () => Promise<unknown>) => run(),
    onSuccess: () => reread(qc, changes),
  })
}

/**
 * A form that sends its body (typed by the API) and, once the server accepts it, is cleared while
 * the queries it changes are read again: `add.mutate({ body, form })`.
 */
export function useFormWrite<B, R>(send: (body: B) => Promise<R>, ...changes: QueryKey[]) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: ({ body }: { body: B; form: HTMLFormElement }) => send(body),
    onSuccess: (_r, { form }) => {
      form.reset()
      return reread(qc, changes)
    },
  })
}
