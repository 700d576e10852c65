/** Dates in the viewer's own time zone, always with the hour (deadlines are hour-precise). */
const dateTime = new Intl.DateTimeFormat(undefined, { weekday: 'short', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'short' })
const dateOnly = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', year: 'numeric' })

export const formatDateTime = (iso: string | Date) => dateTime.format(new Date(iso))
export const formatDate = (iso: string | Date) => dateOnly.format(new Date(iso))

export const SIZE_LABELS: Record<string, string> = {
  small: 'Small (1–20)',
  medium: 'Medium (21–50)',
  large: 'Large (51–100)',
  very_large: 'Very large (100+)',
}
export const PROCESS_LABELS: Record<string, string> = {
  open: 'Open membership',
  tryout: 'Tryout',
  audition: 'Audition',
  application: 'Application',
  application_interview: 'Application and interview',
}
export const STATUS_LABELS: Record<string, string> = {
  pending: 'Pending',
  rejected_written: 'Rejected after written',
  rejected_interview: 'Rejected after interview',
  accepted: 'Accepted',
}

/** "2 days 4 h", "3 h 12 min", "45 s" until a time; null once it has passed. */
export function timeLeft(until: number, now: number): string | null {
  let s = Math.floor((until - now) / 1000)
  if (s < 0) return null
  const d = Math.floor(s / 86400)
  s -= d * 86400
  const h = Math.floor(s / 3600)
  s -= h * 3600
  const m = Math.floor(s / 60)
  s -= m * 60
  if (d > 0) return `${d} day${d === 1 ? '' : 's'} ${h} h`
  if (h > 0) return `${h} h ${m} min`
  if (m > 0) return `${m} min ${s} s`
  return `${s} s`
}

/** Datetime-local input value (local time) ⇄ ISO. */
export function toLocalInput(iso: string | null | undefined): string {
  if (!iso) return ''
  const d = new Date(iso)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`
}
export const fromLocalInput = (v: string) => (v ? new Date(v).toISOString() : '')
