import { baselineMarkdown, memoryMarkdown } from './sections.js'
import type { BenchReport } from './types.js'

const n = (v: number, d = 0) => v.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d })
const pct = (r: number | null) => (r === null ? '–' : `${(r * 100).toFixed(1)} %`)
export { pct }

export function markdown(r: BenchReport): string {
  const c = r.consistency
  const out = [
    `# Quad deadline-day benchmark — ${r.options.scale} scale`,
    '',
    `${r.started_at} · ${r.duration_s.toFixed(1)} s of load · ${r.options.instances} Quad instance(s) · ${r.database.clubs} clubs, ${r.database.users} users, ${r.database.submissions} submissions · Node ${r.machine.node} · ${r.machine.cores} cores, ${r.machine.busy_avg_pct} % busy during the run (load ${r.machine.loadavg_1m_at_start} at start; the machine is shared, figures move with it)`,
    '',
    '![latency per route](latency.svg)',
    '',
    '![timeline](timeline.svg)',
    '',
    '## Routes',
    '',
    '| route | responses | req/s | p50 ms | p90 ms | p99 ms | max ms | errors | hit ratio | queries/req |',
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
    ...r.routes.map((x) => `| \`${x.route}\` | ${n(x.responses)} | ${n(x.rps, 1)} | ${x.p50} | ${x.p90} | ${x.p99} | ${x.max} | ${x.errors} | ${pct(x.hit_ratio)} | ${x.queries_per_request.toFixed(2)} |`),
    `| **all** | **${n(r.responses)}** | **${n(r.requests_per_s, 1)}** | | | | | **${r.errors}** | **${pct(r.hit_ratio)}** | **${r.queries_per_request.toFixed(3)}** |`,
    '',
    '## Summary',
    '',
    `- **Cache hit ratio** ${pct(r.hit_ratio)} of ${n(r.cache.with_cache_status)} responses of cached routes, from their \`Cache-Status\` headers (${Object.entries(r.cache)
      .filter(([k]) => k !== 'with_cache_status')
      .map(([k, v]) => `${k} ${n(v as number)}`)
      .join(', ')}).`,
    `- **Directory list** (\`${r.list.route}\`, ${n(r.list.answered)} answered): ${listShares(r)}.`,
    `- **Directory statements: ${r.statements.available ? `${pct(r.statements.directory.share)} of database time**` : '–**'} ${r.statements.available ? `(${n(r.statements.directory.total_ms, 1)} of ${n(r.statements.total_ms, 1)} ms of statement execution, ${n(r.statements.directory.calls)} calls; the model's rows and lookups)` : `(pg_stat_statements not available: ${r.statements.reason})`}.`,
    `- **Database** ${n(r.db_queries_per_s, 1)} queries/s for ${n(r.requests_per_s, 1)} requests/s (${r.queries_per_request.toFixed(3)} per request); source: ${r.db_queries_source}. pg_stat_database: ${n(r.pg_stat.xact_per_s, 1)} transactions/s, ${n(r.pg_stat.tup_returned_per_s)} rows returned/s, ${n(r.pg_stat.tup_written_per_s, 1)} rows written/s.`,
    `- **Submissions** acknowledged ${r.submissions.acknowledged}, found in the database afterwards ${r.submissions.found}${r.submissions.route_available ? '' : ' (the server has no submit route yet)'}.`,
    ...Object.entries(r.writes)
      .filter(([k]) => k !== 'submission')
      .map(([k, v]) => `- **${k} writes** acknowledged ${v.acknowledged}, found ${v.found}.`),
    ...Object.entries(r.anomalies).map(([k, v]) => `- **Anomaly**: ${k} (${v} times).`),
    `- **Stale reads after acknowledgement: ${r.stale_reads}** — ${n(c.reads_checked)} of ${n(c.reads)} probe reads were sent after an acknowledged write of their club (${n(c.writes_acknowledged)} writes, writer: ${c.writer}).`,
    `- **Load generator** (autocannon, its own process) CPU ${r.load_generator.cpu_avg_pct} % of one core on average, ${r.load_generator.cpu_max_pct} % max.`,
    `- **Server** CPU ${r.server.cpu_avg_pct} % of one core on average (sum over instances; ${r.server.processes.map((p) => `pid ${p.pid}: ${p.cpu_avg_pct} % avg, ${p.cpu_max_pct} % max`).join('; ')}).`,
    '',
    '## Memory per instance',
    '',
    ...memoryMarkdown(r.memory),
    '## Database work per traffic class',
    '',
    `Source: ${r.db_by_class_source}.`,
    '',
    '| class | responses | db ms | db ms/req | statements | statements/req | responses with SQL | share of db ms |',
    '|---|--:|--:|--:|--:|--:|--:|--:|',
    ...r.db_by_class.map((c) => `| ${c.name} | ${n(c.responses)} | ${n(c.db_ms, 1)} | ${c.db_ms_per_request.toFixed(3)} | ${n(c.statements)} | ${c.statements_per_request.toFixed(3)} | ${n(c.with_statements)} | ${pct(c.db_share)} |`),
    `| **all** | **${n(r.db_by_class.reduce((a, c) => a + c.responses, 0))}** | **${n(r.db_by_class.reduce((a, c) => a + c.db_ms, 0), 1)}** | | **${n(r.db_by_class.reduce((a, c) => a + c.statements, 0))}** | | | |`,
    '',
    '## Statements',
    '',
    ...statementsSection(r),
    '## Baseline',
    '',
    ...baselineMarkdown(r.baseline),
    '## Fault drills',
    '',
    ...(r.drills.length ? r.drills.flatMap(drillSection) : ['None requested.']),
    '## Traffic mix',
    '',
    '| class | connections | rate | ran |',
    '|---|--:|--:|---|',
    ...r.classes.map((x) => `| ${x.name} | ${x.connections} | ${x.rate ? `${x.rate}/s` : 'closed loop'} | ${x.run ? 'yes' : `no — ${x.reason}`} |`),
    '',
    ...(r.notes.length ? ['## Notes', '', ...r.notes.map((x) => `- ${x}`), ''] : []),
  ]
  return out.join('\n')
}

export function listShares(r: BenchReport): string {
  const l = r.list
  return `${pct(l.stored.share)} from stored bytes (${n(l.stored.count)}), ${pct(l.computed.share)} computed from the model without SQL (${n(l.computed.count)}), ${pct(l.sql.share)} needing SQL (${n(l.sql.count)})${l.unanswered ? `; ${n(l.unanswered)} not answered` : ''}`
}

const cell = (q: string) => q.replace(/\|/g, '\\|').replace(/`/g, "'")

function statementsSection(r: BenchReport): string[] {
  const s = r.statements
  if (!s.available) return [`Per-statement database time not available: ${s.reason}.`, '']
  return [
    `pg_stat_statements over ${s.window_s.toFixed(1)} s of scenario: **${n(s.total_ms, 1)} ms** of statement execution (${n(s.total_ms / Math.max(s.window_s, 1e-3), 1)} ms per second) in ${n(s.calls)} calls of ${n(s.statements)} distinct statements. **Directory statements: ${pct(s.directory.share)} of database time** (${n(s.directory.total_ms, 1)} ms, ${n(s.directory.calls)} calls of ${s.directory.statements} statement${s.directory.statements === 1 ? '' : 's'}).`,
    '',
    '| # | total ms | share | calls | mean ms | rows | directory | statement |',
    '|--:|--:|--:|--:|--:|--:|---|---|',
    ...s.top.map((t, k) => `| ${k + 1} | ${n(t.total_ms, 1)} | ${pct(t.share)} | ${n(t.calls)} | ${t.mean_ms.toFixed(3)} | ${n(t.rows)} | ${t.directory ? 'yes' : ''} | \`${cell(t.query)}\` |`),
    '',
    `Source: ${s.source}. Directory statements are recognized by their text (${cell(s.directory.matched_by)}).`,
    '',
  ]
}

function drillSection(d: BenchReport['drills'][number]): string[] {
  const verdict = d.pass === null ? 'NOT RUN' : d.pass ? 'PASS' : 'FAIL'
  return [
    `### ${verdict} — ${d.name}`,
    '',
    d.pass === null ? `${d.reason}` : d.summary,
    '',
    ...(Object.keys(d.figures).length ? ['| figure | value |', '|---|--:|', ...Object.entries(d.figures).map(([k, v]) => `| ${k} | ${v} |`), ''] : []),
    ...(d.checks.length ? ['| check | result | detail |', '|---|---|---|', ...d.checks.map((c) => `| ${c.name} | ${c.pass ? 'pass' : '**fail**'} | ${c.detail} |`), ''] : []),
  ]
}
