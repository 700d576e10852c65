import { useQuery } from '@tanstack/react-query'
import type { FormEvent } from 'react'
import * as api from '../api/index.js'
import type { InviteBody, Role } from '../api/types.js'
import { invitesQuery } from '../data/manage.js'
import { useFormWrite, useWrite } from '../data/write.js'
import { FormError, formValues, SelectField, TextField } from '../ui/form.js'
import { formatDateTime } from '../ui/format.js'
import { AsyncView } from '../ui/status.js'
import { ROLES } from './MembersTab.js'

export function InvitesTab({ code }: { code: string }) {
  const query = useQuery(invitesQuery(code))
  const invite = useFormWrite((body: InviteBody) => api.createInvite(code, body), invitesQuery(code).queryKey)
  const revoke = useWrite(invitesQuery(code).queryKey)
  const error = invite.error
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault()
    const form = e.currentTarget
    const v = formValues(form)
    invite.mutate({ body: { email: v.email ?? '', role: (v.role ?? 'member') as Role, title: v.title ?? '' }, form })
  }
  return (
    <>
      <form onSubmit={submit} className="panel" noValidate>
        <h2>Invite someone</h2>
        <div className="grid-2">
          <TextField label="Email" name="email" type="email" required error={error} />
          <SelectField label="Role" name="role" defaultValue="member" error={error}>
            {ROLES.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </SelectField>
          <TextField label="Title" name="title" maxLength={80} error={error} />
        </div>
        <FormError error={error} fields={['email', 'role', 'title']} />
        {invite.data && (
          <p className="success" role="status">
            Invite sent to {invite.data.email}.
          </p>
        )}
        <button type="submit" className="primary">
          Send invite
        </button>
      </form>
      <FormError error={revoke.error} />
      <AsyncView query={query}>
        {({ invites }) => (
          <ul className="plain">
            {invites.map((i) => (
              <li key={i.id} className="application-item">
                <span>
                  {i.email} · {i.role}
                  {i.title && ` (${i.title})`} · expires {formatDateTime(i.expires_at)}
                  {i.invited_by && <span className="muted"> · invited by {i.invited_by}</span>}
                </span>
                <button type="button" onClick={() => revoke.mutate(() => api.revokeInvite(code, i.id))}>
                  Revoke <span className="visually-hidden">the invite of {i.email}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </AsyncView>
    </>
  )
}
