import { type FormEvent, useEffect, useMemo, useState } from 'react'
import * as api from '../api/index.js'
import type { DecisionPlan, ReviewSubmission, SubmissionStatus } from '../api/types.js'
import { navigate, useLocation } from '../app/router.js'
import { useAsync } from '../app/useAsync.js'
import { FormError, formValues, TextField } from '../ui/form.js'
import { formatDateTime, fromLocalInput, STATUS_LABELS } from '../ui/format.js'
import { AsyncView } from '../ui/status.js'

const STATUSES = Object.keys(STATUS_LABELS) as SubmissionStatus[]

function StatusSelect({ value, label, onChange, name }: { value?: SubmissionStatus; label: string; onChange?: (s: SubmissionStatus) => void; name?: string }) {
  return (
    <select aria-label={label} name={name} value={value} defaultValue={value === undefined ? '' : undefined} onChange={(e) => onChange?.(e.target.value as SubmissionStatus)}>
      {value === undefined && (
        <option value="" disabled>
          Choose…
        </option>
      )}
      {STATUSES.map((s) => (
        <option key={s} value={s}>
          {STATUS_LABELS[s]}
        </option>
      ))}
    </select>
  )
}

function Details({ s, questions, onNote }: { s: ReviewSubmission; questions: api.Question[]; onNote: (body: string, score: number | null) => Promise<void> }) {
  const [error, setError] = useState<unknown>(null)
  const add = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault()
    const form = e.currentTarget
    const v = formValues(form)
    setError(null)
    try {
      await onNote(v.body ?? '', v.score ? Number(v.score) : null)
      form.reset()
    } catch (err) {
      setError(err)
    }
  }
  return (
    <div>
      <p className="muted">
        {[s.user.graduation_year, s.user.school, s.user.major].filter(Boolean).join(' · ')} · fingerprint <code>{s.content_digest.slice(0, 12)}</code>
      </p>
      <dl>
        {questions
          .filter((q) => q.type !== 'info')
          .map((q) => {
            const r = s.responses.find((x) => x.question_id === q.id)
            const text = r ? r.text || r.choices.join(', ') : ''
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
      <h3>Notes</h3>
      {!s.notes.length && <p className="muted">No notes yet.</p>}
      <ul className="plain">
        {s.notes.map((n) => (
          <li key={n.id}>
            <strong>{n.author_name ?? 'Reviewer'}</strong>
            {n.score !== null && <> · score {n.score}</>} · <span className="muted">{formatDateTime(n.created_at)}</span>
            {n.body && <p>{n.body}</p>}
          </li>
        ))}
      </ul>
      <form onSubmit={add} aria-label={`Add a note on ${s.user.name}`}>
        <label className="field">
          Note
          <textarea name="body" rows={2} maxLength={5000} />
        </label>
        <TextField label="Score" name="score" type="number" step="0.5" min={-999} max={999} error={error} />
        <FormError error={error} fields={['score']} />
        <button type="submit">Add note</button>
      </form>
    </div>
  )
}

export default function ReviewPage({ id }: { id: number }) {
  const { query, path } = useLocation()
  const status = STATUSES.find((s) => s === query.get('status')) ?? ''
  const committee = query.get('committee') ? Number(query.get('committee')) : undefined
  const filter = { status: status || undefined, committee }
  const state = useAsync(() => api.listSubmissions(id, filter), [id, status, committee]) // eslint-disable-line react-hooks/exhaustive-deps
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
    setSelected(new Set())
    navigate(`${path}${q.size ? `?${q}` : ''}`, { replace: true })
  }
  const replace = (s: ReviewSubmission, p: Partial<ReviewSubmission>) =>
    state.set((d) => d && { ...d, submissions: d.submissions.map((x) => (x.id === s.id ? { ...x, ...p } : x)) })
  const setStatus = async (s: ReviewSubmission, next: SubmissionStatus) => {
    setError(null)
    replace(s, { status: next })
    try {
      await api.setSubmissionStatus(s.id, next)
    } catch (e) {
      setError(e)
      state.reload()
    }
  }
  const addNote = async (s: ReviewSubmission, body: string, score: number | null) => {
    const note = await api.addReviewNote(s.id, body, score)
    const notes = [...s.notes, note]
    const scores = notes.map((n) => n.score).filter((x): x is number => x !== null)
    replace(s, { notes, average_score: scores.length ? scores.reduce((a, b) => a + b, 0) / scores.length : null })
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
  const app = state.data?.application
  return (
    <div>
      <h1>Review{app ? `: ${app.name}` : ''}</h1>
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
        {app && app.committees.length > 0 && (
          <label>
            Committee{' '}
            <select value={committee ?? ''} onChange={(e) => setFilter('committee', e.target.value)}>
              <option value="">All</option>
              {app.committees.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <a className="button" href={api.submissionsCsvUrl(id, filter)} download>
          Download CSV
        </a>
      </div>
      <FormError error={error} />
      <AsyncView state={state}>
        {({ submissions, application, total }) => {
          const allSelected = submissions.length > 0 && submissions.every((s) => selected.has(s.id))
          return (
            <>
              <form onSubmit={bulk} className="button-row panel" aria-label="Bulk update">
                <span>{selected.size} selected</span>
                <label>
                  Set status to <StatusSelect label="Set status to" name="bulk_status" />
                </label>
                <button type="submit" disabled={!selected.size}>
                  Apply to selected
                </button>
              </form>
              <p className="muted" aria-live="polite">
                {total} submissions{submissions.length < total ? ` (showing ${submissions.length})` : ''}
              </p>
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
                        <td>
                          {[...s.committees]
                            .sort((a, b) => a.rank - b.rank)
                            .map((c) => c.name)
                            .join(', ')}
                        </td>
                        <td>{formatDateTime(s.submitted_at)}</td>
                        <td>
                          <StatusSelect label={`Status of ${s.user.name}`} value={s.status} onChange={(v) => setStatus(s, v)} />
                          {s.notified_at && <div className="muted">emailed</div>}
                        </td>
                        <td>{s.average_score === null ? '—' : s.average_score.toFixed(1)}</td>
                        <td>
                          <button type="button" aria-expanded={open === s.id} onClick={() => setOpen(open === s.id ? null : s.id)}>
                            {open === s.id ? 'Hide' : 'Show'} <span className="visually-hidden">answers of {s.user.name}</span>
                          </button>
                          {open === s.id && <Details s={s} questions={application.questions} onNote={(b, sc) => addNote(s, b, sc)} />}
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
      <Decisions id={id} />
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
      <AsyncView state={state}>
        {({ extensions }) => (
          <ul className="plain">
            {!extensions.length && <li className="muted">No extensions granted.</li>}
            {extensions.map((x) => (
              <li key={x.user_id} className="application-item">
                <span>
                  {x.name} ({x.email}) — until {formatDateTime(x.ends_at)}
                  {x.reason && ` · ${x.reason}`}
                </span>
                <button type="button" onClick={() => api.revokeExtension(id, x.user_id).then(state.reload, setError)}>
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

function Decisions({ id }: { id: number }) {
  const [plan, setPlan] = useState<DecisionPlan | null>(null)
  const [mode, setMode] = useState<'send' | 'resend'>('send')
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  const counts = useMemo(() => {
    const m = new Map<string, number>()
    for (const e of plan?.send ?? []) m.set(e.status, (m.get(e.status) ?? 0) + 1)
    return m
  }, [plan])
  const alreadySent = (plan?.skipped ?? []).filter((s) => s.reason === 'already_sent').map((s) => s.submission_id)
  const run = async (which: 'send' | 'resend', dry: boolean) => {
    setError(null)
    if (!dry && !window.confirm(`Email ${plan?.send.length ?? 0} applicants now? Each gets one email.`)) return
    setBusy(true)
    try {
      const ids = which === 'resend' ? (plan?.dry_run && mode === 'resend' ? plan.send.map((s) => s.submission_id) : alreadySent) : []
      setPlan(which === 'send' ? await api.sendDecisions(id, dry) : await api.resendDecisions(id, ids, dry))
      setMode(which)
    } catch (e) {
      setError(e)
    } finally {
      setBusy(false)
    }
  }
  return (
    <section className="panel" aria-labelledby="dec-h">
      <h2 id="dec-h">Decision emails</h2>
      <p className="muted">A dry run shows exactly who would get which email; nothing is sent until you confirm. Each applicant is emailed once; a resend repeats the current decision.</p>
      <div className="button-row">
        <button type="button" onClick={() => run('send', true)} disabled={busy}>
          Preview (dry run)
        </button>
        <button type="button" className="primary" disabled={busy || !plan?.dry_run || mode !== 'send' || !plan.send.length || !plan.results_released} onClick={() => run('send', false)}>
          Send {plan?.dry_run && mode === 'send' ? plan.send.length : ''} emails
        </button>
        {alreadySent.length > 0 && plan?.dry_run && mode === 'send' && (
          <button type="button" onClick={() => run('resend', true)} disabled={busy}>
            Preview resending to {alreadySent.length} already emailed
          </button>
        )}
        {plan?.dry_run && mode === 'resend' && plan.send.length > 0 && (
          <button type="button" className="primary" onClick={() => run('resend', false)} disabled={busy}>
            Resend {plan.send.length} emails
          </button>
        )}
      </div>
      <FormError error={error} />
      {plan && (
        <div role="status">
          {!plan.results_released && <p className="notice">Results are released {formatDateTime(plan.results_release_at)}; emails can be sent from then on.</p>}
          <p>
            {plan.dry_run ? 'Dry run — nothing was sent.' : `Queued ${plan.queued} emails; ${plan.memberships_created} new members.`}{' '}
            {[...counts].map(([s, n]) => `${n} ${STATUS_LABELS[s] ?? s}`).join(', ')}
            {plan.skipped.length > 0 && ` · ${plan.skipped.length} skipped`}
          </p>
          <ul className="plain">
            {plan.send.slice(0, 200).map((e) => (
              <li key={e.submission_id}>
                {e.name} &lt;{e.email}&gt; — {STATUS_LABELS[e.status] ?? e.status}: “{e.subject}”
              </li>
            ))}
          </ul>
          {plan.skipped.length > 0 && (
            <details>
              <summary>Skipped ({plan.skipped.length})</summary>
              <ul className="plain">
                {plan.skipped.slice(0, 200).map((e) => (
                  <li key={e.submission_id}>
                    {e.name} — {e.reason === 'already_sent' ? 'already emailed' : 'no decision yet'}
                  </li>
                ))}
              </ul>
            </details>
          )}
        </div>
      )}
    </section>
  )
}
