/** A moment as ISO UTC plus its rendering in one IANA time zone, hour included. */
export interface LocalTime {
  utc: string
  time_zone: string
  /** e.g. "Fri, Mar 14, 2025, 1:00 PM EDT" */
  local: string
  /** the same wall-clock time with its offset, e.g. "2025-03-14T13:00:00-04:00" */
  local_iso: string
}

const human = new Map<string, Intl.DateTimeFormat>()
const parts = new Map<string, Intl.DateTimeFormat>()

export function isTimeZone(tz: string): boolean {
  if (human.has(tz)) return true
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz })
    return true
  } catch {
    return false
  }
}

/** The IANA name as Intl spells it ("america/new_york" -> "America/New_York"); undefined if unknown. */
export function canonicalTimeZone(tz: string): string | undefined {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: tz }).resolvedOptions().timeZone
  } catch {
    return undefined
  }
}

function formatters(tz: string) {
  let h = human.get(tz)
  let p = parts.get(tz)
  if (!h || !p) {
    h = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      weekday: 'short',
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
      timeZoneName: 'short',
    })
    p = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'longOffset',
    })
    human.set(tz, h)
    parts.set(tz, p)
  }
  return { h, p }
}

export function localTime(at: Date | string, tz: string): LocalTime {
  const d = typeof at === 'string' ? new Date(at) : at
  const { h, p } = formatters(tz)
  const v: Record<string, string> = {}
  for (const part of p.formatToParts(d)) v[part.type] = part.value
  // longOffset is "GMT-04:00", or plain "GMT" at offset zero.
  const offset = v.timeZoneName === 'GMT' ? '+00:00' : (v.timeZoneName ?? '').replace('GMT', '')
  return {
    utc: d.toISOString(),
    time_zone: tz,
    local: h.format(d),
    local_iso: `${v.year}-${v.month}-${v.day}T${v.hour}:${v.minute}:${v.second}${offset}`,
  }
}

export const iso = (at: Date | string | null | undefined): string | null => (at == null ? null : new Date(at).toISOString())
