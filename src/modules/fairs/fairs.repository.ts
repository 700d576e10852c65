import type { QuadDb } from '../../db/database.js'
import { isPublicClub } from '../../db/rules.js'

const FAIR_COLUMNS = ['id', 'name', 'organization', 'description', 'location', 'starts_at', 'ends_at', 'registration_opens_at', 'registration_closes_at'] as const

export function allFairs(db: QuadDb) {
  return db.selectFrom('fairs').select(FAIR_COLUMNS).orderBy('starts_at', 'desc').execute()
}

export function fairById(db: QuadDb, id: number) {
  return db.selectFrom('fairs').where('id', '=', id).select([...FAIR_COLUMNS, 'questions']).executeTakeFirst()
}

/** The public clubs registered for a fair, with their booths, by name. */
export function registeredClubs(db: QuadDb, fairId: number) {
  return db
    .selectFrom('clubs as c')
    .where((eb) => isPublicClub(eb, 'c'))
    .innerJoin('fair_registrations as r', 'r.club_id', 'c.id')
    .where('r.fair_id', '=', fairId)
    .select(['c.code', 'c.name', 'c.subtitle', 'c.image_url', 'r.booth_label', 'r.booth_starts_at', 'r.booth_ends_at'])
    .orderBy('c.name')
    .execute()
}
