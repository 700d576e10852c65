import type { Fixtures } from './fixtures.js'

export interface WarmupResult {
  requests: number
  errors: number
  ms: number
}

/**
 * Deadline day starts with a cache that has been serving all day. Before measuring, every public
 * page the scenario reads (directory, each club page, each application page) is requested once on
 * every instance, a few at a time, within a time limit: the run then measures steady state, not
 * the cold start of a freshly started process.
 */
export async function warmUp(targets: string[], fx: Fixtures, limitMs = 30_000, concurrency = 8): Promise<WarmupResult> {
  const t0 = performance.now()
  const paths = ['/api/clubs', '/api/tags', '/api/badges', '/api/events', '/api/fairs', '/api/applications', ...fx.clubs.map((c) => `/api/clubs/${c.code}`), ...fx.applications.map((a) => `/api/applications/${a.id}`)]
  const urls = targets.flatMap((t) => paths.map((p) => t + p))
  let next = 0
  let errors = 0
  const worker = async () => {
    while (next < urls.length && performance.now() - t0 < limitMs) {
      const url = urls[next++]!
      try {
        const res = await fetch(url, { headers: { 'accept-encoding': 'br' } })
        await res.arrayBuffer()
        if (res.status !== 200) errors++
      } catch {
        errors++
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  return { requests: Math.min(next, urls.length), errors, ms: Math.round(performance.now() - t0) }
}
