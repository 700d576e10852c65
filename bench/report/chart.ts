import type { BenchReport } from './types.js'

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
const FONT = 'font-family="system-ui, sans-serif" font-size="12"'
const COLORS = { p50: '#4e79a7', p90: '#f28e2b', p99: '#e15759', rps: '#4e79a7', cpu: '#59a14f', errors: '#e15759' }

/** Horizontal bars of p50/p90/p99 per route on a log scale, with the baseline comparison below. */
export function latencyChart(report: BenchReport): string {
  const rows = [
    ...report.routes.map((r) => ({ label: r.route, p50: r.p50, p90: r.p90, p99: r.p99 })),
    // The baseline's anonymous brotli cells (wrk, closed loop at its own connections).
    ...report.baseline.rows
      .filter((c) => c.encoding === 'br' && !c.session)
      .flatMap((c) => [
        ...(c.quad ? [{ label: `baseline ${c.page} (br): Quad`, p50: c.quad.p50, p90: c.quad.p90, p99: c.quad.p99 }] : []),
        ...(c.bare ? [{ label: `baseline ${c.page} (br): bare Node`, p50: c.bare.p50, p90: c.bare.p90, p99: c.bare.p99 }] : []),
      ]),
  ]
  const labelW = 350
  const plotW = 560
  const rowH = 34
  const top = 40
  const height = top + rows.length * rowH + 50
  const max = Math.max(1, ...rows.map((r) => r.p99))
  const minLog = -1 // 0.1 ms
  const maxLog = Math.ceil(Math.log10(max))
  const x = (v: number) => labelW + ((Math.log10(Math.max(v, 0.1)) - minLog) / (maxLog - minLog)) * plotW
  const out: string[] = []
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${labelW + plotW + 30}" height="${height}" ${FONT}>`)
  out.push(`<rect width="100%" height="100%" fill="white"/>`)
  out.push(`<text x="10" y="20" font-size="14" font-weight="bold">Latency per route (ms, log scale) — ${esc(report.options.scale)} scale</text>`)
  for (let e = minLog; e <= maxLog; e++) {
    const gx = x(10 ** e)
    out.push(`<line x1="${gx}" y1="${top - 5}" x2="${gx}" y2="${top + rows.length * rowH}" stroke="#ddd"/>`)
    out.push(`<text x="${gx}" y="${top + rows.length * rowH + 15}" text-anchor="middle" fill="#555">${10 ** e >= 1 ? 10 ** e : (10 ** e).toFixed(1)}</text>`)
  }
  rows.forEach((r, i) => {
    const y = top + i * rowH
    out.push(`<text x="${labelW - 8}" y="${y + 18}" text-anchor="end">${esc(r.label)}</text>`)
    ;(['p50', 'p90', 'p99'] as const).forEach((k, j) => {
      const w = Math.max(1, x(r[k]) - labelW)
      out.push(`<rect x="${labelW}" y="${y + 4 + j * 9}" width="${w.toFixed(1)}" height="8" fill="${COLORS[k]}"><title>${k} ${r[k]} ms</title></rect>`)
    })
  })
  const ly = height - 18
  ;(['p50', 'p90', 'p99'] as const).forEach((k, j) => {
    out.push(`<rect x="${labelW + j * 80}" y="${ly - 9}" width="10" height="10" fill="${COLORS[k]}"/><text x="${labelW + j * 80 + 14}" y="${ly}">${k}</text>`)
  })
  out.push('</svg>')
  return out.join('\n')
}

/** Responses and errors per second with the servers' CPU, over the scenario. */
export function timelineChart(report: BenchReport): string {
  // Whole seconds only: the last bucket holds a fraction of a second.
  const t = report.timeline.filter((p) => p.t < Math.floor(report.duration_s))
  const w = 860
  const h = 300
  const left = 60
  const right = 60
  const top = 40
  const bottom = 40
  const pw = w - left - right
  const ph = h - top - bottom
  const maxRps = Math.max(1, ...t.map((p) => p.responses))
  const maxCpu = Math.max(100, ...t.map((p) => p.cpu_pct ?? 0))
  const n = Math.max(1, t.length - 1)
  const x = (i: number) => left + (i / n) * pw
  const yR = (v: number) => top + ph - (v / maxRps) * ph
  const yC = (v: number) => top + ph - (v / maxCpu) * ph
  const path = (pts: [number, number][]) => pts.map(([a, b], i) => `${i ? 'L' : 'M'}${a.toFixed(1)},${b.toFixed(1)}`).join(' ')
  const out: string[] = []
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" ${FONT}>`)
  out.push(`<rect width="100%" height="100%" fill="white"/>`)
  out.push(`<text x="10" y="20" font-size="14" font-weight="bold">Responses per second, errors and server CPU over the scenario</text>`)
  out.push(`<line x1="${left}" y1="${top + ph}" x2="${left + pw}" y2="${top + ph}" stroke="#999"/>`)
  for (let k = 0; k <= 4; k++) {
    const v = (maxRps * k) / 4
    out.push(`<text x="${left - 6}" y="${yR(v) + 4}" text-anchor="end" fill="${COLORS.rps}">${Math.round(v)}</text>`)
    out.push(`<line x1="${left}" y1="${yR(v)}" x2="${left + pw}" y2="${yR(v)}" stroke="#eee"/>`)
    const c = (maxCpu * k) / 4
    out.push(`<text x="${left + pw + 6}" y="${yC(c) + 4}" fill="${COLORS.cpu}">${Math.round(c)}%</text>`)
  }
  for (let i = 0; i < t.length; i += Math.max(1, Math.ceil(t.length / 10))) {
    out.push(`<text x="${x(i)}" y="${top + ph + 16}" text-anchor="middle" fill="#555">${t[i]!.t}s</text>`)
  }
  out.push(`<path d="${path(t.map((p, i) => [x(i), yR(p.responses)]))}" fill="none" stroke="${COLORS.rps}" stroke-width="2"/>`)
  if (t.some((p) => p.errors > 0)) out.push(`<path d="${path(t.map((p, i) => [x(i), yR(p.errors)]))}" fill="none" stroke="${COLORS.errors}" stroke-width="1.5"/>`)
  const cpu = t.filter((p) => p.cpu_pct !== null).map((p) => [x(t.indexOf(p)), yC(p.cpu_pct!)] as [number, number])
  if (cpu.length) out.push(`<path d="${path(cpu)}" fill="none" stroke="${COLORS.cpu}" stroke-width="1.5" stroke-dasharray="4 3"/>`)
  const ly = h - 8
  out.push(`<rect x="${left}" y="${ly - 9}" width="10" height="10" fill="${COLORS.rps}"/><text x="${left + 14}" y="${ly}">responses/s</text>`)
  out.push(`<rect x="${left + 120}" y="${ly - 9}" width="10" height="10" fill="${COLORS.errors}"/><text x="${left + 134}" y="${ly}">errors/s</text>`)
  out.push(`<rect x="${left + 220}" y="${ly - 9}" width="10" height="10" fill="${COLORS.cpu}"/><text x="${left + 234}" y="${ly}">server CPU (% of one core, right axis)</text>`)
  out.push('</svg>')
  return out.join('\n')
}
