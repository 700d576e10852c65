import type { ClubFx } from '../fixtures.js'
import { versionSuffix } from '../load/consistency.js'
import type { TrafficClass } from './types.js'

/**
 * The consistency probe's writer: an officer edits the subtitle of one probed club after the
 * other (each time with the next version number), an approver approves the revision; the write
 * counts as acknowledged when the approval's response arrives. One connection keeps the versions
 * of each club in order.
 */
export const probeWrite: TrafficClass = {
  name: 'probe-write',
  summary: 'Officers edit club subtitles and an approver approves each edit (the consistency probe writer); the rate counts both requests',
  requires: ['PATCH /api/clubs/:code', 'POST /api/admin/approvals/revisions/:id/approve'],
  defaults: { connections: 1, rate: 2 },
  // Two edits of one club in flight could be approved out of order.
  serial: true,
  build({ fx, consistency }) {
    if (!fx.lanes.length) return []
    let version = 0
    const base = fx.lanes.map((l) => l.subtitle.replace(/ · v\d+$/, '').slice(0, 100))
    return [
      {
        route: 'PATCH /api/clubs/:code',
        method: 'PATCH',
        readBody: true,
        next: (conn) => {
          const v = ++version
          const k = (v - 1) % fx.lanes.length
          conn.lane = fx.lanes[k]
          conn.version = v
          return { path: `/api/clubs/${fx.lanes[k]!.code}`, as: fx.officer, body: { subtitle: base[k]! + versionSuffix(v) } }
        },
        done: (res, conn) => {
          conn.revision = res.status === 200 ? ((JSON.parse(res.body) as { revision_id: number | null }).revision_id ?? null) : null
          if (!conn.revision) consistency.writeFailed()
        },
      },
      {
        route: 'POST /api/admin/approvals/revisions/:id/approve',
        method: 'POST',
        next: (conn) => (conn.revision ? { path: `/api/admin/approvals/revisions/${conn.revision}/approve`, as: fx.approver, body: {} } : null),
        done: (res, conn) => {
          if (res.status === 200) consistency.ack((conn.lane as ClubFx).code, conn.version as number, res.doneAt)
          else consistency.writeFailed()
        },
      },
    ]
  },
}
