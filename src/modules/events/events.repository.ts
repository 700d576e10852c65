import type { QuadDb } from '../../db/database.js'
import type { EventType } from '../../db/types.js'
import { isPublicClub } from '../../db/rules.js'

export interface EventFilter {
  club?: string
  type?: EventType
  before?: Date
  limit: number
}

/** Events of public clubs that have not ended at `now`, soonest first. */
export function upcomingEvents(db: QuadDb, now: Date, f: EventFilter) {
  let q = db
    .selectFrom('clubs as c')
    .where((eb) => isPublicClub(eb, 'c'))
    .innerJoin('events as e', 'e.club_id', 'c.id')
    .where('e.ends_at', '>', now)
    .select(['e.id', 'c.code', 'c.name as club_name', 'e.name', 'e.description', 'e.location', 'e.link', 'e.starts_at', 'e.ends_at', 'e.image_url', 'e.type', 'e.pinned'])
    .orderBy('e.starts_at')
    .orderBy('e.id')
    .limit(f.limit)
  if (f.club) q = q.where('c.code', '=', f.club)
  if (f.type) q = q.where('e.type', '=', f.type)
  if (f.before) q = q.where('e.starts_at', '<', f.before)
  return q.execute()
}
