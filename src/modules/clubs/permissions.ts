import type { QuadDb } from '../../db/database.js'
import type { Role } from '../../db/types.js'
import { atLeast } from '../../http/access.js'
import { forbidden, notFound } from '../../errors.js'
import type { SessionUser } from '../auth/session.js'
import { clubByCode, roleInClub } from './clubs.repository.js'

export { atLeast, RANK } from '../../http/access.js'

/** The user's effective role in a club (umbrella officers included; administrators act as owners). */
export const effectiveRole = (db: QuadDb, user: SessionUser, clubId: number): Promise<Role | null> =>
  user.isAdmin ? Promise.resolve('owner') : roleInClub(db, user.id, clubId)

/** Resolves a club by code and checks the user's role in it; 404 for unknown clubs. */
export async function requireClubRole(db: QuadDb, user: SessionUser, code: string, min: Role) {
  const club = await clubByCode(db, code)
  if (!club) throw notFound('Club')
  const role = await effectiveRole(db, user, club.id)
  if (!atLeast(role, min)) throw forbidden(`You need to be ${min === 'member' ? 'a member' : `an ${min}`} of ${club.name}`)
  return { club, role: role! }
}

/**
 * For review views: officers (at least `min`) of the club, or approvers and administrators, who
 * see every club whatever their membership.
 */
export async function requireClubRoleOrApprover(db: QuadDb, user: SessionUser, code: string, min: Role) {
  if (!user.isApprover || user.isAdmin) return requireClubRole(db, user, code, min)
  const club = await clubByCode(db, code)
  if (!club) throw notFound('Club')
  return { club, role: await effectiveRole(db, user, club.id) }
}
