import type { SubmissionStatus } from '../api/types.js'
import { STATUS_LABELS } from '../ui/format.js'

export const STATUSES = Object.keys(STATUS_LABELS) as SubmissionStatus[]

export function StatusSelect({ value, label, onChange, name }: { value?: SubmissionStatus; label: string; onChange?: (s: SubmissionStatus) => void; name?: string }) {
  return (
    <select aria-label={label} name={name} value={value} defaultValue={value === undefined ? '' : undefined} onChange={(e) => onChange?.(e.target.value as SubmissionStatus)}>
      {value === undefined && (
        <option value="" disabled>
          Choose…
        </option>
      )}
      {STATUSES.map((s) => (
        <option key={s} value={s}>
          {STATUS_LABELS[s]}
        </option>
      ))}
    </select>
  )
}
