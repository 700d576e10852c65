import { useEffect, useRef, useState } from 'react'
import * as api from '../api/index.js'
import type { MetricsSample } from '../api/types.js'
import { ErrorMessage, Loading } from '../ui/status.js'

const POLL_MS = 5000
const KEEP = 120
const COLORS = ['#0b5cad', '#b3261e', '#1d6b3a', '#8a5300', '#6a1b9a', '#00838f']

interface Series {
  label: string
  values: number[]
}

/** A small SVG line chart with a text table fallback for screen readers. */
export function LineChart({ title, series, unit = '' }: { title: string; series: Series[]; unit?: string }) {
  const w = 320
  const h = 120
  const n = Math.max(2, ...series.map((s) => s.values.length))
  const max = Math.max(1e-9, ...series.flatMap((s) => s.values))
  const points = (vals: number[]) => vals.map((v, i) => `${((i + n - vals.length) / (n - 1)) * w},${h - (v / max) * (h - 8) - 4}`).join(' ')
  const last = (s: Series) => s.values[s.values.length - 1]
  return (
    <figure className="chart">
      <figcaption>
        <strong>{title}</strong>
      </figcaption>
      <svg viewBox={`0 0 ${w} ${h}`} preserveAspectRatio="none" role="img" aria-label={`${title}: ${series.map((s) => `${s.label} ${fmt(last(s))}${unit}`).join(', ')}`}>
        <line x1="0" y1={h - 4} x2={w} y2={h - 4} stroke="#d5dae0" />
        {series.map((s, i) => (
          <polyline key={s.label} fill="none" stroke={COLORS[i % COLORS.length]} strokeWidth="2" vectorEffect="non-scaling-stroke" points={points(s.values)} />
        ))}
      </svg>
      <ul className="legend">
        {series.map((s, i) => (
          <li key={s.label}>
            <span style={{ background: COLORS[i % COLORS.length] }} />
            {s.label}: {fmt(last(s))}
            {unit}
          </li>
        ))}
      </ul>
    </figure>
  )
}

const fmt = (v: number | undefined) => (v === undefined ? '—' : v >= 100 ? v.toFixed(0) : v.toFixed(v >= 10 ? 1 : 2))

/** Differences between consecutive cumulative counters (per poll interval). */
const rate = (samples: MetricsSample[], pick: (s: MetricsSample) => number) =>
  samples.slice(1).map((s, i) => Math.max(0, pick(s) - pick(samples[i]!)))

export default function OpsPage() {
  const [samples, setSamples] = useState<MetricsSample[]>([])
  const [error, setError] = useState<Error | null>(null)
  const [paused, setPaused] = useState(false)
  const timer = useRef<number>(undefined)
  useEffect(() => {
    document.title = 'Operations — Quad'
  }, [])
  useEffect(() => {
    if (paused) return
    let live = true
    const tick = async () => {
      try {
        const s = await api.metricsSummary()
        if (!live) return
        setSamples((prev) => [...prev.slice(-KEEP + 1), s])
        setError(null)
      } catch (e) {
        if (live) setError(e as Error)
      }
      if (live) timer.current = window.setTimeout(tick, POLL_MS)
    }
    void tick()
    return () => {
      live = false
      window.clearTimeout(timer.current)
    }
  }, [paused])

  const latest = samples[samples.length - 1]
  const topRoutes = latest ? [...latest.routes].sort((a, b) => b.count - a.count).slice(0, 5).map((r) => r.route) : []
  const hitRatio = samples.map((s) => {
    const total = s.cache.hits + s.cache.misses + s.cache.stale
    return total ? (100 * (s.cache.hits + s.cache.stale)) / total : 0
  })
  return (
    <div>
      <h1>Operations</h1>
      <div className="button-row">
        <button type="button" aria-pressed={paused} onClick={() => setPaused(!paused)}>
          {paused ? 'Resume live updates' : 'Pause live updates'}
        </button>
        <span className="muted">Updates every {POLL_MS / 1000} s{latest && ` · last ${new Date(latest.at).toLocaleTimeString()}`}</span>
      </div>
      {error && <ErrorMessage error={error} what="The metrics summary" />}
      {!latest && !error && <Loading label="Loading metrics…" />}
      {latest && (
        <div className="charts">
          <LineChart
            title="p95 latency by route"
            unit=" ms"
            series={topRoutes.map((r) => ({ label: r, values: samples.map((s) => s.routes.find((x) => x.route === r)?.p95_ms ?? 0) }))}
          />
          <LineChart title="Cache hit ratio" unit=" %" series={[{ label: 'hits incl. stale', values: hitRatio }]} />
          <LineChart title="Queries per request" series={[{ label: 'average', values: samples.map((s) => s.queries_per_request) }]} />
          <LineChart
            title="Database pool"
            series={[
              { label: 'in use', values: samples.map((s) => s.pool.in_use) },
              { label: 'waiting', values: samples.map((s) => s.pool.waiting) },
              { label: 'max', values: samples.map((s) => s.pool.max) },
            ]}
          />
          <LineChart
            title="Shed requests and watchdog cancels (per interval)"
            series={[
              { label: 'shed', values: rate(samples, (s) => s.shed) },
              { label: 'watchdog cancels', values: rate(samples, (s) => s.watchdog_cancels) },
            ]}
          />
        </div>
      )}
    </div>
  )
}
