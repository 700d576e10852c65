import { type FormEvent, useState } from 'react'
import * as api from '../api/index.js'
import type { ManagedApplication, QuestionType } from '../api/types.js'
import { Link } from '../app/router.js'
import { useAsync } from '../app/useAsync.js'
import { FormError, formValues, SelectField, TextArea, TextField } from '../ui/form.js'
import { formatDateTime, fromLocalInput } from '../ui/format.js'
import { AsyncView } from '../ui/status.js'

export function ApplicationsTab({ code }: { code: string }) {
  const state = useAsync(() => Promise.all([api.listClubApplications(code), api.publicCycles().catch(() => ({ cycles: [] }))]), [code])
  const [editing, setEditing] = useState<number | null>(null)
  const [error, setError] = useState<unknown>(null)
  const create = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault()
    const form = e.currentTarget
    const v = formValues(form)
    setError(null)
    try {
      const created = await api.createApplication(code, {
        name: v.name ?? '',
        description: v.description ?? '',
        cycle_id: v.cycle_id ? Number(v.cycle_id) : null,
        kind: v.external_url ? 'external' : 'internal',
        external_url: v.external_url || null,
        ...(v.cycle_id ? {} : { starts_at: fromLocalInput(v.starts_at ?? ''), ends_at: fromLocalInput(v.ends_at ?? ''), results_release_at: fromLocalInput(v.results_release_at ?? '') }),
        max_committees: Number(v.max_committees || 1),
      })
      form.reset()
      state.reload()
      setEditing(created.id)
    } catch (err) {
      setError(err)
    }
  }
  const duplicate = async (id: number, cycleId: number | null) => {
    setError(null)
    try {
      const copy = await api.duplicateApplication(id, cycleId)
      state.reload()
      setEditing(copy.id)
    } catch (err) {
      setError(err)
    }
  }
  return (
    <AsyncView state={state}>
      {([{ applications }, { cycles }]) => {
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
                        <Link className="button" to={`/review/${a.id}`}>
                          Review
                        </Link>
                        <button type="button" onClick={() => setEditing(a.id)}>
                          Questions
                        </button>
                        {current && a.cycle?.id !== current.id && (
                          <button type="button" onClick={() => duplicate(a.id, current.id)}>
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
            <form onSubmit={create} className="panel" noValidate>
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

type DraftQuestion = api.BuilderState['questions'][number]
type DraftCommittee = api.BuilderState['committees'][number]

/** Edits an application's settings, committees and ordered questions. */
function Builder({ id }: { id: number }) {
  const state = useAsync(() => api.getManagedApplication(id), [id])
  return <AsyncView state={state}>{(form) => <BuilderForm form={form} reload={state.reload} />}</AsyncView>
}

function BuilderForm({ form, reload }: { form: ManagedApplication; reload: () => void }) {
  const [committees, setCommittees] = useState<DraftCommittee[]>(form.committees)
  const [questions, setQuestions] = useState<DraftQuestion[]>(() => form.questions.map((q) => ({ ...q, type: q.type as QuestionType })))
  const [error, setError] = useState<unknown>(null)
  const [saved, setSaved] = useState(false)
  const [busy, setBusy] = useState(false)
  const setQ = (i: number, patch: Partial<DraftQuestion>) => setQuestions(questions.map((q, j) => (j === i ? { ...q, ...patch } : q)))
  const move = (i: number, d: number) => {
    const next = [...questions]
    const [q] = next.splice(i, 1)
    next.splice(i + d, 0, q!)
    setQuestions(next)
  }
  const save = async () => {
    setError(null)
    setSaved(false)
    setBusy(true)
    try {
      await api.saveBuilder(form.id, form, { committees, questions })
      setSaved(true)
      reload()
    } catch (e) {
      setError(e)
    } finally {
      setBusy(false)
    }
  }
  const toggleActive = async () => {
    setError(null)
    try {
      await api.updateApplication(form.id, { active: !form.active })
      reload()
    } catch (e) {
      setError(e)
    }
  }
  const frozen = form.rules.committees_frozen
  return (
    <section className="panel" aria-labelledby="builder-h">
      <h2 id="builder-h">{form.name}</h2>
      <p className="muted">
        {form.cycle ? `${form.cycle.name} · ` : ''}opens {formatDateTime(form.starts_at)} · deadline {formatDateTime(form.ends_at)} · {form.counts.drafts} drafts, {form.counts.submissions}{' '}
        submitted
      </p>
      <div className="button-row">
        <span>{form.active ? 'Active: students can apply while it is open.' : 'Inactive: students do not see it yet.'}</span>
        <button type="button" onClick={toggleActive}>
          {form.active ? 'Deactivate' : 'Activate'}
        </button>
      </div>
      {form.rules.committee_word_cap && <p className="hint">The word limits of one committee's questions may add up to at most {form.rules.committee_word_cap}.</p>}
      <h3>Committees {form.effective_max_committees > 0 && <span className="muted">(applicants choose up to {form.effective_max_committees})</span>}</h3>
      {frozen && <p className="notice">Committees are frozen now that the application is open.</p>}
      {committees.map((c, i) => (
        <div key={c.id ?? `new-${i}`} className="button-row">
          <input
            aria-label={`Committee ${i + 1} name`}
            value={c.name}
            disabled={frozen}
            onChange={(e) => setCommittees(committees.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)))}
          />
          <input
            aria-label={`Committee ${i + 1} description`}
            value={c.description}
            disabled={frozen}
            placeholder="Description"
            onChange={(e) => setCommittees(committees.map((x, j) => (j === i ? { ...x, description: e.target.value } : x)))}
          />
          {!frozen && (
            <button type="button" onClick={() => setCommittees(committees.filter((_, j) => j !== i))}>
              Remove <span className="visually-hidden">committee {c.name}</span>
            </button>
          )}
        </div>
      ))}
      {!frozen && (
        <button type="button" onClick={() => setCommittees([...committees, { name: '', description: '' }])}>
          Add committee
        </button>
      )}
      <h3>Questions</h3>
      <ol>
        {questions.map((q, i) => (
          <li key={q.id ?? `new-${i}`} className="panel">
            <div className="grid-2">
              <label>
                Type{' '}
                <select
                  value={q.type}
                  disabled={!!q.id}
                  onChange={(e) => setQ(i, { type: e.target.value as QuestionType, word_limit: e.target.value === 'free_response' ? (q.word_limit ?? 250) : null })}
                >
                  <option value="free_response">Free response</option>
                  <option value="short_answer">Short answer</option>
                  <option value="single_choice">Multiple choice (one)</option>
                  <option value="multi_choice">Multiple choice (several)</option>
                  <option value="info">Information text</option>
                </select>
              </label>
              {q.type === 'free_response' && (
                <label>
                  Word limit <input type="number" min={1} value={q.word_limit ?? ''} onChange={(e) => setQ(i, { word_limit: e.target.value ? Number(e.target.value) : null })} />
                </label>
              )}
            </div>
            <label className="field">
              Prompt
              <textarea rows={2} value={q.prompt} onChange={(e) => setQ(i, { prompt: e.target.value })} />
            </label>
            {(q.type === 'single_choice' || q.type === 'multi_choice') && (
              <label className="field">
                Choices (one per line)
                <textarea
                  rows={3}
                  value={q.choices.map((c) => c.label).join('\n')}
                  onChange={(e) => setQ(i, { choices: e.target.value.split('\n').map((label, k) => ({ id: q.choices[k]?.id, label })) })}
                />
              </label>
            )}
            {form.committees.length > 0 && (
              <fieldset className="chips">
                <legend>Only for committees</legend>
                {form.committees.map((c) => (
                  <label key={c.id}>
                    <input
                      type="checkbox"
                      checked={q.committee_ids.includes(c.id)}
                      onChange={(e) => setQ(i, { committee_ids: e.target.checked ? [...q.committee_ids, c.id] : q.committee_ids.filter((x) => x !== c.id) })}
                    />{' '}
                    {c.name}
                  </label>
                ))}
              </fieldset>
            )}
            <div className="button-row">
              <label>
                <input type="checkbox" checked={q.required} onChange={(e) => setQ(i, { required: e.target.checked })} /> Required
              </label>
              <button type="button" disabled={i === 0} onClick={() => move(i, -1)}>
                Move up <span className="visually-hidden">question {i + 1}</span>
              </button>
              <button type="button" disabled={i === questions.length - 1} onClick={() => move(i, 1)}>
                Move down <span className="visually-hidden">question {i + 1}</span>
              </button>
              <button type="button" onClick={() => setQuestions(questions.filter((_, j) => j !== i))}>
                Delete <span className="visually-hidden">question {i + 1}</span>
              </button>
            </div>
          </li>
        ))}
      </ol>
      <div className="button-row">
        <button type="button" onClick={() => setQuestions([...questions, { type: 'free_response', prompt: '', word_limit: 250, required: true, choices: [], committee_ids: [] }])}>
          Add question
        </button>
        <button type="button" className="primary" onClick={save} disabled={busy}>
          {busy ? 'Saving…' : 'Save questions'}
        </button>
      </div>
      <FormError error={error} />
      {saved && (
        <p className="success" role="status">
          Saved.
        </p>
      )}
    </section>
  )
}
