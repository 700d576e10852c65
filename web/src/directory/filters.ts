/** Directory filtering, sorting and URL encoding: pure functions over the full club list. */
import type { DirectoryClub } from './cards.js'

export type View = 'cards' | 'list'
export type Sort = 'alpha' | 'bookmarks' | 'updated'

export interface Filters {
  q: string
  tags: string[]
  badges: string[]
  sizes: string[]
  recruiting: boolean
  open: boolean
  school: string
  year: number | null
  sort: Sort
  view: View
}

export const EMPTY_FILTERS: Filters = { q: '', tags: [], badges: [], sizes: [], recruiting: false, open: false, school: '', year: null, sort: 'alpha', view: 'cards' }

/** The directory's URL search, as its route validates it. */
export type DirectorySearch = Partial<Record<'q' | 'tags' | 'badges' | 'size' | 'recruiting' | 'open' | 'school' | 'year' | 'sort' | 'view', string>>

const list = (v: string | undefined) => (v ? v.split(',').filter(Boolean) : [])

export function parseFilters(search: DirectorySearch): Filters {
  const year = Number(search.year)
  const sort = search.sort
  return {
    q: search.q ?? '',
    tags: list(search.tags),
    badges: list(search.badges),
    sizes: list(search.size),
    recruiting: search.recruiting === '1',
    open: search.open === '1',
    school: search.school ?? '',
    year: Number.isInteger(year) && year > 0 ? year : null,
    sort: sort === 'bookmarks' || sort === 'updated' ? sort : 'alpha',
    view: search.view === 'list' ? 'list' : 'cards',
  }
}

/** The URL search for a filter state; defaults are left out so shared links stay short. */
export function filtersToSearch(f: Filters): DirectorySearch {
  const s: DirectorySearch = {}
  if (f.q) s.q = f.q
  if (f.tags.length) s.tags = f.tags.join(',')
  if (f.badges.length) s.badges = f.badges.join(',')
  if (f.sizes.length) s.size = f.sizes.join(',')
  if (f.recruiting) s.recruiting = '1'
  if (f.open) s.open = '1'
  if (f.school) s.school = f.school
  if (f.year) s.year = String(f.year)
  if (f.sort !== 'alpha') s.sort = f.sort
  if (f.view !== 'cards') s.view = f.view
  return s
}

const haystacks = new WeakMap<DirectoryClub, string>()
function haystack(c: DirectoryClub): string {
  let h = haystacks.get(c)
  if (h === undefined) {
    h = fold([c.name, c.subtitle, c.category ?? '', ...c.tags.map((t) => t.name), ...c.badges.map((b) => b.name)].join(' \u0000 '))
    haystacks.set(c, h)
  }
  return h
}

/** Lower case without accents, so "societe" finds "Société". */
const fold = (s: string) =>
  s
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')

export const normalizeSearch = (q: string) => fold(q).split(/\s+/).filter(Boolean)

/**
 * Clubs matching every active filter (any-of within tags, badges and sizes), in the input's order:
 * sort the full list once per order with sortClubs and filter that, so typing never re-sorts.
 */
export function filterClubs(clubs: readonly DirectoryClub[], f: Filters): DirectoryClub[] {
  const words = normalizeSearch(f.q)
  const tags = new Set(f.tags)
  const badges = new Set(f.badges)
  const sizes = new Set(f.sizes)
  const out = clubs.filter((c) => {
    if (f.recruiting && !c.recruiting) return false
    if (f.open && !c.open) return false
    if (sizes.size && !sizes.has(c.size)) return false
    if (tags.size && !c.tags.some((t) => tags.has(t.slug))) return false
    if (badges.size && !c.badges.some((b) => badges.has(b.slug))) return false
    // A club with no target list welcomes everyone.
    if (f.school && c.schools.length && !c.schools.includes(f.school)) return false
    if (f.year && c.years.length && !c.years.includes(f.year)) return false
    if (words.length) {
      const h = haystack(c)
      for (const w of words) if (!h.includes(w)) return false
    }
    return true
  })
  return out
}

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true })
/** Sorts in place and returns the array. */
export function sortClubs(clubs: DirectoryClub[], sort: Sort): DirectoryClub[] {
  if (sort === 'bookmarks') return clubs.sort((a, b) => b.bookmarks - a.bookmarks || collator.compare(a.name, b.name))
  // Like the server's order=updated: the day of the last update, newest first, then the name.
  if (sort === 'updated') return clubs.sort((a, b) => (a.updated < b.updated ? 1 : a.updated > b.updated ? -1 : collator.compare(a.name, b.name)))
  return clubs.sort((a, b) => collator.compare(a.name, b.name))
}

export interface Facet {
  value: string
  label: string
  count: number
}

/** Filter options with counts over the whole list (computed once per list). */
export function facets(clubs: readonly DirectoryClub[]) {
  const tags = new Map<string, Facet>()
  const badges = new Map<string, Facet & { color: string }>()
  const schools = new Map<string, number>()
  const years = new Map<number, number>()
  for (const c of clubs) {
    for (const t of c.tags) {
      const f = tags.get(t.slug) ?? { value: t.slug, label: t.name, count: 0 }
      f.count++
      tags.set(t.slug, f)
    }
    for (const b of c.badges) {
      const f = badges.get(b.slug) ?? { value: b.slug, label: b.name, color: b.color, count: 0 }
      f.count++
      badges.set(b.slug, f)
    }
    for (const s of c.schools) schools.set(s, (schools.get(s) ?? 0) + 1)
    for (const y of c.years) years.set(y, (years.get(y) ?? 0) + 1)
  }
  const byLabel = (a: Facet, b: Facet) => collator.compare(a.label, b.label)
  return {
    tags: [...tags.values()].sort(byLabel),
    badges: [...badges.values()].sort(byLabel),
    schools: [...schools.keys()].sort(collator.compare),
    years: [...years.keys()].sort((a, b) => a - b),
  }
}

export const activeFilterCount = (f: Filters) =>
  f.tags.length + f.badges.length + f.sizes.length + (f.recruiting ? 1 : 0) + (f.open ? 1 : 0) + (f.school ? 1 : 0) + (f.year ? 1 : 0)

/**
 * A search's results once the server's ranking for it is in: the ranked clubs narrowed by the
 * other filters, in the server's relevance order (or the chosen sort when it is not the default),
 * then the local matches the ranking left out (the server does not search badge names or text
 * inside words, and skips words like "club"), so a result never disappears when the ranking lands.
 * `local` is filterClubs' answer for the same filters.
 */
export function withRanking(ranked: readonly DirectoryClub[], local: readonly DirectoryClub[], f: Filters): DirectoryClub[] {
  const out = filterClubs(ranked, { ...f, q: '' })
  const seen = new Set(out.map((c) => c.code))
  for (const c of local) if (!seen.has(c.code)) out.push(c)
  return f.sort === 'alpha' ? out : sortClubs(out, f.sort)
}
