import { type FormEvent, useState } from 'react'
import type { Question, ReviewSubmission } from '../api/types.js'
import { FormError, formValues, TextField } from '../ui/form.js'
import { formatDateTime } from '../ui/format.js'

/** One applicant's answers and the reviewers' notes, with a form to add a note. */
export function SubmissionDetails({ s, questions, onNote }: { s: ReviewSubmission; questions: Question[]; onNote: (body: string, score: number | null) => Promise<void> }) {
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
