import type { TrafficClass } from './types.js'

/** Students bookmark a club and later remove it; each changes the club's counter on public pages. */
export const bookmarks: TrafficClass = {
  name: 'bookmarks',
  summary: 'Students bookmark clubs and remove bookmarks (PUT / DELETE)',
  requires: ['PUT /api/clubs/:code/bookmark', 'DELETE /api/clubs/:code/bookmark'],
  defaults: { connections: 2, rate: 20 },
  build({ fx, rng }) {
    const target = (conn: Record<string, unknown>) => ({ path: `/api/clubs/${conn.club as string}/bookmark`, as: fx.students[conn.student as number]! })
    return [
      {
        route: 'PUT /api/clubs/:code/bookmark',
        method: 'PUT',
        next: (conn) => {
          conn.student = rng.int(0, fx.students.length - 1)
          conn.club = fx.clubs[rng.skewed(fx.clubs.length, 2)]!.code
          return target(conn)
        },
      },
      { route: 'DELETE /api/clubs/:code/bookmark', method: 'DELETE', next: (conn) => (rng.chance(0.5) ? target(conn) : null) },
    ]
  },
}
