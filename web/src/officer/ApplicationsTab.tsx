import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import * as api from '../api/index.js'
import type { NewApplication } from '../api/types.js'
import { Link } from '@tanstack/react-router'
import { clubApplicationsQuery } from '../data/manage.js'
import { cyclesQuery } from '../data/public.js'
import { FormError, formValues, SelectField, TextArea, TextField } from '../ui/form.js'
import { formatDateTime, fromLocalInput } from '../ui/format.js'
import { AsyncView } from '../ui/status.js'
import { Builder } from './ApplicationBuilder.js'

export function ApplicationsTab({ code }: { code: string }) {
  const applications = useQuery(clubApplicationsQuery(code))
  // Without the cycles the tab still works (standalone dates only).
  const cycles = useQuery(cyclesQuery)
  const [editing, setEditing] = useState<number | null>(null)
  const qc = useQueryClient()
  const opened = ({ id }: { id: number }) => {
    setEditing(id)
    return qc.invalidateQueries({ queryKey: clubApplicationsQuery(code).queryKey })
  }
  const create = useMutation({
    mutationFn: ({ body }: { body: NewApplication; form: HTMLFormElement }) => api.createApplication(code, body),
    onSuccess: (created, { form }) => {
      form.reset()
      return opened(created)
    },
  })
  const duplicate = useMutation({ mutationFn: ({ id, cycleId }: { id: number; cycleId: number | null }) => api.duplicateApplication(id, cycleId), onSuccess: opened })
  const error = create.error ?? duplicate.error
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault()
    const form = e.currentTarget
    const v = formValues(form)
    const body: NewApplication = {
      name: v.name ?? '',
      description: v.description ?? '',
      cycle_id: v.cycle_id ? Number(v.cycle_id) : null,
      kind: v.external_url ? 'external' : 'internal',
      external_url: v.external_url || null,
      ...(v.cycle_id ? {} : { starts_at: fromLocalInput(v.starts_at ?? ''), ends_at: fromLocalInput(v.ends_at ?? ''), results_release_at: fromLocalInput(v.results_release_at ?? '') }),
      max_committees: Number(v.max_committees || 1),
    }
    create.mutate({ body, form })
  }
  const both = { data: applications.data && { applications: applications.data.applications, cycles: cycles.data?.cycles ?? [] }, error: applications.error, refetch: applications.refetch }
  return (
    <AsyncView query={both}>
      {({ applications, cycles }) => {
        // The cycle to copy last cycle's application into: open or upcoming, latest first.
        const current = [...cycles].filter((c) => c.state !== 'closed').sort((a, b) => b.starts_at.localeCompare(a.starts_at))[0]
        return (
          <>
            <FormError error={error} />
            <div className="table-wrap">
              <table>
                <caption className="visually-hidden">Applications</caption>
                <thead>
                  <tr>
                    <th scope="col">Application</th>
                    <th scope="col">Cycle</th>
                    <th scope="col">Deadline</th>
                    <th scope="col">Drafts / submitted</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {applications.map((a) => (
                    <tr key={a.id}>
                      <td>
                        {a.name}
                        {!a.active && <span className="pill">inactive</span>}
                        {a.kind === 'external' && <span className="pill">external</span>}
                      </td>
                      <td>{a.cycle?.name ?? 'Standalone'}</td>
                      <td>{formatDateTime(a.ends_at)}</td>
                      <td>
                        {a.drafts} / {a.submissions}
                      </td>
                      <td className="button-row">
                        <Link className="button" to="/review/$id" params={{ id: a.id }}>
                          Review
                        </Link>
                        <button type="button" onClick={() => setEditing(a.id)}>
                          Questions
                        </button>
                        {current && a.cycle?.id !== current.id && (
                          <button type="button" onClick={() => duplicate.mutate({ id: a.id, cycleId: current.id })}>
                            Duplicate into {current.name}
                          </button>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {editing !== null && <Builder id={editing} key={editing} />}
            <form onSubmit={submit} className="panel" noValidate>
              <h2>New application</h2>
              <div className="grid-2">
                <TextField label="Name" name="name" required maxLength={160} error={error} />
                <SelectField label="Cycle" name="cycle_id" defaultValue={current?.id ?? ''} error={error} hint="A cycle sets the dates.">
                  <option value="">Standalone (own dates)</option>
                  {cycles.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.name}
                    </option>
                  ))}
                </SelectField>
                <TextField label="Opens (standalone)" name="starts_at" type="datetime-local" error={error} />
                <TextField label="Deadline (standalone)" name="ends_at" type="datetime-local" error={error} />
                <TextField label="Results release (standalone)" name="results_release_at" type="datetime-local" error={error} />
                <TextField label="Committees an applicant may choose" name="max_committees" type="number" min={0} max={20} defaultValue={1} error={error} />
                <TextField label="External URL (leave empty for a form in Quad)" name="external_url" type="url" error={error} />
              </div>
              <TextArea label="Description" name="description" rows={3} error={error} />
              <button type="submit" className="primary">
                Create application
              </button>
            </form>
          </>
        )
      }}
    </AsyncView>
  )
}
