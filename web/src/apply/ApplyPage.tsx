import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useCallback, useEffect, useRef, useState } from 'react'
import * as api from '../api/index.js'
import type { Answer, ApplicationForm, Content, MyApplications, OwnDraft } from '../api/types.js'
import { getRouteApi, Link } from '@tanstack/react-router'
import { draftQuery, myApplicationsQuery } from '../data/account.js'
import { applicationQuery } from '../data/public.js'
import { markApplication } from '../data/viewer.js'
import { fieldError, FormError } from '../ui/form.js'
import { formatDateTime } from '../ui/format.js'
import { ConfirmDialog, type Confirmation } from '../ui/ConfirmDialog.js'
import { ErrorMessage, Loading } from '../ui/status.js'
import { clearBackup, readBackup, writeBackup } from './backup.js'
import { Countdown } from './Countdown.js'
import { QuestionField } from './QuestionField.js'
import { ReceiptView } from './ReceiptView.js'
import { SaveIndicator, type SaveState } from './SaveIndicator.js'
import { countWords, visibleQuestions } from './words.js'

const AUTOSAVE_MS = 1200

function newKey(): string {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`
}

/** Settled: answered by the server for this visit, not a cached copy still being re-read. */
const settled = (q: { isPending: boolean; isFetching: boolean }) => !q.isPending && !q.isFetching

const route = getRouteApi('/apply/$id')

export default function ApplyPage() {
  const { id } = route.useParams()
  const form = useQuery(applicationQuery(id))
  const draft = useQuery(draftQuery(id))
  // Only for the applicant's own deadline; the form works without it.
  const mine = useQuery(myApplicationsQuery)
  const error = form.error ?? draft.error
  if (error) return <ErrorMessage error={error} />
  if (!form.data || !settled(draft) || !settled(mine)) return <Loading label="Loading application…" />
  return <ApplyForm key={id} form={form.data} draft={draft.data ?? null} mine={mine.data} />
}

function ApplyForm({ form, draft, mine }: { form: ApplicationForm; draft: OwnDraft | null; mine: MyApplications | undefined }) {
  const id = form.id
  const qc = useQueryClient()
  const backupKey = `quad:draft:${id}`
  // Where the answers start: this browser's copy when it is newer than the server's draft.
  const [initial] = useState(() => {
    const local = readBackup(backupKey)
    return local && (!draft?.updated_at || local.savedAt > Date.parse(draft.updated_at)) ? local : draft ? { answers: draft.answers, committees: draft.committees } : null
  })
  const [answers, setAnswers] = useState<Map<number, Answer>>(() => new Map(initial?.answers.map((a) => [a.question_id, a])))
  const [committees, setCommittees] = useState<number[]>(initial?.committees ?? [])
  const [save, setSave] = useState<SaveState>({ kind: 'idle' })
  const [passed, setPassed] = useState(false)
  const [confirming, setConfirming] = useState(false)
  const idempotencyKey = useRef(newKey())
  const version = useRef(0)
  // The applicant's own deadline (an extension) when there is one.
  const own = mine?.applications.find((a) => a.application.id === id)
  const deadline = own?.extended ? own.deadline.utc : form.ends_at

  useEffect(() => {
    document.title = `Apply: ${form.name} — Quad`
  }, [form.name])

  // Only what each question takes: text for written answers, choices for multiple choice.
  const payload = useCallback((): Content => {
    const types = new Map(form.questions.map((q) => [q.id, q.type]))
    const out: Answer[] = []
    for (const a of answers.values()) {
      const type = types.get(a.question_id)
      if (!type || type === 'info') continue
      if (type === 'single_choice' || type === 'multi_choice') out.push({ question_id: a.question_id, choice_ids: a.choice_ids ?? [] })
      else out.push({ question_id: a.question_id, text: a.text ?? '' })
    }
    return { answers: out, committees }
  }, [answers, committees, form])

  const saveDraft = useMutation({ mutationFn: (c: Content) => api.saveDraft(id, c), onSuccess: () => markApplication(qc, id, 'draft') })
  const submitted = useMutation({
    mutationFn: (c: Content) => api.submitApplication(id, c, idempotencyKey.current),
    onSuccess: () => {
      version.current++
      clearBackup(backupKey)
      markApplication(qc, id, 'submitted')
      void qc.invalidateQueries({ queryKey: draftQuery(id).queryKey })
      void qc.invalidateQueries({ queryKey: myApplicationsQuery.queryKey })
    },
  })

  // Autosave shortly after the last change; a newer change supersedes an in-flight save.
  const { mutateAsync: saveNow } = saveDraft
  useEffect(() => {
    if (save.kind !== 'dirty' && !(save.kind === 'error' && save.retry)) return
    const mine = version.current
    const t = window.setTimeout(async () => {
      setSave({ kind: 'saving' })
      try {
        await saveNow(payload())
        if (mine === version.current) setSave({ kind: 'saved', at: new Date() })
      } catch (e) {
        const status = e instanceof api.ApiError ? e.status : 0
        if (mine === version.current) setSave({ kind: 'error', message: (e as Error).message, retry: status === 0 || status >= 500 })
      }
    }, save.kind === 'error' ? 5000 : AUTOSAVE_MS)
    return () => window.clearTimeout(t)
  }, [save, payload, saveNow])

  const changed = (next: { answers?: Map<number, Answer>; committees?: number[] }) => {
    version.current++
    const a = next.answers ?? answers
    const c = next.committees ?? committees
    if (next.answers) setAnswers(a)
    if (next.committees) setCommittees(c)
    writeBackup(backupKey, { answers: [...a.values()], committees: c, savedAt: Date.now() })
    setSave({ kind: 'dirty' })
  }

  const receipt = submitted.data ?? (draft?.state === 'submitted' ? draft.receipt : null)
  if (receipt) return <ReceiptView receipt={receipt} form={form} />

  const shown = visibleQuestions(form.questions, committees)
  const overLimit = shown.some((q) => q.word_limit !== null && countWords(answers.get(q.id)?.text ?? '') > q.word_limit)
  const notOpen = Date.parse(form.starts_at) > Date.now()
  const closed = passed || Date.parse(deadline) <= Date.now()
  const busy = submitted.isPending
  const submitError = submitted.error

  const confirmation: Confirmation = {
    title: 'Submit your application?',
    body: (
      <p>
        You are submitting <strong>{form.name}</strong> to {form.club.name}. You cannot change your answers afterwards.
      </p>
    ),
    confirm: 'Yes, submit',
    cancel: 'Keep editing',
    onConfirm: () => submitted.mutate(payload()),
  }

  return (
    <div className="apply">
      <p>
        <Link to="/clubs/$code" params={{ code: form.club.code }}>← {form.club.name}</Link>
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
            setConfirming(true)
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
              <Link to="/me/$tab" params={{ tab: 'profile' }} search={{ next: `/apply/${id}` }}>
                Complete your profile
              </Link>, then come back: your answers are kept.
            </p>
          )}
          {overLimit && <p className="field-error">Shorten the answers marked above before submitting.</p>}
          <button type="submit" className="primary" disabled={busy || closed || notOpen || overLimit}>
            {busy ? 'Submitting…' : 'Submit application'}
          </button>
        </form>
      )}
      <ConfirmDialog role="dialog" request={confirming ? confirmation : null} onClose={() => setConfirming(false)} />
    </div>
  )
}

