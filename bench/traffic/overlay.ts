import type { TrafficClass } from './types.js'

export const overlay: TrafficClass = {
  name: 'overlay',
  summary: 'Signed-in pages merge the per-user overlay (bookmarks, memberships, drafts) onto cached pages',
  requires: ['GET /api/me/overlay'],
  defaults: { connections: 3, rate: 0 },
  build({ fx, rng }) {
    return [{ route: 'GET /api/me/overlay', method: 'GET', next: () => ({ path: '/api/me/overlay', as: rng.pick(fx.students) }) }]
  },
}
