import { type QueryKey, useMutation, useQueryClient } from '@tanstack/react-query'

/**
 * A write whose success re-reads the queries it changes: `write.mutate(() => api.removeMember(…))`.
 * Its error is the page's to show (`write.error`).
 */
export function useWrite(...changes: QueryKey[]) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (run: () => Promise<unknown>) => run(),
    onSuccess: () => Promise.all(changes.map((queryKey) => qc.invalidateQueries({ queryKey }))),
  })
}
