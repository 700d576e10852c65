import { Link } from '@tanstack/react-router'
import { useClubViewer, useFollow } from '../data/viewer.js'
import { useMe } from '../data/session.js'

/** Bookmark and subscribe toggles reflecting the viewer's private overlay. */
export function ClubActions({ code, name, compact = false }: { code: string; name: string; compact?: boolean }) {
  const { user } = useMe()
  const viewer = useClubViewer(code)
  const follow = useFollow()
  if (!user) {
    return (
      <div className="club-actions">
        <Link className="button subtle" to="/login" search={{ next: location.pathname + location.search }}>
          {compact ? 'Sign in to save' : 'Sign in to bookmark or subscribe'}
        </Link>
      </div>
    )
  }
  const bookmarked = viewer.bookmarked
  const subscribed = viewer.subscribed
  return (
    <div className="club-actions">
      {/* The name stays the same whatever the state; aria-pressed says whether it is on. */}
      <button type="button" className="toggle" aria-pressed={bookmarked} onClick={() => follow.mutate({ kind: 'bookmarks', code, on: !bookmarked })}>
        <span aria-hidden="true">{bookmarked ? '★' : '☆'}</span> Bookmark<span className="visually-hidden"> {name}</span>
      </button>
      <button type="button" className="toggle" aria-pressed={subscribed} onClick={() => follow.mutate({ kind: 'subscriptions', code, on: !subscribed })}>
        <span aria-hidden="true">{subscribed ? '✓' : '+'}</span> Subscribe<span className="visually-hidden"> to {name}</span>
      </button>
      {follow.error && (
        <span className="field-error" role="alert">
          {follow.error.message}
        </span>
      )}
    </div>
  )
}
