import type { TrafficClass } from './types.js'

/** Classes the benchmark itself uses (baseline comparison, drills); not part of the mix. */
export const cachedList: TrafficClass = {
  name: 'cached-list',
  summary: 'GET /api/clubs as a browser asks for it, the same bytes every time (the baseline comparison)',
  requires: ['GET /api/clubs'],
  defaults: { connections: 0, rate: 0 },
  build: () => [{ route: 'GET /api/clubs', method: 'GET', next: () => ({ path: '/api/clubs' }) }],
}

export const INTERNAL_CLASSES: Record<string, TrafficClass> = Object.fromEntries([cachedList].map((c) => [c.name, c]))
