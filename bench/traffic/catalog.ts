import type { TrafficClass } from './types.js'

export const catalog: TrafficClass = {
  name: 'catalog',
  summary: 'The lists around the directory: tags, badges, upcoming events, fairs',
  requires: ['GET /api/tags', 'GET /api/badges', 'GET /api/events', 'GET /api/fairs'],
  defaults: { connections: 2, rate: 0 },
  build({ fx, rng }) {
    const as = () => (rng.chance(0.8) ? rng.pick(fx.students) : null)
    return [
      { route: 'GET /api/tags', method: 'GET', next: () => ({ path: '/api/tags', as: as() }) },
      { route: 'GET /api/badges', method: 'GET', next: () => ({ path: '/api/badges', as: as() }) },
      {
        route: 'GET /api/events',
        method: 'GET',
        next: () => ({ path: rng.chance(0.7) ? '/api/events' : `/api/events?club=${fx.clubs[rng.skewed(fx.clubs.length)]!.code}`, as: as() }),
      },
      { route: 'GET /api/fairs', method: 'GET', next: () => ({ path: '/api/fairs', as: as() }) },
    ]
  },
}
