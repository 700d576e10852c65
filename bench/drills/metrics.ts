/** Sum of a Prometheus counter over its label sets, from GET /metrics (0 when absent). */
export async function counter(baseUrl: string, name: string, labels: Record<string, string> = {}): Promise<number> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text()
  let sum = 0
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue
    const m = /^([a-z_:]+)(\{([^}]*)\})?\s+([0-9.eE+-]+)$/.exec(line.trim())
    if (!m || m[1] !== name) continue
    const have = Object.fromEntries((m[3] ?? '').split(',').filter(Boolean).map((kv) => kv.split('=').map((x) => x.replace(/^"|"$/g, '')) as [string, string]))
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) sum += Number(m[4])
  }
  return sum
}
