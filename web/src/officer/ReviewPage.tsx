import { type FormEvent, useEffect, useMemo, useState } from 'react'
import * as api from '../api/index.js'
import type { DecisionPreview, ReviewSubmission, SubmissionStatus } from '../api/types.js'
import { useLocation, navigate } from '../app/router.js'
import { useAsync } from '../app/useAsync.js'
import { FormError, formValues, TextField } from '../ui/form.js'
import { formatDateTime, fromLocalInput, STATUS_LABELS } from '../ui/format.js'
import { AsyncView } from '../ui/status.js'

const STATUSES = Object.keys(STATUS_LABELS) as SubmissionStatus[]

export default function ReviewPage({ id }: { id: number }) {
  const { query, path } = useLocation()
  const status = query.get('status') ?? ''
  const committee = query.get('committee') ? Number(query.get('committee')) : undefined
  const state = useAsync(() => api.listSubmissions(id, { status: status || undefined, committee }), [id, status, committee])
  const form = useAsync(() => api.getApplication(id), [id])
  const [selected, setSelected] = useState<Set<number>>(new Set())
  const [error, setError] = useState<unknown>(null)
  const [open, setOpen] = useState<number | null>(null)
  useEffect(() => {
    document.title = 'Review submissions — Quad'
  }, [])
  const setFilter = (k: string, v: string) => {
    const q = new URLSearchParams(query)
    if (v) q.set(k, v)
    else q.delete(k)
    navigate(`${path}${q.size ? `?${q}` : ''}`, { replace: true })
  }
  const update = async (s: ReviewSubmission, p: Partial<ReviewSubmission>) => {
    setError(null)
    state.set((d) => d && { ...d, submissions: d.submissions.map((x) => (x.id === s.id ? { ...x, ...p } : x)) })
    try {
      await api.updateSubmission(s.id, p)
    } catch (e) {
      setError(e)
      state.reload()
    }
  }
  const bulk = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault()
    const v = formValues(e.currentTarget)
    if (!selected.size || !v.bulk_status) return
    setError(null)
    try {
      await api.bulkUpdateSubmissions(id, [...selected], v.bulk_status as SubmissionStatus)
      setSelected(new Set())
      state.reload()
    } catch (err) {
      setError(err)
    }
  }
  return (
    <div>
      <h1>Review: {form.data ? `${form.data.name} — ${form.data.club.name}` : `application ${id}`}</h1>
      <div className="button-row">
        <label>
          Status{' '}
          <select value={status} onChange={(e) => setFilter('status', e.target.value)}>
            <option value="">All</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_LABELS[s]}
              </option>
            ))}
          </select>
        </label>
        {form.data && form.data.committees.length > 0 && (
          <label>
            Committee{' '}
            <select value={committee ?? ''} onChange={(e) => setFilter('committee', e.target.value)}>
              <option value="">All</option>
              {form.data.committees.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <a className="button" href={api.submissionsCsvUrl(id)} download>
          Download CSV
        </a>
      </div>
      <FormError error={error} />
      <AsyncView state={state} what="Submission review">
        {({ submissions, questions, committees }) => {
          const committeeName = new Map(committees.map((c) => [c.id, c.name]))
          const allSelected = submissions.length > 0 && submissions.every((s) => selected.has(s.id))
          return (
            <>
              <form onSubmit={bulk} className="button-row panel" aria-label="Bulk update">
                <span>{selected.size} selected</span>
                <label>
                  Set status to{' '}
                  <select name="bulk_status" defaultValue="">
                    <option value="" disabled>
                      Choose…
                    </option>
                    {STATUSES.map((s) => (
                      <option key={s} value={s}>
                        {STATUS_LABELS[s]}
                      </option>
                    ))}
                  </select>
                </label>
                <button type="submit" disabled={!selected.size}>
                  Apply to selected
                </button>
              </form>
              <p className="muted">{submissions.length} submissions</p>
              <div className="table-wrap">
                <table>
                  <caption className="visually-hidden">Submissions</caption>
                  <thead>
                    <tr>
                      <th scope="col">
                        <input
                          type="checkbox"
                          aria-label="Select all"
                          checked={allSelected}
                          onChange={(e) => setSelected(e.target.checked ? new Set(submissions.map((s) => s.id)) : new Set())}
                        />
                      </th>
                      <th scope="col">Applicant</th>
                      <th scope="col">Committees</th>
                      <th scope="col">Submitted</th>
                      <th scope="col">Status</th>
                      <th scope="col">Score</th>
                      <th scope="col">Answers and notes</th>
                    </tr>
                  </thead>
                  <tbody>
                    {submissions.map((s) => (
                      <tr key={s.id}>
                        <td>
                          <input
                            type="checkbox"
                            aria-label={`Select ${s.user.name}`}
                            checked={selected.has(s.id)}
                            onChange={(e) => {
                              const next = new Set(selected)
                              if (e.target.checked) next.add(s.id)
                              else next.delete(s.id)
                              setSelected(next)
                            }}
                          />
                        </td>
                        <td>
                          {s.user.name}
                          <br />
                          <span className="muted">{s.user.email}</span>
                        </td>
                        <td>{s.committee_ids.map((c) => committeeName.get(c) ?? c).join(', ')}</td>
                        <td>{s.submitted_at ? formatDateTime(s.submitted_at) : 'Draft'}</td>
                        <td>
                          <select aria-label={`Status of ${s.user.name}`} value={s.status} onChange={(e) => update(s, { status: e.target.value as SubmissionStatus })}>
                            {STATUSES.map((st) => (
                              <option key={st} value={st}>
                                {STATUS_LABELS[st]}
                              </option>
                            ))}
                          </select>
                        </td>
                        <td>
                          <input
                            type="number"
                            aria-label={`Score of ${s.user.name}`}
                            style={{ width: '5em' }}
                            defaultValue={s.score ?? ''}
                            onBlur={(e) => {
                              const score = e.target.value === '' ? null : Number(e.target.value)
                              if (score !== s.score) void update(s, { score })
                            }}
                          />
                        </td>
                        <td>
                          <button type="button" aria-expanded={open === s.id} onClick={() => setOpen(open === s.id ? null : s.id)}>
                            {open === s.id ? 'Hide' : 'Show'} <span className="visually-hidden">answers of {s.user.name}</span>
                          </button>
                          {open === s.id && (
                            <div>
                              <dl>
                                {questions
                                  .filter((q) => q.type !== 'info')
                                  .map((q) => {
                                    const a = s.answers.find((x) => x.question_id === q.id)
                                    const text = a?.text ?? q.choices.filter((c) => a?.choice_ids?.includes(c.id)).map((c) => c.label).join(', ')
                                    return (
                                      <div key={q.id}>
                                        <dt>
                                          <strong>{q.prompt}</strong>
                                        </dt>
                                        <dd style={{ whiteSpace: 'pre-wrap' }}>{text || '—'}</dd>
                                      </div>
                                    )
                                  })}
                              </dl>
                              <label className="field">
                                Reviewer notes
                                <textarea defaultValue={s.notes} rows={3} onBlur={(e) => e.target.value !== s.notes && update(s, { notes: e.target.value })} />
                              </label>
                              <label className="field">
                                Reason (shown with the decision)
                                <input defaultValue={s.reason} onBlur={(e) => e.target.value !== s.reason && update(s, { reason: e.target.value })} />
                              </label>
                            </div>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )
        }}
      </AsyncView>
      <Extensions id={id} />
      <Decisions id={id} releaseAt={form.data?.results_release_at} />
    </div>
  )
}

function Extensions({ id }: { id: number }) {
  const state = useAsync(() => api.listExtensions(id), [id])
  const [error, setError] = useState<unknown>(null)
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault()
    const form = e.currentTarget
    const v = formValues(form)
    setError(null)
    try {
      await api.grantExtension(id, { email: v.email ?? '', ends_at: fromLocalInput(v.ends_at ?? ''), reason: v.reason ?? '' })
      form.reset()
      state.reload()
    } catch (err) {
      setError(err)
    }
  }
  return (
    <section className="panel" aria-labelledby="ext-h">
      <h2 id="ext-h">Deadline extensions</h2>
      <AsyncView state={state} what="Extensions">
        {({ extensions }) => (
          <ul className="plain">
            {!extensions.length && <li className="muted">No extensions granted.</li>}
            {extensions.map((x) => (
              <li key={x.id}>
                {x.user.name} ({x.user.email}) — until {formatDateTime(x.ends_at)}
                {x.reason && ` · ${x.reason}`}
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

function Decisions({ id, releaseAt }: { id: number; releaseAt?: string }) {
  const [preview, setPreview] = useState<DecisionPreview | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [resend, setResend] = useState(false)
  const counts = useMemo(() => {
    const m = new Map<string, number>()
    for (const e of preview?.emails ?? []) m.set(e.status, (m.get(e.status) ?? 0) + 1)
    return m
  }, [preview])
  const run = async (dry: boolean) => {
    setError(null)
    if (!dry && !window.confirm(`Send ${preview?.emails.length ?? 0} decision emails now?`)) return
    try {
      setPreview(await api.sendDecisions(id, dry, resend))
    } catch (e) {
      setError(e)
    }
  }
  return (
    <section className="panel" aria-labelledby="dec-h">
      <h2 id="dec-h">Decision emails</h2>
      {releaseAt && <p className="muted">Results are released {formatDateTime(releaseAt)}; emails can be sent after that.</p>}
      <div className="button-row">
        <label>
          <input type="checkbox" checked={resend} onChange={(e) => setResend(e.target.checked)} /> Include applicants already notified (resend)
        </label>
        <button type="button" onClick={() => run(true)}>
          Preview (dry run)
        </button>
        <button type="button" className="primary" disabled={!preview?.dry_run || !preview.emails.length} onClick={() => run(false)}>
          Send emails
        </button>
      </div>
      <FormError error={error} />
      {preview && (
        <div role="status">
          <p>
            {preview.dry_run ? 'Dry run — nothing was sent.' : `Sent ${preview.sent ?? preview.emails.length} emails.`}{' '}
            {[...counts].map(([s, n]) => `${n} ${STATUS_LABELS[s] ?? s}`).join(', ')}
          </p>
          <ul className="plain">
            {preview.emails.slice(0, 200).map((e) => (
              <li key={e.to}>
                {e.name} &lt;{e.to}&gt; — {STATUS_LABELS[e.status] ?? e.status}: “{e.subject}”
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  )
}
