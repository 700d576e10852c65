import { useMutation } from '@tanstack/react-query'
import { useMemo, useState } from 'react'
import * as api from '../api/index.js'
import { FormError } from '../ui/form.js'
import { useConfirm } from '../ui/ConfirmDialog.js'
import { formatDateTime, STATUS_LABELS } from '../ui/format.js'

/** Decision emails: a dry run first, then sending (or resending) exactly what it showed. */
export function DecisionsPanel({ id }: { id: number }) {
  const [mode, setMode] = useState<'send' | 'resend'>('send')
  const decide = useMutation({
    mutationFn: ({ which, ids, dry }: { which: 'send' | 'resend'; ids: number[]; dry: boolean }) => (which === 'send' ? api.sendDecisions(id, dry) : api.resendDecisions(id, ids, dry)),
    onSuccess: (_p, { which }) => setMode(which),
  })
  const plan = decide.data ?? null
  const error = decide.error
  const busy = decide.isPending
  const counts = useMemo(() => {
    const m = new Map<string, number>()
    for (const e of plan?.send ?? []) m.set(e.status, (m.get(e.status) ?? 0) + 1)
    return m
  }, [plan])
  const alreadySent = (plan?.skipped ?? []).filter((s) => s.reason === 'already_sent').map((s) => s.submission_id)
  const { confirm, dialog } = useConfirm()
  const run = (which: 'send' | 'resend', dry: boolean) => {
    const ids = which === 'resend' ? (plan?.dry_run && mode === 'resend' ? plan.send.map((s) => s.submission_id) : alreadySent) : []
    if (dry) decide.mutate({ which, ids, dry })
    else confirm({ title: `Email ${plan?.send.length ?? 0} applicants now?`, body: <p>Each gets one email.</p>, confirm: 'Send emails', onConfirm: () => decide.mutate({ which, ids, dry }) })
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
      {dialog}
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
