import { useState } from 'react'
import { Link } from '../app/router.js'
import { useSession } from '../app/session.js'

/** Bookmark and subscribe toggles reflecting the viewer's private overlay. */
export function ClubActions({ code, name, compact = false }: { code: string; name: string; compact?: boolean }) {
  const { user, overlay, toggle } = useSession()
  const [error, setError] = useState<string | null>(null)
  if (!user) {
    return (
      <div className="club-actions">
        <Link className="button subtle" to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`}>
          {compact ? 'Sign in to save' : 'Sign in to bookmark or subscribe'}
        </Link>
      </div>
    )
  }
  const bookmarked = overlay.bookmarks.has(code)
  const subscribed = overlay.subscriptions.has(code)
  const run = (kind: 'bookmarks' | 'subscriptions') => {
    setError(null)
    toggle(kind, code).catch((e: Error) => setError(e.message))
  }
  return (
    <div className="club-actions">
      {/* The name stays the same whatever the state; aria-pressed says whether it is on. */}
      <button type="button" className="toggle" aria-pressed={bookmarked} onClick={() => run('bookmarks')}>
        <span aria-hidden="true">{bookmarked ? '★' : '☆'}</span> Bookmark<span className="visually-hidden"> {name}</span>
      </button>
      <button type="button" className="toggle" aria-pressed={subscribed} onClick={() => run('subscriptions')}>
        <span aria-hidden="true">{subscribed ? '✓' : '+'}</span> Subscribe<span className="visually-hidden"> to {name}</span>
      </button>
      {error && (
        <span className="field-error" role="alert">
          {error}
        </span>
      )}
    </div>
  )
}
