import { listShares } from './markdown.js'
import { baselineLines, memoryLines } from './sections.js'
import type { BenchReport, DrillResult } from './types.js'

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
const pct = (r: number | null) => (r === null ? '-' : `${(r * 100).toFixed(1)}%`)
const ms = (n: number) => (n >= 100 ? fmt(n) : n.toFixed(n >= 10 ? 1 : 2))

export function routeTable(report: BenchReport): string {
  const head = ['route', 'responses', 'req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'errors', 'hit', 'q/req']
  const rows = report.routes.map((r) => [
    r.route,
    fmt(r.responses),
    fmt(r.rps, 1),
    ms(r.p50),
    ms(r.p90),
    ms(r.p99),
    ms(r.max),
    fmt(r.errors),
    pct(r.hit_ratio),
    r.queries_per_request.toFixed(2),
  ])
  rows.push(['all routes', fmt(report.responses), fmt(report.requests_per_s, 1), '', '', '', '', fmt(report.errors), pct(report.hit_ratio), report.queries_per_request.toFixed(2)])
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(0, -1).map(line), widths.map((w) => '-'.repeat(w)).join('  '), line(rows.at(-1)!)].join('\n')
}

/** Server-Timing database work per traffic class. */
export function classTable(report: BenchReport): string {
  const head = ['class', 'responses', 'db ms', 'db ms/req', 'statements', 'stmts/req', 'db share']
  const rows = report.db_by_class.map((c) => [c.name, fmt(c.responses), fmt(c.db_ms, 1), c.db_ms_per_request.toFixed(3), fmt(c.statements), c.statements_per_request.toFixed(3), pct(c.db_share)])
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n')
}

export function drillLine(d: DrillResult): string {
  const verdict = d.pass === null ? 'NOT RUN' : d.pass ? 'PASS' : 'FAIL'
  const figures = Object.entries(d.figures)
    .map(([k, v]) => `${k}=${typeof v === 'number' ? fmt(v, Number.isInteger(v) ? 0 : 1) : v}`)
    .join(', ')
  return `${verdict.padEnd(7)} ${d.name}: ${d.pass === null ? d.reason : d.summary}${figures ? `\n          ${figures}` : ''}${d.checks
    .filter((c) => !c.pass)
    .map((c) => `\n          failed: ${c.name} (${c.detail})`)
    .join('')}`
}

/** The whole report as text for the terminal. */
export function printable(report: BenchReport): string {
  const c = report.consistency
  const lines = [
    '',
    `Deadline day — ${report.options.scale} scale (${fmt(report.database.clubs)} clubs, ${fmt(report.database.users)} users, ${fmt(report.database.submissions)} submissions), ${report.duration_s.toFixed(1)} s, ${report.options.instances} instance(s)`,
    '',
    routeTable(report),
    '',
    `cache hit ratio       ${pct(report.hit_ratio)} of ${fmt(report.cache.with_cache_status)} cached-route responses (Cache-Status)`,
    `directory list        ${listShares(report)}`,
    report.statements.available
      ? `statements            ${fmt(report.statements.total_ms, 1)} ms of database time (pg_stat_statements, ${fmt(report.statements.calls)} calls); directory statements: ${pct(report.statements.directory.share)} of database time`
      : `statements            per-statement database time not available: ${report.statements.reason}`,
    ...(report.statements.available
      ? report.statements.top.slice(0, 5).map((t, k) => `  ${k + 1}. ${pct(t.share).padStart(6)} ${fmt(t.total_ms, 1).padStart(10)} ms ${fmt(t.calls).padStart(8)} calls  ${t.query.slice(0, 110)}`)
      : []),
    `database              ${fmt(report.db_queries_per_s, 1)} queries/s (Server-Timing) for ${fmt(report.requests_per_s, 1)} requests/s = ${report.queries_per_request.toFixed(3)} per request; pg_stat_database ${fmt(report.pg_stat.xact_per_s, 1)} transactions/s`,
    `submissions           acknowledged ${report.submissions.acknowledged}, found ${report.submissions.found}${report.submissions.route_available ? '' : ' (no submit route on this server)'}`,
    ...Object.entries(report.writes)
      .filter(([k]) => k !== 'submission')
      .map(([k, v]) => `${`${k}s`.padEnd(22)}acknowledged ${v.acknowledged}, found ${v.found}`),
    ...Object.entries(report.anomalies).map(([k, v]) => `ANOMALY               ${k}: ${v}`),
    `stale reads           ${report.stale_reads} after acknowledgement (${fmt(c.reads_checked)} of ${fmt(c.reads)} probe reads checked against ${fmt(c.writes_acknowledged)} acknowledged writes, writer: ${c.writer})`,
    `server                CPU ${fmt(report.server.cpu_avg_pct, 1)}% of one core (sum of instances); machine ${fmt(report.machine.busy_avg_pct, 1)}% busy of ${report.machine.cores} cores (load ${report.machine.loadavg_1m_at_start} at start)`,
    ...memoryLines(report.memory),
    `load generator        CPU ${fmt(report.load_generator.cpu_avg_pct, 1)}% of one core on average (max ${fmt(report.load_generator.cpu_max_pct, 1)}%)`,
    ...baselineLines(report.baseline),
  ]
  lines.push('', classTable(report))
  if (report.drills.length) lines.push('', 'Fault drills', ...report.drills.map((d) => `  ${drillLine(d)}`))
  if (report.notes.length) lines.push('', ...report.notes.map((n) => `note: ${n}`))
  return lines.join('\n')
}
