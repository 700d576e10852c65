import type { BaselineReport } from '../baseline/compare.js'
import type { MemoryReport } from '../memory.js'

// The baseline comparison and per-instance memory, as Markdown and as terminal text; the scenario
// report and the capacity report both use them.

const n = (v: number, d = 0) => v.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d })
const opt = (v: number | null, d = 1) => (v === null ? '–' : n(v, d))
const ratio = (v: number | null) => (v === null ? '–' : v.toFixed(3))

export function baselineMarkdown(b: BaselineReport): string[] {
  if (!b.available) return [`Not measured: ${b.reason}.`, '']
  return [
    `wrk (${b.wrk_version ?? 'version unknown'}), ${b.threads} thread, ${b.connections} connections, ${b.duration_s} s per run, ${b.rounds} round(s) per cell alternating which server goes first. One Quad instance against a bare Node http server sending the bytes Quad sent (checked before timing: same status, encoding, length, ETag and bytes). Ratio = Quad req/s ÷ bare req/s.`,
    '',
    `**Ratios**: ${Object.entries(b.ratios).map(([k, v]) => `${k} ${v.toFixed(3)}`).join(' · ') || 'none'}; lowest ${ratio(b.min_ratio)}, geometric mean ${ratio(b.geomean_ratio)}. wrk used at most ${b.generator_cpu_max_pct} % of a core.`,
    '',
    '| cell | bytes | Quad req/s | bare req/s | ratio | per round | Quad p99 ms | bare p99 ms | errors Q/B | Quad CPU | bare CPU | wrk CPU Q/B |',
    '|---|--:|--:|--:|--:|---|--:|--:|--:|--:|--:|--:|',
    ...b.rows.map((r) =>
      r.verified && r.quad && r.bare
        ? `| ${r.id} | ${n(r.body_bytes)} | ${n(r.quad.rps, 1)} | ${n(r.bare.rps, 1)} | **${ratio(r.ratio_rps)}** | ${r.round_ratios.map((x) => x.toFixed(3)).join(', ')} | ${r.quad.p99} | ${r.bare.p99} | ${r.quad.errors}/${r.bare.errors} | ${r.quad.server_cpu_pct} % | ${r.bare.server_cpu_pct} % | ${r.quad.generator_cpu_pct} / ${r.bare.generator_cpu_pct} % |`
        : `| ${r.id} | ${n(r.body_bytes)} | – | – | – | not timed: ${r.reason ?? 'no runs'} | | | | | | |`,
    ),
    '',
  ]
}

export function baselineLines(b: BaselineReport): string[] {
  if (!b.available) return [`baseline              not measured: ${b.reason}`]
  return [
    `baseline (wrk)        Quad ÷ bare req/s per cell, ${b.connections} connections, ${b.duration_s} s × ${b.rounds} round(s); wrk CPU at most ${b.generator_cpu_max_pct}% of a core`,
    ...b.rows.map((r) =>
      r.verified && r.quad && r.bare
        ? `  ${r.id.padEnd(18)} ${ratio(r.ratio_rps).padStart(6)}  Quad ${n(r.quad.rps, 0).padStart(7)} req/s p99 ${String(r.quad.p99).padStart(7)} ms | bare ${n(r.bare.rps, 0).padStart(7)} req/s p99 ${String(r.bare.p99).padStart(7)} ms | ${n(r.body_bytes)} B | rounds ${r.round_ratios.map((x) => x.toFixed(3)).join(', ')}`
        : `  ${r.id.padEnd(18)} not timed: ${r.reason ?? 'no runs'}`,
    ),
    `  lowest ratio ${ratio(b.min_ratio)}, geometric mean ${ratio(b.geomean_ratio)}`,
  ]
}

const verdict = (m: MemoryReport) => (m.flat === null ? `not judged (under the minimum length)` : m.flat ? 'flat' : '**NOT FLAT**')

export function memoryMarkdown(m: MemoryReport): string[] {
  return [
    `RSS and heap of each instance (not summed), every ${m.interval_s} s and once after the load stopped. RSS slope over the last half of the run: ${verdict(m)} (limit ${m.max_rss_slope_mb_per_min} MB/min). Source: ${m.source}.`,
    '',
    '| instance | pid | samples | RSS start MB | RSS end MB | RSS max MB | heap used start / end / max MB | heap total end MB | external end / max MB | RSS slope MB/min | heap slope MB/min |',
    '|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
    ...m.instances.map(
      (i) =>
        `| ${i.index} | ${i.pid} | ${i.samples} | ${n(i.rss_mb.start, 1)} | ${n(i.rss_mb.end, 1)} | ${n(i.rss_mb.max, 1)} | ${i.heap_used_mb ? `${n(i.heap_used_mb.start, 1)} / ${n(i.heap_used_mb.end, 1)} / ${n(i.heap_used_mb.max, 1)}` : '–'} | ${opt(i.heap_total_mb_end)} | ${i.external_mb ? `${n(i.external_mb.end, 1)} / ${n(i.external_mb.max, 1)}` : '–'} | ${opt(i.rss_slope_mb_per_min, 2)} | ${opt(i.heap_used_slope_mb_per_min, 2)} |`,
    ),
    '',
  ]
}

export function memoryLines(m: MemoryReport): string[] {
  return [
    `memory                per instance, RSS slope over the last half: ${verdict(m).replace(/\*/g, '')} (limit ${m.max_rss_slope_mb_per_min} MB/min)`,
    ...m.instances.map(
      (i) =>
        `  instance ${i.index} (pid ${i.pid}): RSS ${n(i.rss_mb.start, 1)} → ${n(i.rss_mb.end, 1)} MB (max ${n(i.rss_mb.max, 1)}), heap used ${i.heap_used_mb ? `${n(i.heap_used_mb.start, 1)} → ${n(i.heap_used_mb.end, 1)} MB (max ${n(i.heap_used_mb.max, 1)}, total ${opt(i.heap_total_mb_end)})` : 'not available'}, external ${i.external_mb ? `${n(i.external_mb.end, 1)} MB` : '–'}, slope RSS ${opt(i.rss_slope_mb_per_min, 2)} / heap ${opt(i.heap_used_slope_mb_per_min, 2)} MB/min`,
    ),
  ]
}
