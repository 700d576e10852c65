import { type DependencyList, useCallback, useEffect, useRef, useState } from 'react'

export interface Async<T> {
  data: T | undefined
  error: Error | undefined
  loading: boolean
  reload: () => void
  /** Replace the data locally (optimistic updates). */
  set: (fn: (prev: T | undefined) => T | undefined) => void
}

/** Runs a loader when deps change; keeps the last data while reloading; ignores stale answers. */
export function useAsync<T>(load: () => Promise<T>, deps: DependencyList): Async<T> {
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean }>({ loading: true })
  const [tick, setTick] = useState(0)
  const seq = useRef(0)
  useEffect(() => {
    const mine = ++seq.current
    setState((s) => ({ ...s, loading: true, error: undefined }))
    load().then(
      (data) => mine === seq.current && setState({ data, loading: false }),
      (error: Error) => mine === seq.current && setState((s) => ({ data: s.data, error, loading: false })),
    )
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick])
  const reload = useCallback(() => setTick((t) => t + 1), [])
  const set = useCallback((fn: (prev: T | undefined) => T | undefined) => setState((s) => ({ ...s, data: fn(s.data) })), [])
  return { data: state.data, error: state.error, loading: state.loading, reload, set }
}
