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

export function AsyncView<T>({
  state,
  children,
}: {
  state: { data: T | undefined; error: Error | undefined; loading: boolean; reload: () => void }
  children: (data: T) => ReactNode
}) {
  if (state.data !== undefined) {
    return (
      <>
        {state.error && <ErrorMessage error={state.error} retry={state.reload} />}
        {children(state.data)}
      </>
    )
  }
  if (state.error) return <ErrorMessage error={state.error} retry={state.reload} />
  return <Loading />
}
