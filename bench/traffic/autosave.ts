import type { TrafficClass } from './types.js'
import { contentFor, share } from './content.js'

/**
 * Students with an application open in a tab: start (or reopen) the draft, then autosave it a few
 * times as the answers grow. They never submit: those are the submit class's students.
 */
export const autosave: TrafficClass = {
  name: 'autosave',
  summary: 'Students autosave drafts: start the application, then PUT the draft as it grows',
  requires: ['POST /api/applications/:id/start', 'PUT /api/applications/:id/draft'],
  defaults: { connections: 4, rate: 40 },
  build({ fx, rng, part }) {
    // Odd-numbered students draft, even-numbered ones submit.
    const students = share(fx.students.filter((_, i) => i % 2 === 1), part)
    if (!fx.applications.length || !students.length) return []
    const save = (step: number) => ({
      route: 'PUT /api/applications/:id/draft',
      method: 'PUT' as const,
      next: (conn: Record<string, unknown>) => {
        const app = fx.applications[conn.app as number]!
        return { path: `/api/applications/${app.id}/draft`, as: students[conn.student as number]!, body: contentFor(app, rng, fx.words, step / 3) }
      },
    })
    return [
      {
        route: 'POST /api/applications/:id/start',
        method: 'POST',
        ok: [200, 201],
        next: (conn) => {
          conn.student = rng.int(0, students.length - 1)
          // Each student keeps to a few applications, so drafts are reopened and updated.
          conn.app = ((conn.student as number) * 7 + rng.int(0, 2)) % fx.applications.length
          return { path: `/api/applications/${fx.applications[conn.app as number]!.id}/start`, as: students[conn.student as number]! }
        },
      },
      save(1),
      save(2),
      save(3),
    ]
  },
}
