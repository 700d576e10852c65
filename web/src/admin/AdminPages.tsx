import { type FormEvent, useEffect, useState } from 'react'
import * as api from '../api/index.js'
import type { ApprovalItem, Cycle, DiffEntry } from '../api/types.js'
import { invalidateClubs } from '../app/clubs-store.js'
import { Link } from '../app/router.js'
import { useSession } from '../app/session.js'
import { useAsync } from '../app/useAsync.js'
import { FormError, formValues, TextField } from '../ui/form.js'
import { formatDateTime, fromLocalInput, toLocalInput } from '../ui/format.js'
import { AsyncView } from '../ui/status.js'

export default function AdminPages({ tab }: { tab: string }) {
  const { user } = useSession()
  const tabs = [['approvals', 'Approval queue'], ...(user?.is_admin ? [['cycles', 'Cycles'], ['taxonomy', 'Tags and badges']] : [])] as const
  useEffect(() => {
    document.title = 'Admin — Quad'
  }, [])
  return (
    <div>
      <h1>Administration</h1>
      <nav aria-label="Administration">
        <ul className="tabs">
          {tabs.map(([t, label]) => (
            <li key={t}>
              <Link to={`/admin/${t}`} aria-current={t === tab ? 'page' : undefined}>
                {label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {tab === 'approvals' && <Approvals />}
      {tab === 'cycles' && <Cycles />}
      {tab === 'taxonomy' && <Taxonomy />}
    </div>
  )
}

const show = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'string' ? v : Array.isArray(v) ? v.join(', ') : JSON.stringify(v))

/** Field-by-field diff of the proposed change against what the public sees now. */
export function Diff({ diff }: { diff: DiffEntry[] }) {
  return (
    <table className="diff">
      <caption className="visually-hidden">Proposed changes</caption>
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">Now</th>
          <th scope="col">Proposed</th>
        </tr>
      </thead>
      <tbody>
        {diff.map((d) => (
          <tr key={d.field}>
            <th scope="row">{d.field}</th>
            <td>{d.current === null || d.current === undefined ? <span className="muted">—</span> : <del>{show(d.current)}</del>}</td>
            <td>
              <ins>{show(d.proposed)}</ins>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

function ApprovalEntry({ a, done }: { a: ApprovalItem; done: () => void }) {
  const [error, setError] = useState<unknown>(null)
  const [comment, setComment] = useState('')
  const decide = async (approve: boolean) => {
    setError(null)
    try {
      await api.decideApproval(a, approve, comment.trim())
      invalidateClubs()
      done()
    } catch (err) {
      setError(err)
    }
  }
  const id = `approval-${a.kind}-${a.id}`
  return (
    <li className="panel" aria-labelledby={id}>
      <h2 id={id}>
        <Link to={`/clubs/${a.club.code}`}>{a.club.name}</Link> <span className="pill">{a.kind === 'club' ? 'New club' : 'Edit'}</span>
      </h2>
      <p className="muted">
        {a.proposed_by ? `Proposed by ${a.proposed_by}` : 'Proposed'} · {formatDateTime(a.proposed_at)}
      </p>
      {a.diff.length > 0 && (
        <div className="table-wrap">
          <Diff diff={a.diff} />
        </div>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault()
          void decide(true)
        }}
      >
        <TextField label="Comment (required to reject)" name="comment" maxLength={2000} value={comment} onChange={(e) => setComment(e.target.value)} error={error} />
        <FormError error={error} fields={['comment']} />
        <div className="button-row">
          <button type="submit" className="primary">
            Approve <span className="visually-hidden">{a.club.name}</span>
          </button>
          <button type="button" className="danger" onClick={() => decide(false)}>
            Reject <span className="visually-hidden">{a.club.name}</span>
          </button>
        </div>
      </form>
    </li>
  )
}

function Approvals() {
  const state = useAsync(() => api.listApprovals(), [])
  return (
    <AsyncView state={state}>
      {({ items }) => (
        <>
          <p className="muted">{items.length ? `${items.length} waiting` : 'Nothing is waiting for approval.'}</p>
          <ul className="plain">
            {items.map((a) => (
              <ApprovalEntry key={`${a.kind}-${a.id}`} a={a} done={state.reload} />
            ))}
          </ul>
        </>
      )}
    </AsyncView>
  )
}

function CycleForm({ cycle, done }: { cycle?: Cycle; done: (message: string) => void }) {
  const [error, setError] = useState<unknown>(null)
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault()
    const v = formValues(e.currentTarget)
    const body = {
      name: v.name ?? '',
      starts_at: fromLocalInput(v.starts_at ?? ''),
      ends_at: fromLocalInput(v.ends_at ?? ''),
      results_release_at: fromLocalInput(v.results_release_at ?? ''),
      max_committees: v.max_committees ? Number(v.max_committees) : null,
      committee_word_cap: v.committee_word_cap ? Number(v.committee_word_cap) : null,
      require_complete_profile: v.require_complete_profile === 'on',
      freeze_committees: v.freeze_committees === 'on',
    }
    setError(null)
    try {
      if (cycle) {
        const r = await api.updateCycle(cycle.id, body)
        done(r.moved_applications ? `Saved; ${r.moved_applications} applications moved to the new dates.` : 'Saved.')
      } else {
        await api.createCycle(body)
        done('Cycle created.')
      }
    } catch (err) {
      setError(err)
    }
  }
  return (
    <form onSubmit={submit} noValidate className="panel">
      <h2>{cycle ? `Edit ${cycle.name}` : 'New cycle'}</h2>
      <div className="grid-2">
        <TextField label="Name" name="name" defaultValue={cycle?.name} required error={error} />
        <TextField label="Opens" name="starts_at" type="datetime-local" defaultValue={toLocalInput(cycle?.starts_at)} required error={error} />
        <TextField label="Deadline" name="ends_at" type="datetime-local" defaultValue={toLocalInput(cycle?.ends_at)} required error={error} />
        <TextField label="Results release" name="results_release_at" type="datetime-local" defaultValue={toLocalInput(cycle?.results_release_at)} required error={error} />
        <TextField label="Committees per applicant" name="max_committees" type="number" min={1} defaultValue={cycle?.max_committees ?? ''} error={error} />
        <TextField label="Word cap per committee" name="committee_word_cap" type="number" min={1} defaultValue={cycle?.committee_word_cap ?? ''} error={error} />
      </div>
      <div className="button-row">
        <label>
          <input type="checkbox" name="require_complete_profile" defaultChecked={cycle?.require_complete_profile} /> Require a complete profile
        </label>
        <label>
          <input type="checkbox" name="freeze_committees" defaultChecked={cycle?.freeze_committees} /> Freeze committees once open
        </label>
      </div>
      {cycle && <p className="hint">Changing dates moves every club application in the cycle except those with their own deadline.</p>}
      <FormError error={error} fields={['name', 'starts_at', 'ends_at', 'results_release_at', 'max_committees', 'committee_word_cap']} />
      <button type="submit" className="primary">
        {cycle ? 'Save cycle' : 'Create cycle'}
      </button>
    </form>
  )
}

function Progress({ id }: { id: number }) {
  const state = useAsync(() => api.cycleProgress(id), [id])
  return (
    <AsyncView state={state}>
      {({ clubs, totals }) => (
        <div className="table-wrap">
          <table>
            <caption>Progress per club</caption>
            <thead>
              <tr>
                <th scope="col">Club</th>
                <th scope="col">Applications</th>
                <th scope="col">Open</th>
                <th scope="col">Started</th>
                <th scope="col">Drafts</th>
                <th scope="col">Submitted</th>
                <th scope="col">Decided</th>
                <th scope="col">Emailed</th>
              </tr>
            </thead>
            <tbody>
              {[{ code: '', name: 'All clubs', ...totals }, ...clubs].map((c) => (
                <tr key={c.code || 'total'}>
                  <th scope="row">{c.code ? <Link to={`/clubs/${c.code}`}>{c.name}</Link> : c.name}</th>
                  <td>{c.applications}</td>
                  <td>{c.open}</td>
                  <td>{c.started}</td>
                  <td>{c.drafts}</td>
                  <td>{c.submissions}</td>
                  <td>{c.decisions}</td>
                  <td>{c.notified}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </AsyncView>
  )
}

function Cycles() {
  const state = useAsync(() => api.listCycles(), [])
  const [editing, setEditing] = useState<Cycle | null>(null)
  const [progress, setProgress] = useState<number | null>(null)
  const [message, setMessage] = useState<string | null>(null)
  return (
    <>
      <AsyncView state={state}>
        {({ cycles }) => (
          <ul className="plain">
            {cycles.map((c) => (
              <li key={c.id} className="application-item">
                <span>
                  <strong>{c.name}</strong> — opens {formatDateTime(c.starts_at)}, deadline {formatDateTime(c.ends_at)}, results {formatDateTime(c.results_release_at)}
                </span>
                <span className="button-row">
                  <button type="button" onClick={() => setEditing(c)}>
                    Edit
                  </button>
                  <button type="button" onClick={() => setProgress(c.id)}>
                    Progress
                  </button>
                </span>
              </li>
            ))}
          </ul>
        )}
      </AsyncView>
      {progress !== null && <Progress id={progress} />}
      {message && (
        <p className="success" role="status">
          {message}
        </p>
      )}
      <CycleForm
        key={editing?.id ?? 'new'}
        cycle={editing ?? undefined}
        done={(m) => {
          setEditing(null)
          setMessage(m)
          state.reload()
        }}
      />
    </>
  )
}

function Taxonomy() {
  const tags = useAsync(() => api.adminTags(), [])
  const badges = useAsync(() => api.adminBadges(), [])
  const [error, setError] = useState<unknown>(null)
  const act = async (fn: () => Promise<unknown>, reload: () => void, form?: HTMLFormElement) => {
    setError(null)
    try {
      await fn()
      form?.reset()
      reload()
      invalidateClubs()
    } catch (e) {
      setError(e)
    }
  }
  return (
    <div className="grid-2">
      <section aria-labelledby="tags-h">
        <h2 id="tags-h">Tags</h2>
        <form
          className="button-row"
          onSubmit={(e) => {
            e.preventDefault()
            const form = e.currentTarget
            void act(() => api.createTag(formValues(form).name ?? ''), tags.reload, form)
          }}
        >
          <TextField label="New tag" name="name" maxLength={60} error={error} />
          <button type="submit">Add tag</button>
        </form>
        <FormError error={error} fields={['name']} />
        <AsyncView state={tags}>
          {(d) => (
            <ul className="plain">
              {d.tags.map((t) => (
                <li key={t.slug} className="application-item">
                  <span>
                    {t.name} <span className="muted">({t.club_count} clubs)</span>
                  </span>
                  <button type="button" onClick={() => window.confirm(`Delete tag ${t.name}? It is removed from every club.`) && act(() => api.deleteTag(t.id), tags.reload)}>
                    Delete <span className="visually-hidden">{t.name}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </AsyncView>
      </section>
      <section aria-labelledby="badges-h">
        <h2 id="badges-h">Badges</h2>
        <form
          onSubmit={(e) => {
            e.preventDefault()
            const form = e.currentTarget
            const v = formValues(form)
            void act(() => api.createBadge({ name: v.name ?? '', description: v.description ?? '', color: v.color ?? '#555555' }), badges.reload, form)
          }}
        >
          <TextField label="Badge name" name="name" maxLength={60} error={error} />
          <TextField label="Description" name="description" error={error} />
          <TextField label="Color" name="color" type="color" defaultValue="#1f3a5f" error={error} />
          <button type="submit">Add badge</button>
        </form>
        <AsyncView state={badges}>
          {(d) => (
            <ul className="plain">
              {d.badges.map((b) => (
                <li key={b.slug} className="application-item">
                  <span>
                    <span className="pill badge" style={{ borderColor: b.color }}>
                      {b.name}
                    </span>{' '}
                    <span className="muted">({b.club_count} clubs)</span>
                  </span>
                  <button type="button" aria-pressed={b.hidden} onClick={() => act(() => api.updateBadge(b.id, { hidden: !b.hidden }), badges.reload)}>
                    Hidden <span className="visually-hidden">{b.name}</span>
                  </button>
                  <button type="button" onClick={() => window.confirm(`Delete badge ${b.name}?`) && act(() => api.deleteBadge(b.id), badges.reload)}>
                    Delete <span className="visually-hidden">{b.name}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </AsyncView>
      </section>
    </div>
  )
}
