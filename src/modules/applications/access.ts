import type { QuadDb } from '../../db/database.js'
import type { Role } from '../../db/types.js'
import { forbidden, notFound } from '../../errors.js'
import type { SessionUser } from '../auth/session.js'
import { atLeast, effectiveRole } from '../clubs/permissions.js'
import { findApplication } from './applications.repository.js'

export type ManagedApplication = NonNullable<Awaited<ReturnType<typeof findApplication>>>

/** Loads an application and checks the user's role in its club (umbrella officers included). */
export async function requireApplicationRole(db: QuadDb, user: SessionUser, applicationId: number, min: Role = 'officer') {
  const app = await findApplication(db, applicationId)
  if (!app) throw notFound('Application')
  const role = await effectiveRole(db, user, app.club_id)
  if (!atLeast(role, min)) throw forbidden(`You need to be an ${min} of ${app.club_name} to manage this application`)
  return { app, role: role! }
}

/** Committee sets freeze once an application of a cycle with that rule has opened. */
export const committeesFrozen = (app: ManagedApplication, now: Date) =>
  app.freeze_committees === true && new Date(app.starts_at).getTime() <= now.getTime()

/** The number of committees an applicant may choose: the application's, capped by its cycle. */
export const effectiveMaxCommittees = (appMax: number, cycleCap: number | null) => (cycleCap == null ? appMax : Math.min(appMax, cycleCap))
