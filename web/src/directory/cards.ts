/** Directory cards as the app uses them: the list's compact cards with their references resolved. */
import type { BadgeRef, ClubCard, ClubList, TagRef } from '../api/types.js'

/** A card with tag and badge ids resolved and absent fields given their empty values. */
export interface DirectoryClub extends Pick<ClubCard, 'code' | 'name' | 'subtitle' | 'size' | 'bookmarks' | 'members' | 'updated'> {
  tags: TagRef[]
  badges: BadgeRef[]
  category: string | null
  recruiting: boolean
  open: boolean
  /** Empty = every year. */
  years: number[]
  /** Empty = every school. */
  schools: string[]
}

/** Resolves ids against the response's dictionaries (the objects are shared between cards). */
export function resolveClubs(r: ClubList): DirectoryClub[] {
  const tags = new Map<number, TagRef>(r.tags.map((t) => [t.id, t]))
  const badges = new Map<number, BadgeRef>(r.badges.map((b) => [b.id, b]))
  const refs = <X>(ids: number[] | undefined, dict: Map<number, X>): X[] => {
    const out: X[] = []
    for (const id of ids ?? []) {
      const x = dict.get(id)
      if (x) out.push(x)
    }
    return out
  }
  return r.clubs.map((c) => ({
    code: c.code,
    name: c.name,
    subtitle: c.subtitle,
    size: c.size,
    tags: refs(c.tags, tags),
    badges: refs(c.badges, badges),
    category: c.category ?? null,
    recruiting: c.recruiting === true,
    open: c.open === true,
    bookmarks: c.bookmarks,
    members: c.members,
    years: c.years ?? [],
    schools: c.schools ?? [],
    updated: c.updated,
  }))
}
