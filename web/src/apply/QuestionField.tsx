import type { Answer, Question } from '../api/types.js'
import { fieldError } from '../ui/form.js'
import { countWords } from './words.js'

/** One question of the form: written answers with a live word count, or choices. */
export function QuestionField({ q, answer, onChange, error, disabled }: { q: Question; answer: Answer | undefined; onChange: (a: Answer) => void; error: unknown; disabled: boolean }) {
  const id = `q-${q.id}`
  const serverMessage = fieldError(error, String(q.id))
  if (q.type === 'info') {
    return (
      <div className="panel">
        <p>{q.prompt}</p>
      </div>
    )
  }
  if (q.type === 'single_choice' || q.type === 'multi_choice') {
    const chosen = answer?.choice_ids ?? []
    const multi = q.type === 'multi_choice'
    return (
      <fieldset className="field" aria-describedby={serverMessage ? `${id}-error` : undefined}>
        <legend>
          {q.prompt} {q.required && <span className="muted">(required)</span>}
        </legend>
        {q.choices.map((c) => (
          <label key={c.id}>
            <input
              type={multi ? 'checkbox' : 'radio'}
              name={id}
              checked={chosen.includes(c.id)}
              disabled={disabled}
              onChange={(e) =>
                onChange({ question_id: q.id, choice_ids: multi ? (e.target.checked ? [...chosen, c.id] : chosen.filter((x) => x !== c.id)) : [c.id] })
              }
            />{' '}
            {c.label}
          </label>
        ))}
        {serverMessage && (
          <span className="field-error" id={`${id}-error`} role="alert">
            {serverMessage}
          </span>
        )}
      </fieldset>
    )
  }
  const text = answer?.text ?? ''
  const words = countWords(text)
  const over = q.word_limit !== null && words > q.word_limit
  const message = serverMessage ?? (over ? `Over the limit by ${words - q.word_limit!} word${words - q.word_limit! === 1 ? '' : 's'}` : undefined)
  const Tag = q.type === 'short_answer' ? 'input' : 'textarea'
  return (
    <div className="field">
      <label htmlFor={id}>
        {q.prompt} {q.required && <span className="muted">(required)</span>}
      </label>
      <Tag
        id={id}
        value={text}
        disabled={disabled}
        aria-invalid={message ? true : undefined}
        aria-describedby={`${id}-count${message ? ` ${id}-error` : ''}`}
        onChange={(e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => onChange({ question_id: q.id, text: e.target.value })}
        maxLength={q.type === 'short_answer' ? 500 : undefined}
      />
      <span id={`${id}-count`} className={`word-count${over ? ' over' : ''}`}>
        {q.word_limit ? `${words} / ${q.word_limit} words` : `${words} ${words === 1 ? 'word' : 'words'}`}
      </span>
      {message && (
        <span className="field-error" id={`${id}-error`} role="alert">
          {message}
        </span>
      )}
    </div>
  )
}
