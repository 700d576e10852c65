import type { Directory } from '../clubs/directory.model.js'

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)

/** Every tag with its number of public clubs, by name; counted in the directory model. */
export function renderTags(dir: Directory): { body: string; until: number } {
  const counts = dir.clubCounts().tags
  const tags = [...dir.lookups.tags].map(([id, t]) => ({ slug: t.slug, name: t.name, club_count: counts.get(id) ?? 0 })).sort(byName)
  return { body: JSON.stringify({ tags }), until: 0 }
}

/** Visible badges with their number of public clubs, by name. */
export function renderBadges(dir: Directory): { body: string; until: number } {
  const counts = dir.clubCounts().badges
  const badges = [...dir.lookups.badges]
    .map(([id, b]) => ({ slug: b.slug, name: b.name, description: dir.lookups.badgeDescriptions.get(id) ?? '', color: b.color, club_count: counts.get(id) ?? 0 }))
    .sort(byName)
  return { body: JSON.stringify({ badges }), until: 0 }
}
