import { useEffect, useRef } from 'react'
import type { ApplicationForm, Receipt } from '../api/types.js'
import { Link } from '@tanstack/react-router'
import { formatDateTime } from '../ui/format.js'

/** The proof of submission: shown after submitting and whenever the applicant comes back. */
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
        Decisions are shown on <Link to="/me/$tab" params={{ tab: 'applications' }}>My applications</Link> after {formatDateTime(form.results_release_at)}.
      </p>
    </div>
  )
}
