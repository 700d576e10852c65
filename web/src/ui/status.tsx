import type { ReactNode } from 'react'
import { ApiError } from '../api/client.js'

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p className="status" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> {label}
    </p>
  )
}

/** An error with a retry when trying again may help. */
export function ErrorMessage({ error, retry }: { error: Error; retry?: () => void }) {
  const status = error instanceof ApiError ? error.status : 0
  const text =
    status === 401 ? 'Sign in to see this.' : status === 403 ? 'You do not have access to this.' : status === 404 ? 'Not found.' : error.message
  return (
    <div className="error-box" role="alert">
      <p>{text}</p>
      {retry && status !== 401 && status !== 403 && status !== 404 && (
        <button type="button" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  )
}

/** A query's data, or its loading state or error (the data stays shown when a refetch fails). */
export function AsyncView<T>({ query, children }: { query: { data: T | undefined; error: Error | null; refetch: () => unknown }; children: (data: T) => ReactNode }) {
  const retry = () => void query.refetch()
  if (query.data !== undefined) {
    return (
      <>
        {query.error && <ErrorMessage error={query.error} retry={retry} />}
        {children(query.data)}
      </>
    )
  }
  if (query.error) return <ErrorMessage error={query.error} retry={retry} />
  return <Loading />
}
