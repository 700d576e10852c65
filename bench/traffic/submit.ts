import { randomUUID } from 'node:crypto'
import type { TrafficClass } from './types.js'
import { contentFor, share } from './content.js'

const SUBMIT = 'POST /api/applications/:id/submit'

/**
 * Students submitting before the deadline: start, save once, submit with an idempotency key. One
 * in ten double-clicks: the same submit twice, which must return the same receipt. Every receipt
 * goes to the ledger; after the run each one must be found in the database.
 */
export const submit: TrafficClass = {
  name: 'submit',
  summary: 'Students submit: start, a last save, submit with an Idempotency-Key (10 % double-click); receipts are checked in the database afterwards',
  requires: ['POST /api/applications/:id/start', 'PUT /api/applications/:id/draft', SUBMIT],
  defaults: { connections: 2, rate: 16 },
  build({ fx, rng, part, ledger }) {
    const students = share(fx.students.filter((_, i) => i % 2 === 0), part)
    const apps = fx.applications
    if (!apps.length || !students.length) return []
    // Pairs are used once each: student k, then the next application, and so on.
    let pair = 0
    const submitOnce = (again: boolean) => ({
      route: SUBMIT,
      method: 'POST' as const,
      ok: [200, 201],
      readBody: true,
      next: (conn: Record<string, unknown>) => {
        if (again && !conn.doubleClick) return null
        const app = apps[conn.app as number]!
        return { path: `/api/applications/${app.id}/submit`, as: students[conn.student as number]!, body: conn.content, headers: { 'idempotency-key': conn.key as string } }
      },
      done: (res: { status: number; body: string }, conn: Record<string, unknown>) => {
        if (res.status !== 200 && res.status !== 201) return
        const receipt = JSON.parse(res.body) as { submission_id: number }
        ledger.ack('submission', receipt.submission_id)
        // A first click that was refused (e.g. shed) left no receipt to contradict.
        if (again && conn.receipt !== undefined && conn.receipt !== receipt.submission_id) ledger.anomaly('idempotent submit returned another receipt')
        conn.receipt = receipt.submission_id
      },
    })
    return [
      {
        route: 'POST /api/applications/:id/start',
        method: 'POST',
        ok: [200, 201],
        next: (conn) => {
          const k = pair++
          conn.student = k % students.length
          conn.app = Math.floor(k / students.length) % apps.length
          conn.key = randomUUID()
          conn.doubleClick = rng.chance(0.1)
          conn.content = contentFor(apps[conn.app as number]!, rng, fx.words)
          return { path: `/api/applications/${apps[conn.app as number]!.id}/start`, as: students[conn.student as number]! }
        },
      },
      {
        route: 'PUT /api/applications/:id/draft',
        method: 'PUT',
        next: (conn) => ({ path: `/api/applications/${apps[conn.app as number]!.id}/draft`, as: students[conn.student as number]!, body: conn.content }),
      },
      submitOnce(false),
      submitOnce(true),
    ]
  },
}
