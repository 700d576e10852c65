import { sql } from 'kysely'
import type { QuadDb } from '../../db/database.js'
import type { Role } from '../../db/types.js'
import { forbidden, notFound } from '../../errors.js'
import type { SessionUser } from '../auth/session.js'

export const RANK: Record<Role, number> = { member: 1, officer: 2, owner: 3 }

export const atLeast = (role: Role | null, min: Role) => role !== null && RANK[role] >= RANK[min]

/**
 * The user's effective role in a club: their own membership, or officer of an umbrella club above
 * it (officers of a parent act as officers of every club below; owners of a parent as owners).
 * Administrators act as owners everywhere.
 */
export async function effectiveRole(db: QuadDb, user: SessionUser, clubId: number): Promise<Role | null> {
  if (user.isAdmin) return 'owner'
  const r = await sql<{ role: Role | null }>`
    with recursive up(id, depth) as (
      select ${clubId}::int, 0
      union
      select p.parent_id, up.depth + 1 from club_parents p join up on p.club_id = up.id where up.depth < 10
    )
    select (
      select m.role from memberships m join up on m.club_id = up.id
      where m.user_id = ${user.id} and m.active
        and (up.depth = 0 or m.role in ('officer', 'owner'))
      order by case m.role when 'owner' then 3 when 'officer' then 2 else 1 end desc
      limit 1
    ) as role`.execute(db)
  return r.rows[0]?.role ?? null
}

/** Resolves a club by code and checks the user's role in it; 404 for unknown clubs. */
export async function requireClubRole(db: QuadDb, user: SessionUser, code: string, min: Role) {
  const club = await db.selectFrom('clubs').where('code', '=', code).where('archived_at', 'is', null).select(['id', 'code', 'name', 'status']).executeTakeFirst()
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
  const club = await db.selectFrom('clubs').where('code', '=', code).where('archived_at', 'is', null).select(['id', 'code', 'name', 'status']).executeTakeFirst()
  if (!club) throw notFound('Club')
  return { club, role: await effectiveRole(db, user, club.id) }
}
