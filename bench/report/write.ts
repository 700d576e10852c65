import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { latencyChart, timelineChart } from './chart.js'
import { markdown } from './markdown.js'
import type { BenchReport } from './types.js'

/** report.json, report.md and its two SVG charts in `dir`. */
export function writeReport(dir: string, report: BenchReport): string[] {
  const files = {
    'report.json': `${JSON.stringify(report, null, 2)}\n`,
    'report.md': markdown(report),
    'latency.svg': latencyChart(report),
    'timeline.svg': timelineChart(report),
  }
  for (const [name, body] of Object.entries(files)) writeFileSync(path.join(dir, name), body)
  return Object.keys(files).map((f) => path.join(dir, f))
}
