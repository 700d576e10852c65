import type { TrafficClass } from './types.js'

export const session: TrafficClass = {
  name: 'session',
  summary: 'Every page load of a signed-in student asks who is signed in (private, uncached)',
  requires: ['GET /api/me'],
  defaults: { connections: 3, rate: 0 },
  build({ fx, rng }) {
    return [{ route: 'GET /api/me', method: 'GET', next: () => ({ path: '/api/me', as: rng.pick(fx.students) }) }]
  },
}
