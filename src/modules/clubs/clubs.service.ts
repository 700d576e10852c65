import type { PublicContext } from '../../cache/policy.js'
import { notFound } from '../../errors.js'
import * as repo from './clubs.repository.js'
import type { ClubDetail } from './clubs.schema.js'

export async function getClub(ctx: PublicContext<{ code: string }, unknown>): Promise<ClubDetail> {
  const club = await repo.findPublicClub(ctx.db, ctx.params.code)
  if (!club) throw notFound('Club')
  const parts = await repo.clubPageParts(ctx.db, club.id, ctx.now)
  const memberIds = parts.members.map((m) => m.user_id)
  const parentIds = parts.parents.map((p) => p.parent_id)
  const names = await repo.namesByIds(ctx.db, memberIds, parentIds)
  const userName = new Map(names.users.map((u) => [u.id, u.name]))
  // Upcoming events end and applications open or close: the page changes then.
  for (const e of parts.events) ctx.validUntil(e.ends_at as unknown as string)
  for (const a of parts.applications) ctx.validUntil(a.ends_at as unknown as string)
  ctx.validUntil(parts.next_opening as unknown as string | null)
  return {
    code: club.code,
    name: club.name,
    subtitle: club.subtitle,
    image_url: club.image_url,
    size: club.size,
    tags: parts.tags,
    badges: parts.badges,
    accepting_members: club.accepting_members,
    application_required: club.application_required,
    membership_process: club.membership_process,
    recruiting_season: club.recruiting_season,
    has_open_application: parts.applications.length > 0,
    favorite_count: parts.stats[0]?.bookmark_count ?? 0,
    member_count: parts.stats[0]?.member_count ?? 0,
    target_years: club.target_years,
    target_schools: club.target_schools,
    target_majors: club.target_majors,
    founded_year: club.founded_year,
    category: club.category,
    active: club.active,
    updated_at: club.updated_at,
    description: club.description,
    contact_email: club.contact_email_public ? club.contact_email : null,
    links: club.links,
    how_to_get_involved: club.how_to_get_involved,
    parents: names.clubs.map((c) => ({ code: c.code, name: c.name })),
    // A member absent from the names hides their name on club pages (or is gone).
    members: parts.members.filter((m) => userName.has(m.user_id)).map((m) => ({ name: userName.get(m.user_id)!, role: m.role, title: m.title })),
    events: parts.events,
    faqs: parts.faqs,
    testimonials: parts.testimonials,
    advisors: parts.advisors,
    files: parts.files,
    applications: parts.applications,
  }
}
