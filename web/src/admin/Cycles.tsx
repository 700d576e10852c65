import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import * as api from '../api/index.js'
import type { Cycle, CycleBody } from '../api/types.js'
import { Link } from '@tanstack/react-router'
import { adminCyclesQuery, cycleProgressQuery } from '../data/staff.js'
import { FormError, formValues, TextField } from '../ui/form.js'
import { formatDateTime, fromLocalInput, toLocalInput } from '../ui/format.js'
import { AsyncView } from '../ui/status.js'

function CycleForm({ cycle, done }: { cycle?: Cycle; done: (message: string) => void }) {
  const qc = useQueryClient()
  const save = useMutation({
    mutationFn: async (body: CycleBody) => {
      if (!cycle) return (await api.createCycle(body), 'Cycle created.')
      const r = await api.updateCycle(cycle.id, body)
      return r.moved_applications ? `Saved; ${r.moved_applications} applications moved to the new dates.` : 'Saved.'
    },
    onSuccess: async (message) => {
      await qc.invalidateQueries({ queryKey: adminCyclesQuery.queryKey })
      done(message)
    },
  })
  const error = save.error
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault()
    const v = formValues(e.currentTarget)
    const body: CycleBody = {
      name: v.name ?? '',
      starts_at: fromLocalInput(v.starts_at ?? ''),
      ends_at: fromLocalInput(v.ends_at ?? ''),
      results_release_at: fromLocalInput(v.results_release_at ?? ''),
      max_committees: v.max_committees ? Number(v.max_committees) : null,
      committee_word_cap: v.committee_word_cap ? Number(v.committee_word_cap) : null,
      require_complete_profile: v.require_complete_profile === 'on',
      freeze_committees: v.freeze_committees === 'on',
    }
    save.mutate(body)
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
  const query = useQuery(cycleProgressQuery(id))
  return (
    <AsyncView query={query}>
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
                  <th scope="row">{c.code ? <Link to="/clubs/$code" params={{ code: c.code }}>{c.name}</Link> : c.name}</th>
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

export function Cycles() {
  const query = useQuery(adminCyclesQuery)
  const [editing, setEditing] = useState<Cycle | null>(null)
  const [progress, setProgress] = useState<number | null>(null)
  const [message, setMessage] = useState<string | null>(null)
  return (
    <>
      <AsyncView query={query}>
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
        }}
      />
    </>
  )
}
