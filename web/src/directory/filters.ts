/** Directory filtering, sorting and URL encoding: pure functions over the full club list. */
import type { ClubSummary } from '../api/types.js'

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

const list = (v: string | null) => (v ? v.split(',').filter(Boolean) : [])

export function parseFilters(query: URLSearchParams): Filters {
  const year = Number(query.get('year'))
  const sort = query.get('sort')
  return {
    q: query.get('q') ?? '',
    tags: list(query.get('tags')),
    badges: list(query.get('badges')),
    sizes: list(query.get('size')),
    recruiting: query.get('recruiting') === '1',
    open: query.get('open') === '1',
    school: query.get('school') ?? '',
    year: Number.isInteger(year) && year > 0 ? year : null,
    sort: sort === 'bookmarks' || sort === 'updated' ? sort : 'alpha',
    view: query.get('view') === 'list' ? 'list' : 'cards',
  }
}

/** The query string for a filter state; defaults are left out so shared links stay short. */
export function filtersToQuery(f: Filters): string {
  const q = new URLSearchParams()
  if (f.q) q.set('q', f.q)
  if (f.tags.length) q.set('tags', f.tags.join(','))
  if (f.badges.length) q.set('badges', f.badges.join(','))
  if (f.sizes.length) q.set('size', f.sizes.join(','))
  if (f.recruiting) q.set('recruiting', '1')
  if (f.open) q.set('open', '1')
  if (f.school) q.set('school', f.school)
  if (f.year) q.set('year', String(f.year))
  if (f.sort !== 'alpha') q.set('sort', f.sort)
  if (f.view !== 'cards') q.set('view', f.view)
  const s = q.toString()
  return s ? `?${s}` : ''
}

const haystacks = new WeakMap<ClubSummary, string>()
function haystack(c: ClubSummary): string {
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
export function filterClubs(clubs: readonly ClubSummary[], f: Filters): ClubSummary[] {
  const words = normalizeSearch(f.q)
  const tags = new Set(f.tags)
  const badges = new Set(f.badges)
  const sizes = new Set(f.sizes)
  const out = clubs.filter((c) => {
    if (f.recruiting && !c.accepting_members) return false
    if (f.open && !c.has_open_application) return false
    if (sizes.size && !sizes.has(c.size)) return false
    if (tags.size && !c.tags.some((t) => tags.has(t.slug))) return false
    if (badges.size && !c.badges.some((b) => badges.has(b.slug))) return false
    // A club with no target list welcomes everyone.
    if (f.school && c.target_schools.length && !c.target_schools.includes(f.school)) return false
    if (f.year && c.target_years.length && !c.target_years.includes(f.year)) return false
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
export function sortClubs(clubs: ClubSummary[], sort: Sort): ClubSummary[] {
  if (sort === 'bookmarks') return clubs.sort((a, b) => b.favorite_count - a.favorite_count || collator.compare(a.name, b.name))
  if (sort === 'updated') return clubs.sort((a, b) => b.updated_at.localeCompare(a.updated_at))
  return clubs.sort((a, b) => collator.compare(a.name, b.name))
}

export interface Facet {
  value: string
  label: string
  count: number
}

/** Filter options with counts over the whole list (computed once per list). */
export function facets(clubs: readonly ClubSummary[]) {
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
    for (const s of c.target_schools) schools.set(s, (schools.get(s) ?? 0) + 1)
    for (const y of c.target_years) years.set(y, (years.get(y) ?? 0) + 1)
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
