import { useQuery } from '@tanstack/react-query'
import type { FormEvent } from 'react'
import * as api from '../api/index.js'
import type { EventBody } from '../api/types.js'
import { manageQuery } from '../data/manage.js'
import { clubQuery } from '../data/public.js'
import { useFormWrite, useWrite } from '../data/write.js'
import { FormError, formValues, SelectField, TextArea, TextField } from '../ui/form.js'
import { formatDateTime, fromLocalInput } from '../ui/format.js'
import { AsyncView } from '../ui/status.js'
import { useConfirm } from '../ui/ConfirmDialog.js'

export function EventsTab({ code }: { code: string }) {
  const query = useQuery({ ...manageQuery(code), select: (v) => [...v.events].sort((a, b) => a.starts_at.localeCompare(b.starts_at)) })
  // Upcoming events show on the club page.
  const changes = [manageQuery(code).queryKey, clubQuery(code).queryKey]
  const add = useFormWrite((body: EventBody) => api.createEvent(code, body), ...changes)
  const remove = useWrite(...changes)
  const { confirm, dialog } = useConfirm()
  const error = add.error
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault()
    const form = e.currentTarget
    const v = formValues(form)
    const body: EventBody = {
      name: v.name ?? '',
      description: v.description,
      location: v.location,
      link: v.link || null,
      starts_at: fromLocalInput(v.starts_at ?? ''),
      ends_at: fromLocalInput(v.ends_at ?? ''),
      type: v.type as EventBody['type'],
      pinned: v.pinned === 'on',
    }
    add.mutate({ body, form })
  }
  return (
    <>
      {dialog}
      <FormError error={remove.error} />
      <AsyncView query={query}>
        {(events) => (
          <ul className="plain">
            {!events.length && <li className="muted">No events yet.</li>}
            {events.map((ev) => (
              <li key={ev.id} className="application-item">
                <span>
                  <strong>{ev.name}</strong> · {formatDateTime(ev.starts_at)} · {ev.location}
                </span>
                <button type="button" onClick={() => confirm({ title: `Delete ${ev.name}?`, confirm: 'Delete event', onConfirm: () => remove.mutate(() => api.deleteEvent(code, ev.id)) })}>
                  Delete <span className="visually-hidden">{ev.name}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </AsyncView>
      <form onSubmit={submit} className="panel" noValidate>
        <h2>New event</h2>
        <div className="grid-2">
          <TextField label="Name" name="name" required maxLength={160} error={error} />
          <SelectField label="Type" name="type" defaultValue="general" error={error}>
            {['recruitment', 'general', 'social', 'workshop', 'info_session', 'other'].map((t) => (
              <option key={t}>{t}</option>
            ))}
          </SelectField>
          <TextField label="Starts" name="starts_at" type="datetime-local" required error={error} />
          <TextField label="Ends" name="ends_at" type="datetime-local" required error={error} />
          <TextField label="Location" name="location" maxLength={300} error={error} />
          <TextField label="Link" name="link" type="url" error={error} />
        </div>
        <TextArea label="Description" name="description" rows={3} error={error} />
        <div className="field">
          <label>
            <input type="checkbox" name="pinned" /> Pin to the top of the club page
          </label>
        </div>
        <FormError error={error} fields={['name', 'type', 'starts_at', 'ends_at', 'location', 'link', 'description']} />
        <button type="submit" className="primary">
          Add event
        </button>
      </form>
    </>
  )
}
