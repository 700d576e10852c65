import { useQuery } from '@tanstack/react-query'
import { useEffect, useState } from 'react'
import * as api from '../api/index.js'
import type { OpsSummary } from '../api/types.js'
import { ErrorMessage, Loading } from '../ui/status.js'

const POLL_MS = 5000
const KEEP = 120
const COLORS = ['#0b5cad', '#b3261e', '#1d6b3a', '#8a5300', '#6a1b9a', '#00838f']

interface Series {
  label: string
  values: (number | null)[]
}

const fmt = (v: number | null | undefined) => (v === undefined || v === null ? '—' : v >= 100 ? v.toFixed(0) : v.toFixed(v >= 10 ? 1 : 2))

/** A small SVG line chart; its accessible name carries the latest values. */
export function LineChart({ title, series, unit = '' }: { title: string; series: Series[]; unit?: string }) {
  const w = 320
  const h = 120
  const n = Math.max(2, ...series.map((s) => s.values.length))
  const max = Math.max(1e-9, ...series.flatMap((s) => s.values.map((v) => v ?? 0)))
  const points = (vals: (number | null)[]) =>
    vals.map((v, i) => `${((i + n - vals.length) / (n - 1)) * w},${h - ((v ?? 0) / max) * (h - 8) - 4}`).join(' ')
  const last = (s: Series) => s.values[s.values.length - 1]
  return (
    <figure className="chart">
      <figcaption>
        <strong>{title}</strong> <span className="muted">(max {fmt(max)}{unit})</span>
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

/** Differences of a cumulative counter between consecutive samples. */
export const perInterval = (samples: OpsSummary[], pick: (s: OpsSummary) => number) =>
  samples.map((s, i) => (i === 0 ? 0 : Math.max(0, pick(s) - pick(samples[i - 1]!))))

/** Average queries per request over every route, weighted by traffic. */
export const queriesPerRequest = (s: OpsSummary) => {
  const n = s.routes.reduce((a, r) => a + r.count, 0)
  return n ? s.routes.reduce((a, r) => a + r.queries_avg * r.count, 0) / n : 0
}

export default function OpsPage() {
  const [samples, setSamples] = useState<OpsSummary[]>([])
  const [paused, setPaused] = useState(false)
  // Live: every answer becomes a sample of the charts' history (this instance's last minute).
  const { data, error } = useQuery({
    queryKey: ['private', 'admin', 'ops'],
    queryFn: () => api.opsSummary(),
    refetchInterval: paused ? false : POLL_MS,
    refetchIntervalInBackground: true,
    gcTime: 0,
  })
  useEffect(() => {
    if (data) setSamples((prev) => [...prev.slice(-KEEP + 1), data])
  }, [data])
  useEffect(() => {
    document.title = 'Operations — Quad'
  }, [])

  const latest = samples[samples.length - 1]
  const topRoutes = latest ? latest.routes.slice(0, 5).map((r) => r.route) : []
  const pool = (s: OpsSummary) => s.pools.find((p) => p.name === 'web') ?? s.pools[0]
  return (
    <div>
      <h1>Operations</h1>
      <div className="button-row">
        <button type="button" aria-pressed={paused} onClick={() => setPaused(!paused)}>
          {paused ? 'Resume live updates' : 'Pause live updates'}
        </button>
        <span className="muted">
          Every {POLL_MS / 1000} s
          {latest && ` · ${latest.instance.database}, ${latest.instance.cache} cache · up ${Math.round(latest.uptime_s / 60)} min · window ${latest.window_s} s`}
        </span>
      </div>
      {error && <ErrorMessage error={error} />}
      {!latest && !error && <Loading label="Loading metrics…" />}
      {latest && (
        <>
          <div className="charts">
            <LineChart title="p95 latency by route" unit=" ms" series={topRoutes.map((r) => ({ label: r, values: samples.map((s) => s.routes.find((x) => x.route === r)?.p95_ms ?? null) }))} />
            <LineChart title="Cache hit ratio" unit=" %" series={[{ label: 'hits', values: samples.map((s) => (s.cache.hit_ratio === null ? null : s.cache.hit_ratio * 100)) }]} />
            <LineChart title="Queries per request" series={[{ label: 'average', values: samples.map(queriesPerRequest) }]} />
            <LineChart
              title="Database pool (web)"
              series={[
                { label: 'in use', values: samples.map((s) => pool(s)?.in_use ?? 0) },
                { label: 'waiting', values: samples.map((s) => pool(s)?.waiting ?? 0) },
                { label: 'max', values: samples.map((s) => pool(s)?.max ?? 0) },
              ]}
            />
            <LineChart
              title="Shed requests (last window) and watchdog cancels (per interval)"
              series={[
                { label: 'shed', values: samples.map((s) => s.requests.shed) },
                { label: 'watchdog cancels', values: perInterval(samples, (s) => s.watchdog.cancels + s.watchdog.terminations) },
              ]}
            />
            <LineChart
              title="Requests"
              unit="/s"
              series={[
                { label: 'all', values: samples.map((s) => s.requests.rate_per_s) },
                { label: '5xx', values: samples.map((s) => s.requests.by_status['5xx'] / Math.max(1, s.window_s)) },
              ]}
            />
          </div>
          <h2>Routes (last {latest.window_s} s)</h2>
          <div className="table-wrap">
            <table>
              <caption className="visually-hidden">Per-route latency, queries and cache</caption>
              <thead>
                <tr>
                  <th scope="col">Route</th>
                  <th scope="col">Requests/s</th>
                  <th scope="col">p50 ms</th>
                  <th scope="col">p95 ms</th>
                  <th scope="col">p99 ms</th>
                  <th scope="col">Queries</th>
                  <th scope="col">Cache hits</th>
                  <th scope="col">5xx</th>
                  <th scope="col">Shed</th>
                </tr>
              </thead>
              <tbody>
                {latest.routes.map((r) => (
                  <tr key={r.route}>
                    <th scope="row">
                      <code>{r.route}</code>
                    </th>
                    <td>{fmt(r.rate_per_s)}</td>
                    <td>{fmt(r.p50_ms)}</td>
                    <td>{fmt(r.p95_ms)}</td>
                    <td>{fmt(r.p99_ms)}</td>
                    <td>{fmt(r.queries_avg)}</td>
                    <td>{r.cache.hit_ratio === null ? '—' : `${Math.round(r.cache.hit_ratio * 100)} %`}</td>
                    <td>{r.errors}</td>
                    <td>{r.shed}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h2>Watchdog</h2>
          <p>
            {latest.watchdog.enabled ? `Running every ${latest.watchdog.interval_ms} ms${latest.watchdog.leader ? ' (leader)' : ''}` : 'Disabled'} · {latest.watchdog.cancels} cancelled,{' '}
            {latest.watchdog.terminations} terminated · event-loop lag p99 {fmt(latest.process.event_loop_lag_p99_ms)} ms · invalidation lag {latest.cache.invalidation_lag_ms} ms
          </p>
          {latest.watchdog.recent.length > 0 && (
            <ul className="plain">
              {latest.watchdog.recent.map((r, i) => (
                <li key={i}>
                  {new Date(r.at).toLocaleTimeString()} {r.action} {r.class} after {r.ms} ms: <code>{r.fingerprint}</code>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </div>
  )
}
