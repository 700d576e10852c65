import { useQuery } from '@tanstack/react-query'
import * as api from '../api/index.js'
import { membersQuery, requestsQuery } from '../data/manage.js'
import { clubQuery } from '../data/public.js'
import { useWrite } from '../data/write.js'
import { FormError } from '../ui/form.js'
import { formatDateTime } from '../ui/format.js'
import { AsyncView } from '../ui/status.js'

export function RequestsTab({ code }: { code: string }) {
  const query = useQuery(requestsQuery(code))
  const write = useWrite(requestsQuery(code).queryKey, membersQuery(code).queryKey, clubQuery(code).queryKey)
  const decide = (id: number, accept: boolean) => write.mutate(() => api.decideRequest(code, id, accept))
  return (
    <AsyncView query={query}>
      {({ requests }) => (
        <>
          <FormError error={write.error} />
          {!requests.length && <p className="muted">No pending requests.</p>}
          <ul className="plain">
            {requests.map((r) => (
              <li key={r.id} className="application-item">
                <div>
                  <strong>{r.user.name}</strong> <span className="muted">{r.user.email}</span>
                  {r.message && <p>{r.message}</p>}
                  <span className="muted">Asked {formatDateTime(r.created_at)}</span>
                </div>
                <div className="button-row">
                  <button type="button" className="primary" onClick={() => decide(r.id, true)}>
                    Accept {r.user.name}
                  </button>
                  <button type="button" onClick={() => decide(r.id, false)}>
                    Decline
                  </button>
                </div>
              </li>
            ))}
          </ul>
        </>
      )}
    </AsyncView>
  )
}
