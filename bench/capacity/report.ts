import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { memoryLines, memoryMarkdown } from '../report/sections.js'
import type { CapacityReport, StepRecord } from './types.js'

const n = (v: number, d = 0) => v.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d })
const errors = (s: StepRecord) => s.result.shed + s.result.server_errors + s.result.connection_errors + s.result.timeouts

function headline(r: CapacityReport): string {
  const bound = r.limited_by === 'server' ? '' : r.limited_by === 'generator' ? ' (a lower bound: the generator fell behind first)' : ' (a lower bound: every rate up to --capacity-max-rate passed)'
  return `capacity_rps ${n(r.capacity_rps)}${bound}; lowest failing rate ${r.first_failing_rps === null ? '–' : n(r.first_failing_rps)}`
}

function overloadSentence(r: CapacityReport): string {
  const o = r.overload
  if (!o) return 'No step at 3x capacity (no capacity found).'
  return `At 3x capacity (${n(o.rate)} req/s offered): admitted (non-503) p99 **${o.admitted_p99_ms} ms**${o.admitted_p99_read_ms === null ? '' : ` (reads ${o.admitted_p99_read_ms} ms)`}, goodput **${n(o.goodput_rps, 1)} req/s = ${(o.goodput_fraction * 100).toFixed(1)} % of capacity**, ${n(o.shed)} shed (${(o.shed_share * 100).toFixed(1)} % of requests), ${o.other_errors} other errors; the generator ${o.generator_kept_up ? 'kept up' : '**fell behind** (the figures are of a lower offered rate)'} (lag p99 ${o.step.result.lag_ms.p99} ms, CPU ${o.step.result.generator.cpu_pct} %).`
}

export function capacityMarkdown(r: CapacityReport): string {
  const c = r.criteria
  const row = (s: StepRecord) => {
    const x = s.result
    return `| ${n(x.rate)} | ${s.verdict.phase} | ${s.verdict.pass ? 'pass' : '**fail**'} | ${n(x.achieved_rps, 1)} | ${x.read.p50} / ${x.read.p99} | ${x.write.p50} / ${x.write.p99} | ${errors(s)} (${x.shed} shed) | ${x.unexpected} | ${x.lag_ms.p99} / ${x.lag_ms.max} | ${x.generator.cpu_pct} % | ${s.server_cpu_pct.map((v) => `${v} %`).join(' / ')} | ${s.machine_busy_pct} % | ${s.verdict.failures.map((f) => f.detail).join('; ')} |`
  }
  return [
    `# Quad capacity — ${r.options.scale} scale, ${r.options.instances} instance(s)`,
    '',
    `${r.started_at} · ${n(r.database.clubs)} clubs, ${n(r.database.users)} users · Node ${r.machine.node} · ${r.machine.cores} cores, ${r.machine.busy_avg_pct} % busy during the search (load ${r.machine.loadavg_1m_at_start} at start; the machine is shared, figures move with it)`,
    '',
    `**${headline(r).replace(/^capacity_rps ([\d,]+)/, 'capacity_rps $1**')}.`,
    '',
    overloadSentence(r),
    '',
    `A step passes when, for the requests due in its ${r.options.step_duration_s} s window (after ${r.options.step_warmup_s} s at the same rate), read (GET) p99 ≤ ${c.readP99Ms} ms and write p99 ≤ ${c.writeP99Ms} ms measured from when each request was due, no errors (5xx including a 503 shed, connection errors, timeouts of ${r.options.request_timeout_ms} ms), the responses that arrived in the window are within ${c.rateTolerance * 100} % of the offered rate, and the generator's lag p99 ≤ ${c.maxLagP99Ms} ms. Rates start at ${r.options.start}/s, ×${r.options.factor} until a step fails, then ${r.options.refine} bisection step(s). Open loop: requests are sent on schedule whatever the answers, over at most ${r.options.connections_per_instance} connections per instance.`,
    '',
    '| offered req/s | phase | verdict | achieved req/s | read p50 / p99 ms | write p50 / p99 ms | errors | unexpected 4xx | lag p99 / max ms | generator CPU | server CPU | machine busy | missed |',
    '|--:|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|',
    ...r.steps.map(row),
    ...(r.overload ? [row(r.overload.step).replace(/^\| ([\d,]+) \| ramp \|/, '| $1 | 3x capacity |')] : []),
    '',
    `Generator (its own process, pid ${r.generator.pid}, nice ${r.generator.nice}): at most ${r.generator.cpu_max_pct} % of one core, lag p99 at most ${r.generator.lag_p99_max_ms} ms.`,
    '',
    '## Mix',
    '',
    `Shares of the offered requests (${r.options.mix_file}, over the classes this server and data set can run):`,
    '',
    '| class | share |',
    '|---|--:|',
    ...Object.entries(r.options.shares).map(([k, v]) => `| ${k} | ${(v * 100).toFixed(1)} % |`),
    '',
    '## Memory per instance',
    '',
    ...memoryMarkdown(r.memory),
    '## Consistency and durability',
    '',
    `- Stale reads after acknowledgement: ${r.consistency.stale_reads} (${n(r.consistency.reads_checked)} of ${n(r.consistency.reads)} probe reads checked, ${n(r.consistency.writes_acknowledged)} acknowledged probe writes).`,
    ...Object.entries(r.writes).map(([k, v]) => `- ${k} writes: acknowledged ${v.acknowledged}, found ${v.found}.`),
    ...Object.entries(r.anomalies).map(([k, v]) => `- Anomaly: ${k} (${v} times).`),
    '',
    ...(r.notes.length ? ['## Notes', '', ...r.notes.map((x) => `- ${x}`), ''] : []),
  ].join('\n')
}

export function capacityText(r: CapacityReport): string {
  const line = (s: StepRecord, label: string = s.verdict.phase) => {
    const x = s.result
    return `${n(x.rate).padStart(7)}  ${label.padEnd(11)} ${(s.verdict.pass ? 'pass' : 'FAIL').padEnd(5)} ${n(x.achieved_rps, 1).padStart(9)}  ${`${x.read.p99}`.padStart(8)}  ${`${x.write.p99}`.padStart(8)}  ${String(errors(s)).padStart(6)}  ${`${x.lag_ms.p99}`.padStart(7)}  ${`${x.generator.cpu_pct}%`.padStart(6)}  ${s.server_cpu_pct.map((v) => `${v}%`).join('/')}`
  }
  return [
    '',
    `Capacity — ${r.options.scale} scale, ${r.options.instances} instance(s), deadline mix (open loop), steps of ${r.options.step_duration_s} s after ${r.options.step_warmup_s} s`,
    '',
    '   rate  phase       verdict achieved  read p99  writ p99  errors  lag p99  gen CPU  server CPU',
    ...r.steps.map((s) => line(s)),
    ...(r.overload ? [line(r.overload.step, '3x cap')] : []),
    '',
    headline(r),
    overloadSentence(r).replace(/\*\*/g, ''),
    `generator             nice ${r.generator.nice}, at most ${r.generator.cpu_max_pct}% of one core, lag p99 at most ${r.generator.lag_p99_max_ms} ms; machine ${r.machine.busy_avg_pct}% busy of ${r.machine.cores} cores`,
    ...memoryLines(r.memory),
    `stale reads           ${r.consistency.stale_reads} (${n(r.consistency.reads_checked)} probe reads checked)`,
    ...Object.entries(r.writes).map(([k, v]) => `${`${k}s`.padEnd(22)}acknowledged ${v.acknowledged}, found ${v.found}`),
    ...r.steps.filter((s) => !s.verdict.pass).map((s) => `failed at ${n(s.result.rate)}/s: ${s.verdict.failures.map((f) => f.detail).join('; ')}${s.result.error_examples.length ? ` (e.g. ${s.result.error_examples.slice(0, 3).join(', ')})` : ''}`),
    ...r.notes.map((x) => `note: ${x}`),
  ].join('\n')
}

export function writeCapacityReport(dir: string, r: CapacityReport): string[] {
  const files = { 'capacity.json': `${JSON.stringify(r, null, 2)}\n`, 'capacity.md': capacityMarkdown(r) }
  for (const [name, body] of Object.entries(files)) writeFileSync(path.join(dir, name), body)
  return Object.keys(files).map((f) => path.join(dir, f))
}
