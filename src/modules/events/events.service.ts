import type { Static } from '@sinclair/typebox'
import type { PublicContext } from '../../cache/policy.js'
import * as repo from './events.repository.js'
import { DEFAULT_LIMIT, type EventsQuery } from './events.schema.js'

/** Upcoming events of public clubs; the answer stops being true when the first of them ends. */
export async function upcomingEvents(ctx: Pick<PublicContext, 'db' | 'now' | 'validUntil'>, query: Static<typeof EventsQuery>) {
  const { club, type, before, limit = DEFAULT_LIMIT } = query
  const rows = await repo.upcomingEvents(ctx.db, ctx.now, { club, type, before: before ? new Date(before) : undefined, limit })
  for (const r of rows) ctx.validUntil(r.ends_at)
  return { events: rows.map(({ code, club_name, ...e }) => ({ ...e, club: { code, name: club_name } })) }
}
