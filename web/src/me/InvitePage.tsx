import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect } from 'react'
import * as api from '../api/index.js'
import { getRouteApi, Link } from '@tanstack/react-router'
import { inviteQuery } from '../data/public.js'
import { useMe } from '../data/session.js'
import { refreshOverlay } from '../data/viewer.js'
import { FormError } from '../ui/form.js'
import { formatDateTime } from '../ui/format.js'
import { AsyncView } from '../ui/status.js'

/** An invite link from an email: what it offers, and accepting it (signed in as the invited address). */
const route = getRouteApi('/invites/$token')

export default function InvitePage() {
  const { token } = route.useParams()
  const { user } = useMe()
  const query = useQuery(inviteQuery(token))
  const qc = useQueryClient()
  // Joining changes the viewer's roles and the club's public member count.
  const accept = useMutation({
    mutationFn: () => api.acceptInvite(token),
    onSuccess: () => Promise.all([refreshOverlay(qc), qc.invalidateQueries({ queryKey: ['public', 'clubs'] })]),
  })
  useEffect(() => {
    document.title = 'Invitation — Quad'
  }, [])
  const here = `/invites/${encodeURIComponent(token)}`
  return (
    <div className="narrow">
      <h1>Invitation</h1>
      <AsyncView query={query}>
        {(inv) => (
          <>
            <p>
              <strong>{inv.club.name}</strong> invites you to join as {inv.role}
              {inv.title && ` (${inv.title})`}.
            </p>
            {inv.state !== 'open' ? (
              <p className="error-box">This invitation is {inv.state === 'used' ? 'already used' : inv.state}.</p>
            ) : accept.isSuccess ? (
              <p className="success" role="status">
                You are now a member of <Link to="/clubs/$code" params={{ code: inv.club.code }}>{inv.club.name}</Link>.
              </p>
            ) : user ? (
              <>
                <p className="muted">Valid until {formatDateTime(inv.expires_at)}. It works for the email address it was sent to.</p>
                <FormError error={accept.error} />
                <button type="button" className="primary" onClick={() => accept.mutate()}>
                  Accept and join {inv.club.name}
                </button>
              </>
            ) : (
              <p>
                <Link to="/login" search={{ next: here }}>
                  Sign in
                </Link>{' '}
                or{' '}
                <Link to="/signup" search={{ next: here }}>
                  create an account
                </Link> with the
                invited email address to accept.
              </p>
            )}
          </>
        )}
      </AsyncView>
    </div>
  )
}
