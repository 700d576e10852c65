import type { ClubFx } from '../fixtures.js'
import { versionOf } from '../load/consistency.js'
import type { TrafficClass } from './types.js'

const PAGE = 'GET /api/clubs/:code (probe)'
const LIST = 'GET /api/clubs?q= (probe)'

/**
 * Readers of the clubs whose subtitles are being rewritten during the run. Each read is checked
 * against the writes acknowledged before it was sent: an older subtitle is a stale read.
 */
export const probeRead: TrafficClass = {
  name: 'probe-read',
  summary: 'Reads of the clubs being edited (club page and a search that lists them), checked against acknowledged writes',
  requires: ['GET /api/clubs/:code', 'GET /api/clubs'],
  defaults: { connections: 2, rate: 0 },
  build({ fx, rng, consistency }) {
    if (!fx.lanes.length) return []
    const lane = (conn: Record<string, unknown>) => conn.lane as ClubFx
    return [
      {
        route: PAGE,
        method: 'GET',
        readBody: true,
        next: (conn) => {
          const l = (conn.lane = rng.pick(fx.lanes))
          return { path: `/api/clubs/${l.code}`, as: rng.chance(0.5) ? rng.pick(fx.students) : null }
        },
        done: (res, conn) => {
          if (res.status !== 200) return
          const body = JSON.parse(res.body) as { subtitle?: string }
          consistency.read(lane(conn).code, PAGE, versionOf(body.subtitle), res.sentAt, res.headers['cache-status'])
        },
      },
      {
        route: LIST,
        method: 'GET',
        readBody: true,
        next: (conn) => ({ path: `/api/clubs?q=${encodeURIComponent(lane(conn).name)}&pageSize=100`, as: null }),
        done: (res, conn) => {
          if (res.status !== 200) return
          const body = JSON.parse(res.body) as { clubs?: { code: string; subtitle: string }[] }
          const club = body.clubs?.find((c) => c.code === lane(conn).code)
          if (club) consistency.read(lane(conn).code, LIST, versionOf(club.subtitle), res.sentAt, res.headers['cache-status'])
        },
      },
    ]
  },
}
