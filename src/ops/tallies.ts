import type { Registry } from 'prom-client'

type Value = string | number

/**
 * Per-request metrics as plain counters in a map, exposed in Prometheus' format when scraped. A
 * request costs one map lookup and a few additions — no label-object hashing per observation,
 * which prom-client's own Counter and Histogram do on every call.
 */
abstract class Tally<S> {
  readonly aggregator = 'sum'
  protected readonly series = new Map<string, { values: readonly Value[]; s: S }>()

  constructor(
    readonly name: string,
    readonly help: string,
    protected readonly labelNames: readonly string[],
    registers: readonly Registry[],
  ) {
    for (const r of registers) r.registerMetric(this as never)
  }

  protected slot(values: readonly Value[], init: () => S): S {
    const key = values.length === 1 ? String(values[0]) : values.join('\u0001')
    let x = this.series.get(key)
    if (!x) {
      x = { values: [...values], s: init() }
      this.series.set(key, x)
    }
    return x.s
  }

  protected labels(values: readonly Value[], extra?: Record<string, Value>): Record<string, Value> {
    const l: Record<string, Value> = { ...extra }
    this.labelNames.forEach((n, i) => (l[n] = values[i]!))
    return l
  }

  reset(): void {
    this.series.clear()
  }
}

export class TallyCounter extends Tally<{ n: number }> {
  inc(values: readonly Value[], by = 1): void {
    this.slot(values, () => ({ n: 0 })).n += by
  }

  async get() {
    const values = [...this.series.values()].map(({ values, s }) => ({ labels: this.labels(values), value: s.n }))
    return { name: this.name, help: this.help, type: 'counter' as const, values, aggregator: this.aggregator }
  }
}

export class TallyHistogram extends Tally<{ counts: Float64Array; sum: number; count: number }> {
  constructor(
    name: string,
    help: string,
    labelNames: readonly string[],
    private readonly buckets: readonly number[],
    registers: readonly Registry[],
  ) {
    super(name, help, labelNames, registers)
  }

  observe(values: readonly Value[], v: number): void {
    const s = this.slot(values, () => ({ counts: new Float64Array(this.buckets.length), sum: 0, count: 0 }))
    const b = this.buckets
    for (let i = 0; i < b.length; i++) {
      if (v <= b[i]!) {
        s.counts[i]!++
        break
      }
    }
    s.sum += v
    s.count++
  }

  async get() {
    const out: { labels: Record<string, Value>; value: number; metricName: string }[] = []
    for (const { values, s } of this.series.values()) {
      let cumulative = 0
      this.buckets.forEach((le, i) => {
        cumulative += s.counts[i]!
        out.push({ labels: this.labels(values, { le }), value: cumulative, metricName: `${this.name}_bucket` })
      })
      out.push({ labels: this.labels(values, { le: '+Inf' }), value: s.count, metricName: `${this.name}_bucket` })
      out.push({ labels: this.labels(values), value: s.sum, metricName: `${this.name}_sum` })
      out.push({ labels: this.labels(values), value: s.count, metricName: `${this.name}_count` })
    }
    return { name: this.name, help: this.help, type: 'histogram' as const, values: out, aggregator: this.aggregator }
  }
}
