import type { TrafficClass } from './types.js'

export const clubPage: TrafficClass = {
  name: 'club-page',
  summary: 'Students open club pages, popular clubs far more often than the rest',
  requires: ['GET /api/clubs/:code'],
  defaults: { connections: 8, rate: 0 },
  build({ fx, rng }) {
    return [
      {
        route: 'GET /api/clubs/:code',
        method: 'GET',
        next: () => ({ path: `/api/clubs/${fx.clubs[rng.skewed(fx.clubs.length, 2.5)]!.code}`, as: rng.chance(0.8) ? rng.pick(fx.students) : null }),
      },
    ]
  },
}
