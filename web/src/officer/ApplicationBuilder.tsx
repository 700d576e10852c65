import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import * as api from '../api/index.js'
import type { ManagedApplication, QuestionType } from '../api/types.js'
import { clubApplicationsQuery, managedApplicationQuery } from '../data/manage.js'
import { FormError } from '../ui/form.js'
import { formatDateTime } from '../ui/format.js'
import { AsyncView } from '../ui/status.js'

type DraftQuestion = api.BuilderState['questions'][number]
type DraftCommittee = api.BuilderState['committees'][number]

/** Edits an application's settings, committees and ordered questions. */
export function Builder({ id }: { id: number }) {
  const query = useQuery(managedApplicationQuery(id))
  const qc = useQueryClient()
  // The application list shows the counts and the active flag.
  const reread = (form: ManagedApplication) =>
    Promise.all([managedApplicationQuery(id), clubApplicationsQuery(form.club.code)].map((q) => qc.invalidateQueries({ queryKey: q.queryKey })))
  const save = useMutation({ mutationFn: ({ form, edits }: { form: ManagedApplication; edits: api.BuilderState }) => api.saveBuilder(id, form, edits), onSuccess: (_r, v) => reread(v.form) })
  const activate = useMutation({ mutationFn: (form: ManagedApplication) => api.updateApplication(id, { active: !form.active }), onSuccess: (_r, form) => reread(form) })
  // Keyed by the last update: after a save the form starts again from the server's ids.
  return <AsyncView query={query}>{(form) => <BuilderForm key={form.updated_at} form={form} save={save} activate={activate} />}</AsyncView>
}

interface Write<V> {
  mutate: (v: V) => void
  isPending: boolean
  isSuccess: boolean
  error: Error | null
}

function BuilderForm({ form, save, activate }: { form: ManagedApplication; save: Write<{ form: ManagedApplication; edits: api.BuilderState }>; activate: Write<ManagedApplication> }) {
  const [committees, setCommittees] = useState<DraftCommittee[]>(form.committees)
  const [questions, setQuestions] = useState<DraftQuestion[]>(() => form.questions.map((q) => ({ ...q, type: q.type as QuestionType })))
  const error = save.error ?? activate.error
  const setQ = (i: number, patch: Partial<DraftQuestion>) => setQuestions(questions.map((q, j) => (j === i ? { ...q, ...patch } : q)))
  const move = (i: number, d: number) => {
    const next = [...questions]
    const [q] = next.splice(i, 1)
    next.splice(i + d, 0, q!)
    setQuestions(next)
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
        <button type="button" onClick={() => activate.mutate(form)}>
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
        <button type="button" className="primary" onClick={() => save.mutate({ form, edits: { committees, questions } })} disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save questions'}
        </button>
      </div>
      <FormError error={error} />
      {save.isSuccess && (
        <p className="success" role="status">
          Saved.
        </p>
      )}
    </section>
  )
}
