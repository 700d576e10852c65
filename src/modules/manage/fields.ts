import sanitizeHtml from 'sanitize-html'
import type { ClubPatch } from './manage.schema.js'

/**
 * Which club edits need an approver. Reviewed: what identifies the club and what it says about
 * itself in public (name, texts, image, links, tags, contact, category, founding year) — the
 * things an impostor or a prank would change. Immediate: operational settings officers change
 * during a recruiting season (size, recruiting flags, process, target audience); a wrong value
 * there misleads nobody for long and the officer fixes it at once. Page extras (events, FAQ,
 * testimonials, advisors, files) also apply at once: they are the club's day-to-day content.
 */
export const REVIEWED_FIELDS = [
  'name', 'subtitle', 'description', 'image_url', 'links', 'tags', 'contact_email', 'how_to_get_involved', 'category_id', 'founded_year',
] as const
export const IMMEDIATE_FIELDS = [
  'size', 'contact_email_public', 'membership_process', 'recruiting_season', 'accepting_members', 'application_required',
  'target_years', 'target_schools', 'target_majors',
] as const
export type ReviewedField = (typeof REVIEWED_FIELDS)[number]
export type ImmediateField = (typeof IMMEDIATE_FIELDS)[number]

const ALLOWED_HTML: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'strong', 'b', 'em', 'i', 'u', 's', 'ul', 'ol', 'li', 'a', 'h3', 'h4', 'blockquote', 'code', 'pre'],
  allowedAttributes: { a: ['href', 'title'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'noopener nofollow' }) },
}

export const sanitizeDescription = (html: string) => sanitizeHtml(html, ALLOWED_HTML).trim()

/** One canonical form per value, so "changed?" is a plain comparison. */
export function normalizePatch(p: ClubPatch): ClubPatch {
  const out: Record<string, unknown> = { ...p }
  for (const k of ['name', 'subtitle', 'how_to_get_involved'] as const) if (typeof p[k] === 'string') out[k] = p[k]!.trim()
  if (typeof p.description === 'string') out.description = sanitizeDescription(p.description)
  if (typeof p.contact_email === 'string') out.contact_email = p.contact_email.trim().toLowerCase()
  if (p.links) out.links = Object.fromEntries(Object.entries(p.links).sort(([a], [b]) => a.localeCompare(b)))
  if (p.tags) out.tags = [...p.tags].sort()
  if (p.target_years) out.target_years = [...p.target_years].sort((a, b) => a - b)
  return out as ClubPatch
}

export const canonical = (v: unknown): string =>
  JSON.stringify(v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : (v ?? null))

/** Splits a patch into the part that applies now and the part an approver must see. */
export function splitPatch(p: ClubPatch): { immediate: Partial<ClubPatch>; reviewed: Partial<ClubPatch> } {
  const immediate: Record<string, unknown> = {}
  const reviewed: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(p)) {
    if (v === undefined) continue
    if ((REVIEWED_FIELDS as readonly string[]).includes(k)) reviewed[k] = v
    else immediate[k] = v
  }
  return { immediate, reviewed }
}

/** Field-by-field difference between the approved values and a proposal. */
export function diff(current: Record<string, unknown>, proposed: Record<string, unknown>) {
  return REVIEWED_FIELDS.filter((f) => f in proposed && canonical(current[f]) !== canonical(proposed[f])).map((f) => ({
    field: f,
    current: current[f] ?? null,
    proposed: proposed[f] ?? null,
  }))
}
