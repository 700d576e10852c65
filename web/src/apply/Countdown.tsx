import { useEffect, useState } from 'react'
import { formatDateTime, timeLeft } from '../ui/format.js'

/** The deadline in the viewer's local time (with the hour) and a live countdown. */
export function Countdown({ deadline, onPassed }: { deadline: string; onPassed?: () => void }) {
  const [now, setNow] = useState(() => Date.now())
  const end = Date.parse(deadline)
  const left = timeLeft(end, now)
  useEffect(() => {
    if (!left) {
      onPassed?.()
      return
    }
    // Tick every second in the last hour, every 15 s before (enough for "h min").
    const id = window.setInterval(() => setNow(Date.now()), end - now < 3_600_000 ? 1000 : 15_000)
    return () => window.clearInterval(id)
  }, [left === null, end - now < 3_600_000]) // eslint-disable-line react-hooks/exhaustive-deps
  return (
    <p className={`countdown${left && end - now < 3_600_000 ? ' urgent' : ''}`}>
      Deadline: <time dateTime={deadline}>{formatDateTime(deadline)}</time>
      <br />
      <span>{left ? `${left} left` : 'The deadline has passed.'}</span>
    </p>
  )
}
