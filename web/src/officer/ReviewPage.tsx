import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useEffect, useState } from 'react'
import * as api from '../api/index.js'
import type { ReviewFilter, ReviewSubmission, SubmissionStatus } from '../api/types.js'
import { getRouteApi, useNavigate } from '@tanstack/react-router'
import { stringifySearch } from '../app/search.js'
import { useUrlState } from '../app/useUrlState.js'
import { submissionsQuery } from '../data/manage.js'
import { FormError, formValues } from '../ui/form.js'
import { formatDateTime, STATUS_LABELS } from '../ui/format.js'
import { AsyncView } from '../ui/status.js'
import { DecisionsPanel } from './DecisionsPanel.js'
import { ExtensionsPanel } from './ExtensionsPanel.js'
import { STATUSES, StatusSelect } from './StatusSelect.js'
import { SubmissionDetails } from './SubmissionDetails.js'

const route = getRouteApi('/review/$id')

export default function ReviewPage() {
  const { id } = route.useParams()
  const navigate = useNavigate()
  // The filters are the URL's; a choice shows at once and the URL follows.
  const [search, setSearch] = useUrlState(route.useSearch(), stringifySearch, (s) => void navigate({ to: '/review/$id', params: { id }, search: s, replace: true, resetScroll: false }))
  const status = STATUSES.find((s) => s === search.status) ?? ''
  const committee = search.committee ? Number(search.committee) : undefined
  const filter: ReviewFilter = { status: status || undefined, committee }
  const list = submissionsQuery(id, filter)
  const submissions = useQuery(list)
  const qc = useQueryClient()
  const [selected, setSelected] = useState<Set<number>>(new Set())
  const [open, setOpen] = useState<number | null>(null)
  useEffect(() => {
    document.title = 'Review submissions — Quad'
  }, [])
  const setFilter = (k: 'status' | 'committee', v: string) => {
    setSelected(new Set())
    setSearch({ ...search, [k]: v || undefined })
  }
  const replace = (s: ReviewSubmission, p: Partial<ReviewSubmission>) =>
    qc.setQueryData(list.queryKey, (d) => d && { ...d, submissions: d.submissions.map((x) => (x.id === s.id ? { ...x, ...p } : x)) })
  // Shown at once; on failure the list is read again.
  const setStatus = useMutation({
    mutationFn: ({ s, next }: { s: ReviewSubmission; next: SubmissionStatus }) => api.setSubmissionStatus(s.id, next),
    onMutate: ({ s, next }) => replace(s, { status: next }),
    onError: () => qc.invalidateQueries({ queryKey: list.queryKey }),
  })
  const addNote = async (s: ReviewSubmission, body: string, score: number | null) => {
    const note = await api.addReviewNote(s.id, body, score)
    const notes = [...s.notes, note]
    const scores = notes.map((n) => n.score).filter((x): x is number => x !== null)
    replace(s, { notes, average_score: scores.length ? scores.reduce((a, b) => a + b, 0) / scores.length : null })
  }
  const bulkUpdate = useMutation({
    mutationFn: ({ ids, status }: { ids: number[]; status: SubmissionStatus }) => api.bulkUpdateSubmissions(id, ids, status),
    onSuccess: () => {
      setSelected(new Set())
      // Every filtered view of this application's submissions may have changed.
      return qc.invalidateQueries({ queryKey: ['private', 'application', id, 'submissions'] })
    },
  })
  const error = setStatus.error ?? bulkUpdate.error
  const bulk = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault()
    const v = formValues(e.currentTarget)
    const next = STATUSES.find((x) => x === v.bulk_status)
    if (selected.size && next) bulkUpdate.mutate({ ids: [...selected], status: next })
  }
  const app = submissions.data?.application
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
      <AsyncView query={submissions}>
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
                          <StatusSelect label={`Status of ${s.user.name}`} value={s.status} onChange={(v) => setStatus.mutate({ s, next: v })} />
                          {s.notified_at && <div className="muted">emailed</div>}
                        </td>
                        <td>{s.average_score === null ? '—' : s.average_score.toFixed(1)}</td>
                        <td>
                          <button type="button" aria-expanded={open === s.id} onClick={() => setOpen(open === s.id ? null : s.id)}>
                            {open === s.id ? 'Hide' : 'Show'} <span className="visually-hidden">answers of {s.user.name}</span>
                          </button>
                          {open === s.id && <SubmissionDetails s={s} questions={application.questions} onNote={(b, sc) => addNote(s, b, sc)} />}
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
      <ExtensionsPanel id={id} />
      <DecisionsPanel id={id} />
    </div>
  )
}
