import type { ReactNode } from 'react'
import { ApiError } from '../api/client.js'

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p className="status" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> {label}
    </p>
  )
}

/** An error with a retry; a missing route is shown as a feature this server does not offer yet. */
export function ErrorMessage({ error, retry, what }: { error: Error; retry?: () => void; what?: string }) {
  if (error instanceof ApiError && error.missingRoute) {
    return (
      <div className="notice" role="status">
        {what ? `${what} is` : 'This is'} not available on this server yet.
      </div>
    )
  }
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

export function AsyncView<T>({
  state,
  what,
  children,
}: {
  state: { data: T | undefined; error: Error | undefined; loading: boolean; reload: () => void }
  what?: string
  children: (data: T) => ReactNode
}) {
  if (state.data !== undefined) {
    return (
      <>
        {state.error && <ErrorMessage error={state.error} retry={state.reload} what={what} />}
        {children(state.data)}
      </>
    )
  }
  if (state.error) return <ErrorMessage error={state.error} retry={state.reload} what={what} />
  return <Loading />
}
