import { type FormEvent, useEffect, useState } from 'react'
import * as api from '../api/index.js'
import type { EventBody, ManageView, Role, Tag } from '../api/types.js'
import { invalidateClubs } from '../app/clubs-store.js'
import { Link } from '../app/router.js'
import { useAsync } from '../app/useAsync.js'
import { FormError, formValues, SelectField, TextArea, TextField } from '../ui/form.js'
import { formatDateTime, fromLocalInput, PROCESS_LABELS, SIZE_LABELS } from '../ui/format.js'
import { AsyncView } from '../ui/status.js'
import { ApplicationsTab } from './ApplicationsTab.js'

const TABS = [
  ['edit', 'Edit club'],
  ['members', 'Members'],
  ['requests', 'Requests'],
  ['invites', 'Invites'],
  ['events', 'Events'],
  ['applications', 'Applications'],
] as const

export default function ManageClub({ code, tab }: { code: string; tab: string }) {
  useEffect(() => {
    document.title = `Manage ${code} — Quad`
  }, [code])
  return (
    <div>
      <p>
        <Link to={`/clubs/${code}`}>← Public page</Link>
      </p>
      <h1>Manage club</h1>
      <nav aria-label="Club management">
        <ul className="tabs">
          {TABS.map(([t, label]) => (
            <li key={t}>
              <Link to={`/manage/${code}/${t}`} aria-current={t === tab ? 'page' : undefined}>
                {label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {tab === 'edit' && <EditClub code={code} />}
      {tab === 'members' && <Members code={code} />}
      {tab === 'requests' && <Requests code={code} />}
      {tab === 'invites' && <Invites code={code} />}
      {tab === 'events' && <Events code={code} />}
      {tab === 'applications' && <ApplicationsTab code={code} />}
    </div>
  )
}

const LINK_KEYS = ['website', 'instagram', 'linkedin'] as const

/** Only fields that changed are sent, so an approver's diff shows exactly the edit. */
export function changedFields(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(after)) if (JSON.stringify(before[k] ?? null) !== JSON.stringify(v ?? null)) out[k] = v
  return out
}

function EditClub({ code }: { code: string }) {
  const state = useAsync(() => Promise.all([api.getClubForEdit(code), api.listTags().then((t) => t.tags)]), [code])
  const [error, setError] = useState<unknown>(null)
  const [result, setResult] = useState<string | null>(null)
  const submit = async (view: ManageView, e: FormEvent<HTMLFormElement>) => {
    e.preventDefault()
    const club = view.club
    const form = e.currentTarget
    const v = formValues(form)
    const tags = [...(form.elements.namedItem('tags') as HTMLSelectElement).selectedOptions].map((o) => o.value)
    const links: Record<string, string> = { ...club.links }
    for (const k of LINK_KEYS) {
      if (v[`link_${k}`]) links[k] = v[`link_${k}`]!
      else delete links[k]
    }
    const after = {
      name: v.name,
      subtitle: v.subtitle,
      description: v.description,
      image_url: v.image_url || null,
      how_to_get_involved: v.how_to_get_involved,
      size: v.size,
      membership_process: v.membership_process,
      recruiting_season: v.recruiting_season,
      accepting_members: v.accepting_members === 'on',
      links,
      tags,
    }
    // Compared with the pending proposal where there is one, so re-saving it is not an edit.
    const proposed = Object.fromEntries((view.pending_revision?.diff ?? []).map((d) => [d.field, d.proposed]))
    const changes = changedFields({ ...club, ...proposed }, after)
    setError(null)
    setResult(null)
    if (!Object.keys(changes).length) {
      setResult('Nothing changed.')
      return
    }
    try {
      const r = await api.updateClub(code, changes)
      invalidateClubs()
      setResult(
        r.pending.length
          ? `Sent for approval: ${r.pending.join(', ')}. The public page keeps showing the last approved version until an approver accepts.${r.applied.length ? ` Applied now: ${r.applied.join(', ')}.` : ''}`
          : 'Saved. The public page shows your changes.',
      )
      state.reload()
    } catch (err) {
      setError(err)
    }
  }
  return (
    <AsyncView state={state}>
      {([view, tags]: [ManageView, Tag[]]) => {
        const club = view.club
        const proposed = Object.fromEntries((view.pending_revision?.diff ?? []).map((d) => [d.field, d.proposed])) as Partial<ManageView['club']>
        const value = { ...club, ...proposed }
        return (
          <form key={view.pending_revision?.id ?? 0} onSubmit={(e) => submit(view, e)} noValidate>
            {club.status && club.status !== 'approved' && <p className="notice">This club is {club.status}: it appears in the directory once an approver approves it.</p>}
            {view.pending_revision && (
              <div className="notice">
                <p>
                  An edit is waiting for approval ({view.pending_revision.diff.map((d) => d.field).join(', ')}). The form shows the proposed values; saving again
                  replaces the proposal.
                </p>
              </div>
            )}
            <div className="grid-2">
              <TextField label="Name" name="name" defaultValue={value.name} required maxLength={120} error={error} />
              <TextField label="Subtitle" name="subtitle" defaultValue={value.subtitle} maxLength={200} error={error} />
            </div>
            <TextArea label="Description" name="description" defaultValue={value.description} rows={8} maxLength={20000} error={error} />
            <TextArea label="How to get involved" name="how_to_get_involved" defaultValue={value.how_to_get_involved} rows={3} error={error} />
            <div className="grid-2">
              <TextField label="Image URL" name="image_url" type="url" defaultValue={value.image_url ?? ''} error={error} />
              <SelectField label="Size" name="size" defaultValue={value.size} error={error}>
                {Object.entries(SIZE_LABELS).map(([v, l]) => (
                  <option key={v} value={v}>
                    {l}
                  </option>
                ))}
              </SelectField>
              <SelectField label="Membership process" name="membership_process" defaultValue={value.membership_process} error={error}>
                {Object.entries(PROCESS_LABELS).map(([v, l]) => (
                  <option key={v} value={v}>
                    {l}
                  </option>
                ))}
              </SelectField>
              <SelectField label="Recruiting season" name="recruiting_season" defaultValue={value.recruiting_season} error={error}>
                {['fall', 'spring', 'both', 'open', 'unknown'].map((s) => (
                  <option key={s}>{s}</option>
                ))}
              </SelectField>
              {LINK_KEYS.map((k) => (
                <TextField key={k} label={`Link: ${k}`} name={`link_${k}`} type="url" defaultValue={value.links?.[k] ?? ''} error={error} />
              ))}
            </div>
            <SelectField label="Tags" name="tags" multiple defaultValue={value.tags} size={8} hint="Up to 10. Hold Ctrl (⌘ on a Mac) to choose several." error={error}>
              {tags.map((t) => (
                <option key={t.slug} value={t.slug}>
                  {t.name}
                </option>
              ))}
            </SelectField>
            <div className="field">
              <label>
                <input type="checkbox" name="accepting_members" defaultChecked={value.accepting_members} /> Accepting members
              </label>
            </div>
            <p className="hint">Name, texts, image, links and tags are reviewed by an approver; size, recruiting and process settings apply at once.</p>
            <FormError error={error} fields={['name', 'subtitle', 'description', 'image_url', 'how_to_get_involved', 'size', 'tags', 'links']} />
            {result && (
              <p className="success" role="status">
                {result}
              </p>
            )}
            <button type="submit" className="primary">
              Save changes
            </button>
          </form>
        )
      }}
    </AsyncView>
  )
}

const ROLES: Role[] = ['member', 'officer', 'owner']

function Members({ code }: { code: string }) {
  const state = useAsync(() => api.listMembers(code), [code])
  const [error, setError] = useState<unknown>(null)
  const act = async (fn: () => Promise<unknown>) => {
    setError(null)
    try {
      await fn()
      state.reload()
    } catch (e) {
      setError(e)
    }
  }
  return (
    <AsyncView state={state}>
      {({ members }) => (
        <>
          <p className="button-row">
            <span className="muted">{members.length} members</span>
            <a className="button" href={api.subscribersCsvUrl(code)} download>
              Download subscribers (CSV)
            </a>
          </p>
          <FormError error={error} />
          <div className="table-wrap">
            <table>
              <caption className="visually-hidden">Members</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Role</th>
                  <th scope="col">Title</th>
                  <th scope="col">Public</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {members.map((m) => (
                  <tr key={m.user_id}>
                    <td>
                      {m.name}
                      <br />
                      <span className="muted">{m.email}</span>
                    </td>
                    <td>
                      <select aria-label={`Role of ${m.name}`} value={m.role} onChange={(e) => act(() => api.updateMember(code, m.user_id, { role: e.target.value as Role }))}>
                        {ROLES.map((r) => (
                          <option key={r}>{r}</option>
                        ))}
                      </select>
                    </td>
                    <td>
                      <input
                        aria-label={`Title of ${m.name}`}
                        defaultValue={m.title}
                        maxLength={80}
                        onBlur={(e) => e.target.value !== m.title && act(() => api.updateMember(code, m.user_id, { title: e.target.value }))}
                      />
                    </td>
                    <td>
                      <input
                        type="checkbox"
                        aria-label={`Show ${m.name} publicly`}
                        checked={m.is_public}
                        onChange={(e) => act(() => api.updateMember(code, m.user_id, { is_public: e.target.checked }))}
                      />
                    </td>
                    <td>
                      <button type="button" onClick={() => window.confirm(`Remove ${m.name}?`) && act(() => api.removeMember(code, m.user_id))}>
                        Remove
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </AsyncView>
  )
}

function Requests({ code }: { code: string }) {
  const state = useAsync(() => api.listRequests(code), [code])
  const [error, setError] = useState<unknown>(null)
  const decide = async (id: number, accept: boolean) => {
    setError(null)
    try {
      await api.decideRequest(code, id, accept)
      state.reload()
    } catch (e) {
      setError(e)
    }
  }
  return (
    <AsyncView state={state}>
      {({ requests }) => (
        <>
          <FormError error={error} />
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

function Invites({ code }: { code: string }) {
  const state = useAsync(() => api.listInvites(code), [code])
  const [error, setError] = useState<unknown>(null)
  const [created, setCreated] = useState<string | null>(null)
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault()
    const form = e.currentTarget
    const v = formValues(form)
    setError(null)
    setCreated(null)
    try {
      const inv = await api.createInvite(code, { email: v.email ?? '', role: (v.role ?? 'member') as Role, title: v.title ?? '' })
      setCreated(`Invite sent to ${inv.email}.`)
      form.reset()
      state.reload()
    } catch (err) {
      setError(err)
    }
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
        {created && (
          <p className="success" role="status">
            {created}
          </p>
        )}
        <button type="submit" className="primary">
          Send invite
        </button>
      </form>
      <AsyncView state={state}>
        {({ invites }) => (
          <ul className="plain">
            {invites.map((i) => (
              <li key={i.id} className="application-item">
                <span>
                  {i.email} · {i.role}
                  {i.title && ` (${i.title})`} · expires {formatDateTime(i.expires_at)}
                  {i.invited_by && <span className="muted"> · invited by {i.invited_by}</span>}
                </span>
                <button type="button" onClick={() => api.revokeInvite(code, i.id).then(state.reload, setError)}>
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

function Events({ code }: { code: string }) {
  const state = useAsync(() => api.getClubForEdit(code).then((v) => ({ events: [...v.events].sort((a, b) => a.starts_at.localeCompare(b.starts_at)) })), [code])
  const [error, setError] = useState<unknown>(null)
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault()
    const form = e.currentTarget
    const v = formValues(form)
    setError(null)
    try {
      await api.createEvent(code, {
        name: v.name ?? '',
        description: v.description,
        location: v.location,
        link: v.link || null,
        starts_at: fromLocalInput(v.starts_at ?? ''),
        ends_at: fromLocalInput(v.ends_at ?? ''),
        type: v.type as EventBody['type'],
        pinned: v.pinned === 'on',
      })
      form.reset()
      state.reload()
    } catch (err) {
      setError(err)
    }
  }
  return (
    <>
      <AsyncView state={state}>
        {({ events }) => (
          <ul className="plain">
            {!events.length && <li className="muted">No events yet.</li>}
            {events.map((ev) => (
              <li key={ev.id} className="application-item">
                <span>
                  <strong>{ev.name}</strong> · {formatDateTime(ev.starts_at)} · {ev.location}
                </span>
                <button type="button" onClick={() => window.confirm(`Delete ${ev.name}?`) && api.deleteEvent(code, ev.id).then(state.reload, setError)}>
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
