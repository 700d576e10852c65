import type { QuadDb } from '../../db/database.js'
import { fail, notFound } from '../../errors.js'
import type { SessionUser } from '../auth/session.js'
import type { ManagedApplication } from './applications.access.js'
import * as repo from './applications.repository.js'
import type { ApplicationDeps } from './applications.service.js'

/**
 * Grants (or changes) one applicant's later deadline. Only someone who started or submitted the
 * application can get one; any other email, with or without an account, answers the same 404,
 * so officers cannot use this to learn who has an account. It may not end before the
 * application's own end (checked again at submit time as the later of the two) nor after results
 * are released, judged on the application's dates locked in the granting transaction.
 */
export async function grantExtension(deps: ApplicationDeps, grantedBy: SessionUser, app: ManagedApplication, body: { email: string; ends_at: string | Date; reason?: string }) {
  if (app.kind === 'external') throw fail('EXTERNAL_APPLICATION', 'External applications are not submitted on Quad')
  const target = await repo.findApplicant(deps.db, app.id, body.email)
  if (!target) throw fail('NOT_FOUND', 'Nobody with this email has started this application')
  const endsAt = new Date(body.ends_at)
  const row = await deps.write(async (trx) => {
    const dates = await repo.lockedDates(trx, app.id)
    if (!dates) throw notFound('Application')
    checkExtensionEnd(endsAt, dates)
    return repo.upsertExtension(trx, { application_id: app.id, user_id: target.id, ends_at: endsAt, granted_by: grantedBy.id, reason: body.reason ?? '' })
  })
  return { ...row, email: target.email, name: target.name }
}

function checkExtensionEnd(endsAt: Date, app: { ends_at: Date | string; results_release_at: Date | string }) {
  if (endsAt.getTime() < new Date(app.ends_at).getTime()) {
    throw fail('EXTENSION_BEFORE_DEADLINE', 'An extension cannot end before the application does', [
      { field: 'ends_at', code: 'BEFORE_DEADLINE', message: `Must be at or after ${new Date(app.ends_at).toISOString()}` },
    ])
  }
  if (endsAt.getTime() > new Date(app.results_release_at).getTime()) {
    throw fail('EXTENSION_AFTER_RELEASE', 'An extension cannot run past the release of results', [
      { field: 'ends_at', code: 'AFTER_RELEASE', message: `Must be at or before ${new Date(app.results_release_at).toISOString()}` },
    ])
  }
}

export async function listExtensions(db: QuadDb, app: ManagedApplication) {
  return { extensions: await repo.listExtensions(db, app.id) }
}

export async function revokeExtension(deps: Pick<ApplicationDeps, 'write'>, app: ManagedApplication, userId: number) {
  const deleted = await deps.write((trx) => repo.deleteExtension(trx, app.id, userId))
  if (!deleted) throw notFound('Extension')
  return { ok: true }
}
