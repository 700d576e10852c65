import { useEffect, useState } from 'react'
import * as api from '../api/index.js'
import { invalidateClubs } from '../app/clubs-store.js'
import { Link } from '../app/router.js'
import { useSession } from '../app/session.js'
import { useAsync } from '../app/useAsync.js'
import { FormError } from '../ui/form.js'
import { formatDateTime } from '../ui/format.js'
import { AsyncView } from '../ui/status.js'

/** An invite link from an email: what it offers, and accepting it (signed in as the invited address). */
export default function InvitePage({ token }: { token: string }) {
  const { user, refreshOverlay } = useSession()
  const state = useAsync(() => api.previewInvite(token), [token])
  const [error, setError] = useState<unknown>(null)
  const [done, setDone] = useState(false)
  useEffect(() => {
    document.title = 'Invitation — Quad'
  }, [])
  const accept = async () => {
    setError(null)
    try {
      await api.acceptInvite(token)
      setDone(true)
      invalidateClubs()
      await refreshOverlay()
    } catch (e) {
      setError(e)
    }
  }
  const here = `/invites/${encodeURIComponent(token)}`
  return (
    <div className="narrow">
      <h1>Invitation</h1>
      <AsyncView state={state}>
        {(inv) => (
          <>
            <p>
              <strong>{inv.club.name}</strong> invites you to join as {inv.role}
              {inv.title && ` (${inv.title})`}.
            </p>
            {inv.state !== 'open' ? (
              <p className="error-box">This invitation is {inv.state === 'used' ? 'already used' : inv.state}.</p>
            ) : done ? (
              <p className="success" role="status">
                You are now a member of <Link to={`/clubs/${inv.club.code}`}>{inv.club.name}</Link>.
              </p>
            ) : user ? (
              <>
                <p className="muted">Valid until {formatDateTime(inv.expires_at)}. It works for the email address it was sent to.</p>
                <FormError error={error} />
                <button type="button" className="primary" onClick={accept}>
                  Accept and join {inv.club.name}
                </button>
              </>
            ) : (
              <p>
                <Link to={`/login?next=${encodeURIComponent(here)}`}>Sign in</Link> or <Link to={`/signup?next=${encodeURIComponent(here)}`}>create an account</Link> with the
                invited email address to accept.
              </p>
            )}
          </>
        )}
      </AsyncView>
    </div>
  )
}
