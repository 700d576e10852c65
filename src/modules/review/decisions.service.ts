import { randomUUID } from 'node:crypto'
import type { QuadDb } from '../../db/database.js'
import type { Trx } from '../../db/write.js'
import { fail } from '../../errors.js'
import type { ManagedApplication } from '../applications/applications.service.js'
import * as repo from './decisions.repository.js'
import { renderDecision, templateFor } from './templates.js'

export interface MailKick {
  wake(): void
}

/** What sending decisions uses: reads, one write transaction, and the mail queue to wake. */
export interface DecisionDeps {
  db: QuadDb
  write<T>(fn: (trx: Trx) => Promise<T>): Promise<T>
  mail: MailKick
}

function planFor(app: ManagedApplication, rows: repo.Candidate[], resend: boolean) {
  const send = []
  const skipped = []
  for (const c of rows) {
    const template = templateFor(c.status)
    if (!template) {
      skipped.push({ submission_id: c.id, email: c.email, name: c.name, status: c.status, reason: 'no_decision' as const, email_status: c.email_status })
      continue
    }
    if (!resend && (c.email_status !== null || c.notified_at !== null)) {
      skipped.push({ submission_id: c.id, email: c.email, name: c.name, status: c.status, reason: 'already_sent' as const, email_status: c.email_status ?? 'sent' })
      continue
    }
    const custom = template === 'acceptance' ? app.acceptance_template : app.rejection_template
    const mail = renderDecision(template, custom, { name: c.name, club: app.club_name, application: app.name, reason: c.reason })
    send.push({ submission_id: c.id, user_id: c.user_id, email: c.email, name: c.name, status: c.status, template, ...mail })
  }
  return { send, skipped }
}

type Plan = ReturnType<typeof planFor>

/**
 * Queues the decision emails and, for acceptances, creates the memberships, all in the
 * transaction that queues them: the membership exists exactly when its acceptance email is
 * committed to the outbox (never before results release, so no decision leaks early).
 */
async function commit(deps: DecisionDeps, app: ManagedApplication, load: (trx: Trx) => Promise<Plan>, keyOf: (p: Plan['send'][number]) => string) {
  return deps.write(async (trx) => {
    const plan = await load(trx)
    const queued = await repo.enqueue(
      trx,
      plan.send.map((p) => ({ kind: 'decision', dedupe_key: keyOf(p), to_email: p.email, subject: p.subject, body: p.body, user_id: p.user_id, submission_id: p.submission_id })),
    )
    const accepted = plan.send.filter((p) => p.status === 'accepted' && queued.has(p.submission_id)).map((p) => p.user_id)
    const members = await repo.addMembers(trx, app.club_id, accepted)
    // A concurrent send queued some first: report them as already sent.
    const lost = plan.send.filter((p) => !queued.has(p.submission_id))
    return {
      send: plan.send.filter((p) => queued.has(p.submission_id)),
      skipped: [...plan.skipped, ...lost.map((p) => ({ submission_id: p.submission_id, email: p.email, name: p.name, status: p.status, reason: 'already_sent' as const, email_status: 'queued' }))],
      queued: queued.size,
      members,
    }
  })
}

const isReleased = (app: ManagedApplication, now: Date) => now.getTime() >= new Date(app.results_release_at).getTime()

/** Decision emails for every decided applicant not yet emailed; a dry run shows exactly who gets what. */
export async function sendDecisions(deps: DecisionDeps, app: ManagedApplication, dryRun: boolean, now: Date) {
  const released = isReleased(app, now)
  const base = { application_id: app.id, dry_run: dryRun, results_released: released, results_release_at: app.results_release_at }
  if (dryRun) {
    const plan = planFor(app, await repo.candidates(deps.db, app.id), false)
    return { ...base, ...plan, queued: 0, memberships_created: 0 }
  }
  if (!released) throw fail('RESULTS_NOT_RELEASED', `Decisions can be sent once results are released (${new Date(app.results_release_at).toISOString()})`)
  const r = await commit(deps, app, async (trx) => planFor(app, await repo.candidates(trx, app.id), false), (p) => repo.decisionKey(app.id, p.user_id))
  if (r.queued) deps.mail.wake()
  return { ...base, send: r.send, skipped: r.skipped, queued: r.queued, memberships_created: r.members }
}

/** Sends the current decision again to applicants who were already emailed (each resend is a new email). */
export async function resendDecisions(deps: DecisionDeps, app: ManagedApplication, ids: number[], dryRun: boolean, now: Date) {
  const released = isReleased(app, now)
  if (!dryRun && !released) throw fail('RESULTS_NOT_RELEASED', 'Decisions can be sent once results are released')
  const rows = await repo.candidates(deps.db, app.id, ids)
  const found = new Map(rows.map((r) => [r.id, r]))
  const fields = []
  for (const id of ids) {
    const c = found.get(id)
    if (!c) fields.push({ field: 'submission_ids', code: 'UNKNOWN', message: `No submitted application ${id} here` })
    else if (c.status === 'pending') fields.push({ field: 'submission_ids', code: 'NO_DECISION', message: `Application ${id} has no decision` })
    else if (c.email_status === null && c.notified_at === null) fields.push({ field: 'submission_ids', code: 'NOT_SENT', message: `Application ${id} was never emailed; send decisions first` })
  }
  if (fields.length) throw fail('CANNOT_RESEND', fields[0]!.message, fields)
  const base = { application_id: app.id, dry_run: dryRun, results_released: released, results_release_at: app.results_release_at }
  if (dryRun) return { ...base, ...planFor(app, rows, true), queued: 0, memberships_created: 0 }
  const batch = randomUUID()
  const r = await commit(deps, app, async (trx) => planFor(app, await repo.candidates(trx, app.id, ids), true), (p) => `${repo.decisionKey(app.id, p.user_id)}:resend:${batch}`)
  if (r.queued) deps.mail.wake()
  return { ...base, send: r.send, skipped: r.skipped, queued: r.queued, memberships_created: r.members }
}
