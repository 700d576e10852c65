import type { TrafficClass } from './types.js'

/** Officers reading their applicants: the submissions list (every answer), then one submission. */
export const review: TrafficClass = {
  name: 'review',
  summary: 'Officers review: the submissions list of their application, then one submission',
  requires: ['GET /api/applications/:id/submissions', 'GET /api/submissions/:id'],
  defaults: { connections: 2, rate: 4 },
  build({ fx, rng }) {
    if (!fx.reviewers.length) return []
    return [
      {
        route: 'GET /api/applications/:id/submissions',
        method: 'GET',
        readBody: true,
        next: (conn) => {
          const r = rng.pick(fx.reviewers)
          conn.reviewer = r
          return { path: `/api/applications/${r.applicationId}/submissions?limit=${rng.pick([25, 50, 100])}`, as: r.session }
        },
        done: (res, conn) => {
          if (res.status !== 200) return
          const list = JSON.parse(res.body) as { submissions?: { id: number }[] }
          const ids = list.submissions?.map((s) => s.id) ?? []
          conn.submission = ids.length ? rng.pick(ids) : null
        },
      },
      {
        route: 'GET /api/submissions/:id',
        method: 'GET',
        next: (conn) => (conn.submission ? { path: `/api/submissions/${conn.submission}`, as: (conn.reviewer as (typeof fx.reviewers)[number]).session } : null),
      },
    ]
  },
}
