import { useCallback, useEffect, useRef, useState } from 'react'
import * as api from '../api/index.js'
import type { Answer, ApplicationForm, Content, MyApplication, OwnDraft, Question, Receipt } from '../api/types.js'
import { Link } from '../app/router.js'
import { useSession } from '../app/session.js'
import { fieldError, FormError } from '../ui/form.js'
import { formatDateTime } from '../ui/format.js'
import { ErrorMessage, Loading } from '../ui/status.js'
import { Countdown } from './Countdown.js'
import { countWords, visibleQuestions } from './words.js'

type SaveState =
  | { kind: 'idle' }
  | { kind: 'dirty' }
  | { kind: 'saving' }
  | { kind: 'saved'; at: Date }
  /** retry: a network or server failure (tried again shortly); otherwise the answers need a change. */
  | { kind: 'error'; message: string; retry: boolean }
const AUTOSAVE_MS = 1200

function newKey(): string {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`
}

export function SaveIndicator({ state }: { state: SaveState }) {
  const text =
    state.kind === 'saving'
      ? 'Saving…'
      : state.kind === 'saved'
        ? `Draft saved at ${state.at.toLocaleTimeString(undefined, { hour: 'numeric', minute: '2-digit', second: '2-digit' })}`
        : state.kind === 'dirty'
          ? 'Unsaved changes'
          : state.kind === 'error'
            ? `Not saved: ${state.message}. Your answers are kept in this browser; we will retry.`
            : 'Your answers are saved as you type.'
  return (
    <p className="save-state" role="status" aria-live="polite">
      {text}
    </p>
  )
}

function QuestionField({ q, answer, onChange, error, disabled }: { q: Question; answer: Answer | undefined; onChange: (a: Answer) => void; error: unknown; disabled: boolean }) {
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

export function ReceiptView({ receipt, form }: { receipt: Receipt; form: ApplicationForm }) {
  const ref = useRef<HTMLDivElement>(null)
  useEffect(() => ref.current?.focus(), [])
  return (
    <div className="receipt" ref={ref} tabIndex={-1} role="region" aria-labelledby="receipt-h">
      <h2 id="receipt-h">✓ Application submitted</h2>
      <p>
        Your application to <strong>{form.club.name}</strong> — {form.name} — was received. Keep this receipt.
      </p>
      <dl>
        <dt>Receipt number</dt>
        <dd data-testid="receipt-id">{receipt.submission_id}</dd>
        <dt>Submitted at</dt>
        <dd>
          <time dateTime={receipt.submitted_at}>{formatDateTime(receipt.submitted_at)}</time>
        </dd>
        <dt>Content fingerprint</dt>
        <dd>
          <code>{receipt.content_digest}</code>
        </dd>
      </dl>
      <p>
        Decisions are shown on <Link to="/me/applications">My applications</Link> after {formatDateTime(form.results_release_at)}.
      </p>
    </div>
  )
}

export default function ApplyPage({ id }: { id: number }) {
  const { refreshOverlay } = useSession()
  const [form, setForm] = useState<ApplicationForm | null>(null)
  const [loadError, setLoadError] = useState<Error | null>(null)
  const [answers, setAnswers] = useState<Map<number, Answer>>(new Map())
  const [committees, setCommittees] = useState<number[]>([])
  const [deadline, setDeadline] = useState<string | null>(null)
  const [save, setSave] = useState<SaveState>({ kind: 'idle' })
  const [submitError, setSubmitError] = useState<unknown>(null)
  const [receipt, setReceipt] = useState<Receipt | null>(null)
  const [passed, setPassed] = useState(false)
  const [busy, setBusy] = useState(false)
  const dialog = useRef<HTMLDialogElement>(null)
  const idempotencyKey = useRef(newKey())
  const version = useRef(0)
  const backupKey = `quad:draft:${id}`

  useEffect(() => {
    let live = true
    const notStarted = (e: unknown) => (e instanceof api.ApiError && e.status === 404 ? null : Promise.reject(e))
    Promise.all([api.getApplication(id), api.getDraft(id).catch(notStarted), api.myApplications().catch(() => null)])
      .then(([f, d, mine]: [ApplicationForm, OwnDraft | null, { applications: MyApplication[] } | null]) => {
        if (!live) return
        document.title = `Apply: ${f.name} — Quad`
        setForm(f)
        // The applicant's own deadline (an extension) when there is one.
        const own = mine?.applications.find((a) => a.application.id === id)
        setDeadline(own?.extended ? own.deadline.utc : f.ends_at)
        if (d?.state === 'submitted' && d.receipt) {
          setReceipt(d.receipt)
          return
        }
        const local = readBackup(backupKey)
        const source = local && (!d?.updated_at || local.savedAt > Date.parse(d.updated_at)) ? local : d ? { answers: d.answers, committees: d.committees } : null
        if (source) {
          setAnswers(new Map(source.answers.map((a) => [a.question_id, a])))
          setCommittees(source.committees)
        }
      })
      .catch((e: Error) => live && setLoadError(e))
    return () => {
      live = false
    }
  }, [id, backupKey])

  // Only what each question takes: text for written answers, choices for multiple choice.
  const payload = useCallback((): Content => {
    const types = new Map(form?.questions.map((q) => [q.id, q.type]))
    const out: Answer[] = []
    for (const a of answers.values()) {
      const type = types.get(a.question_id)
      if (!type || type === 'info') continue
      if (type === 'single_choice' || type === 'multi_choice') out.push({ question_id: a.question_id, choice_ids: a.choice_ids ?? [] })
      else out.push({ question_id: a.question_id, text: a.text ?? '' })
    }
    return { answers: out, committees }
  }, [answers, committees, form])

  // Autosave shortly after the last change; a newer change supersedes an in-flight save.
  useEffect(() => {
    if (save.kind !== 'dirty' && !(save.kind === 'error' && save.retry)) return
    const mine = version.current
    const t = window.setTimeout(async () => {
      setSave({ kind: 'saving' })
      try {
        await api.saveDraft(id, payload())
        if (mine === version.current) setSave({ kind: 'saved', at: new Date() })
        void refreshOverlay()
      } catch (e) {
        const status = e instanceof api.ApiError ? e.status : 0
        if (mine === version.current) setSave({ kind: 'error', message: (e as Error).message, retry: status === 0 || status >= 500 })
      }
    }, save.kind === 'error' ? 5000 : AUTOSAVE_MS)
    return () => window.clearTimeout(t)
  }, [save, id, payload, refreshOverlay])

  const changed = (next: { answers?: Map<number, Answer>; committees?: number[] }) => {
    version.current++
    const a = next.answers ?? answers
    const c = next.committees ?? committees
    if (next.answers) setAnswers(a)
    if (next.committees) setCommittees(c)
    writeBackup(backupKey, { answers: [...a.values()], committees: c, savedAt: Date.now() })
    setSave({ kind: 'dirty' })
  }

  if (loadError) return <ErrorMessage error={loadError} />
  if (!form || !deadline) return <Loading label="Loading application…" />
  if (receipt) return <ReceiptView receipt={receipt} form={form} />

  const shown = visibleQuestions(form.questions, committees)
  const overLimit = shown.some((q) => q.word_limit !== null && countWords(answers.get(q.id)?.text ?? '') > q.word_limit)
  const notOpen = Date.parse(form.starts_at) > Date.now()
  const closed = passed || Date.parse(deadline) <= Date.now()

  const submit = async () => {
    dialog.current?.close()
    setBusy(true)
    setSubmitError(null)
    try {
      const r = await api.submitApplication(id, payload(), idempotencyKey.current)
      version.current++
      clearBackup(backupKey)
      setReceipt(r)
      void refreshOverlay()
    } catch (e) {
      setSubmitError(e)
    } finally {
      setBusy(false)
    }
  }

  return (
    <div className="apply">
      <p>
        <Link to={`/clubs/${form.club.code}`}>← {form.club.name}</Link>
      </p>
      <h1>{form.name}</h1>
      {form.cycle && <p className="muted">{form.cycle.name}</p>}
      <Countdown deadline={deadline} onPassed={() => setPassed(true)} />
      {deadline !== form.ends_at && <p className="notice">You have an extension until {formatDateTime(deadline)}.</p>}
      {form.description && <p>{form.description}</p>}
      {form.kind === 'external' && form.external_url ? (
        <p className="notice">
          This club takes applications on its own site:{' '}
          <a href={form.external_url} target="_blank" rel="noreferrer">
            apply there
          </a>
          .
        </p>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault()
            dialog.current?.showModal()
          }}
          noValidate
        >
          {notOpen && <p className="notice">This application opens {formatDateTime(form.starts_at)}.</p>}
          {closed && <p className="error-box">The deadline has passed; this application can no longer be submitted.</p>}
          {form.committees.length > 0 && (
            <fieldset className="field">
              <legend>
                Committees — choose up to {form.max_committees} ({committees.length} chosen)
              </legend>
              {form.committees.map((c) => {
                const checked = committees.includes(c.id)
                return (
                  <label key={c.id}>
                    <input
                      type="checkbox"
                      checked={checked}
                      disabled={closed || (!checked && committees.length >= form.max_committees)}
                      onChange={(e) => changed({ committees: e.target.checked ? [...committees, c.id] : committees.filter((x) => x !== c.id) })}
                    />{' '}
                    <strong>{c.name}</strong> {c.description && <span className="muted">— {c.description}</span>}
                  </label>
                )
              })}
              {fieldError(submitError, 'committees') && (
                <span className="field-error" role="alert">
                  {fieldError(submitError, 'committees')}
                </span>
              )}
            </fieldset>
          )}
          {shown.map((q) => (
            <QuestionField
              key={q.id}
              q={q}
              answer={answers.get(q.id)}
              error={submitError}
              disabled={closed}
              onChange={(a) => changed({ answers: new Map(answers).set(q.id, a) })}
            />
          ))}
          <SaveIndicator state={save} />
          <FormError error={submitError} fields={[...shown.map((q) => String(q.id)), 'committees']} />
          {submitError instanceof api.ApiError && submitError.code === 'PROFILE_INCOMPLETE' && (
            <p>
              <Link to={`/me/profile?next=${encodeURIComponent(`/apply/${id}`)}`}>Complete your profile</Link>, then come back: your answers are kept.
            </p>
          )}
          {overLimit && <p className="field-error">Shorten the answers marked above before submitting.</p>}
          <button type="submit" className="primary" disabled={busy || closed || notOpen || overLimit}>
            {busy ? 'Submitting…' : 'Submit application'}
          </button>
        </form>
      )}
      <dialog ref={dialog} aria-labelledby="confirm-h">
        <h2 id="confirm-h">Submit your application?</h2>
        <p>
          You are submitting <strong>{form.name}</strong> to {form.club.name}. You cannot change your answers afterwards.
        </p>
        <div className="button-row">
          <button type="button" className="primary" onClick={submit}>
            Yes, submit
          </button>
          <button type="button" onClick={() => dialog.current?.close()}>
            Keep editing
          </button>
        </div>
      </dialog>
    </div>
  )
}

interface Backup {
  answers: Answer[]
  committees: number[]
  savedAt: number
}
function readBackup(key: string): Backup | null {
  try {
    const raw = localStorage.getItem(key)
    const b = raw ? (JSON.parse(raw) as Backup) : null
    return b && Array.isArray(b.answers) && Array.isArray(b.committees) ? b : null
  } catch {
    return null
  }
}
function writeBackup(key: string, b: Backup) {
  try {
    localStorage.setItem(key, JSON.stringify(b))
  } catch {
    /* storage full or disabled: the server draft still saves */
  }
}
function clearBackup(key: string) {
  try {
    localStorage.removeItem(key)
  } catch {
    /* ignore */
  }
}
