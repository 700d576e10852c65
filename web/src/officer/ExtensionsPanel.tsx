import { useQuery } from '@tanstack/react-query'
import type { FormEvent } from 'react'
import * as api from '../api/index.js'
import type { ExtensionBody } from '../api/types.js'
import { extensionsQuery } from '../data/manage.js'
import { useFormWrite, useWrite } from '../data/write.js'
import { FormError, formValues, TextField } from '../ui/form.js'
import { formatDateTime, fromLocalInput } from '../ui/format.js'
import { AsyncView } from '../ui/status.js'

/** Later deadlines for single applicants. */
export function ExtensionsPanel({ id }: { id: number }) {
  const query = useQuery(extensionsQuery(id))
  const grant = useFormWrite((body: ExtensionBody) => api.grantExtension(id, body), extensionsQuery(id).queryKey)
  const revoke = useWrite(extensionsQuery(id).queryKey)
  const error = grant.error ?? revoke.error
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault()
    const form = e.currentTarget
    const v = formValues(form)
    grant.mutate({ body: { email: v.email ?? '', ends_at: fromLocalInput(v.ends_at ?? ''), reason: v.reason ?? '' }, form })
  }
  return (
    <section className="panel" aria-labelledby="ext-h">
      <h2 id="ext-h">Deadline extensions</h2>
      <AsyncView query={query}>
        {({ extensions }) => (
          <ul className="plain">
            {!extensions.length && <li className="muted">No extensions granted.</li>}
            {extensions.map((x) => (
              <li key={x.user_id} className="application-item">
                <span>
                  {x.name} ({x.email}) — until {formatDateTime(x.ends_at)}
                  {x.reason && ` · ${x.reason}`}
                </span>
                <button type="button" onClick={() => revoke.mutate(() => api.revokeExtension(id, x.user_id))}>
                  Revoke <span className="visually-hidden">the extension of {x.name}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </AsyncView>
      <form onSubmit={submit} noValidate>
        <div className="grid-2">
          <TextField label="Applicant email" name="email" type="email" required error={error} />
          <TextField label="New deadline" name="ends_at" type="datetime-local" required error={error} hint="Never earlier than the application's own deadline." />
          <TextField label="Reason" name="reason" error={error} />
        </div>
        <FormError error={error} fields={['email', 'ends_at', 'reason']} />
        <button type="submit">Grant extension</button>
      </form>
    </section>
  )
}
