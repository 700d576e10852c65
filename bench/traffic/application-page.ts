import type { TrafficClass } from './types.js'

export const applicationPage: TrafficClass = {
  name: 'application-page',
  summary: 'Students open the list of open applications and application pages (questions, deadline)',
  requires: ['GET /api/applications', 'GET /api/applications/:id'],
  defaults: { connections: 4, rate: 0 },
  build({ fx, rng }) {
    if (!fx.applications.length) return []
    const as = () => (rng.chance(0.9) ? rng.pick(fx.students) : null)
    return [
      {
        route: 'GET /api/applications/:id',
        method: 'GET',
        next: () => ({ path: `/api/applications/${fx.applications[rng.skewed(fx.applications.length, 1.6)]!.id}`, as: as() }),
      },
      // Null starts the sequence over: the list is opened before one page in three.
      { route: 'GET /api/applications', method: 'GET', next: () => (rng.chance(0.3) ? { path: '/api/applications', as: as() } : null) },
    ]
  },
}
