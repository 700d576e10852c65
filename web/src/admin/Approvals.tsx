import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import * as api from '../api/index.js'
import type { ApprovalItem, DiffEntry } from '../api/types.js'
import { Link } from '@tanstack/react-router'
import { approvalsQuery } from '../data/staff.js'
import { clubQuery } from '../data/public.js'
import { useWrite } from '../data/write.js'
import { FormError, TextField } from '../ui/form.js'
import { formatDateTime } from '../ui/format.js'
import { AsyncView } from '../ui/status.js'

const show = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'string' ? v : Array.isArray(v) ? v.join(', ') : JSON.stringify(v))

/** Field-by-field diff of the proposed change against what the public sees now. */
export function Diff({ diff }: { diff: DiffEntry[] }) {
  return (
    <table className="diff">
      <caption className="visually-hidden">Proposed changes</caption>
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">Now</th>
          <th scope="col">Proposed</th>
        </tr>
      </thead>
      <tbody>
        {diff.map((d) => (
          <tr key={d.field}>
            <th scope="row">{d.field}</th>
            <td>{d.current === null || d.current === undefined ? <span className="muted">—</span> : <del>{show(d.current)}</del>}</td>
            <td>
              <ins>{show(d.proposed)}</ins>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

function ApprovalEntry({ a }: { a: ApprovalItem }) {
  const [comment, setComment] = useState('')
  // An approval changes what the public sees: the directory and the club page.
  const decision = useWrite(approvalsQuery.queryKey, ['public', 'clubs'], clubQuery(a.club.code).queryKey)
  const error = decision.error
  const decide = (approve: boolean) => decision.mutate(() => api.decideApproval(a, approve, comment.trim()))
  const id = `approval-${a.kind}-${a.id}`
  return (
    <li className="panel" aria-labelledby={id}>
      <h2 id={id}>
        <Link to="/clubs/$code" params={{ code: a.club.code }}>{a.club.name}</Link> <span className="pill">{a.kind === 'club' ? 'New club' : 'Edit'}</span>
      </h2>
      <p className="muted">
        {a.proposed_by ? `Proposed by ${a.proposed_by}` : 'Proposed'} · {formatDateTime(a.proposed_at)}
      </p>
      {a.diff.length > 0 && (
        <div className="table-wrap">
          <Diff diff={a.diff} />
        </div>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault()
          void decide(true)
        }}
      >
        <TextField label="Comment (required to reject)" name="comment" maxLength={2000} value={comment} onChange={(e) => setComment(e.target.value)} error={error} />
        <FormError error={error} fields={['comment']} />
        <div className="button-row">
          <button type="submit" className="primary">
            Approve <span className="visually-hidden">{a.club.name}</span>
          </button>
          <button type="button" className="danger" onClick={() => decide(false)}>
            Reject <span className="visually-hidden">{a.club.name}</span>
          </button>
        </div>
      </form>
    </li>
  )
}

export function Approvals() {
  const query = useQuery(approvalsQuery)
  return (
    <AsyncView query={query}>
      {({ items }) => (
        <>
          <p className="muted">{items.length ? `${items.length} waiting` : 'Nothing is waiting for approval.'}</p>
          <ul className="plain">
            {items.map((a) => (
              <ApprovalEntry key={`${a.kind}-${a.id}`} a={a} />
            ))}
          </ul>
        </>
      )}
    </AsyncView>
  )
}
