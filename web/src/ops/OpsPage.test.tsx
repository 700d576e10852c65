import { screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import type { OpsSummary } from '../api/types.js'
import { admin, mockApi, renderApp } from '../test-utils.js'
import { perInterval, queriesPerRequest } from './OpsPage.js'

const summary = (cancels: number): OpsSummary => ({
  at: new Date().toISOString(),
  uptime_s: 600,
  window_s: 60,
  instance: { pid: 1, env: 'production', database: 'postgres', cache: 'redis' },
  requests: { count: 600, rate_per_s: 10, by_status: { '2xx': 590, '3xx': 0, '4xx': 8, '5xx': 2 }, shed: 3, slow: 0, p50_ms: 2, p95_ms: 12, p99_ms: 40, max_ms: 90 },
  routes: [
    { route: 'GET /api/clubs', count: 500, rate_per_s: 8.3, errors: 0, shed: 0, queries_avg: 0.1, p50_ms: 1, p95_ms: 4, p99_ms: 9, max_ms: 20, cache: { hits: 490, misses: 10, stale: 0, fills: 10, hit_ratio: 0.98 } },
    { route: 'POST /api/applications/:id/submit', count: 100, rate_per_s: 1.7, errors: 2, shed: 3, queries_avg: 3, p50_ms: 8, p95_ms: 30, p99_ms: 60, max_ms: 90, cache: { hits: 0, misses: 0, stale: 0, fills: 0, hit_ratio: null } },
  ],
  pools: [{ name: 'web', max: 10, in_use: 4, waiting: 1, queue_max: 200, wait_deadline_ms: 2000, peak_in_use: 10, shed_total: 3, wait_p99_ms: 5 }],
  cache: { hit_ratio: 0.98, invalidation_lag_ms: 12, redis_failures: 0, l1_entries: 50, l1_bytes: 100000 },
  watchdog: { enabled: true, leader: true, interval_ms: 5000, last_run_at: null, last_error: null, cancels, terminations: 0, recent: [] },
  process: { rss_bytes: 1e8, heap_used_bytes: 5e7, event_loop_lag_p99_ms: 3, event_loop_lag_max_ms: 9 },
})

describe('ops dashboard', () => {
  it('charts the server summary with the latest values in each chart’s accessible name', async () => {
    mockApi({ 'GET /api/me': [200, admin], 'GET /api/admin/ops': [200, summary(2)] })
    renderApp('/ops')
    expect(await screen.findByRole('img', { name: /Cache hit ratio: hits 98\.0 %/ })).toBeTruthy()
    expect(screen.getByRole('img', { name: /Database pool \(web\): in use 4.*waiting 1.*max 10/ })).toBeTruthy()
    expect(screen.getByRole('img', { name: /p95 latency by route: GET \/api\/clubs 4\.00 ms/ })).toBeTruthy()
    expect(screen.getByRole('rowheader', { name: 'POST /api/applications/:id/submit' })).toBeTruthy()
  })

  it('turns cumulative counters into per-interval values and weights queries by traffic', () => {
    expect(perInterval([summary(1), summary(4), summary(4)], (s) => s.watchdog.cancels)).toEqual([0, 3, 0])
    expect(queriesPerRequest(summary(0))).toBeCloseTo((500 * 0.1 + 100 * 3) / 600)
  })

  it('says so when the summary is refused', async () => {
    mockApi({ 'GET /api/me': [200, admin], 'GET /api/admin/ops': [403, { error: { code: 'FORBIDDEN', message: 'Administrators only' } }] })
    renderApp('/ops')
    expect((await screen.findByRole('alert')).textContent).toContain('You do not have access')
  })
})
