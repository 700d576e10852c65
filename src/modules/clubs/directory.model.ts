import type { Change, Dirty, ModelSource } from '../../cache/live-model.js'
import type { QuadDb } from '../../db/database.js'
import { ClubSearch, fold, plainText } from './directory.search.js'
import { type DirectoryLookups, type DirectoryRow, directoryLookups, directoryRows } from './directory.repository.js'

/** One public club in the directory model. */
export interface ClubItem {
  readonly id: number
  readonly code: string
  readonly name: string
  /** Folded name: the alphabetical order. */
  readonly sortName: string
  readonly size: string
  readonly accepting: boolean
  readonly bookmarks: number
  readonly updatedDay: string
  readonly tagIds: readonly number[]
  readonly badgeIds: readonly number[]
  /** [start, end) wall times of the club's active applications. */
  readonly windows: readonly (readonly [number, number])[]
  /** The card's JSON around its one time-dependent field ("open"). */
  head: string
  tail: string
  readonly row: DirectoryRow
}

export interface Lookups {
  tags: Map<number, { slug: string; name: string }>
  tagBySlug: Map<string, number>
  /** Visible badges only. */
  badges: Map<number, { slug: string; name: string; color: string }>
  badgeDescriptions: Map<number, string>
  badgeBySlug: Map<string, number>
  categories: Map<number, string>
}

/** The directory as one in-memory state: items, lookups, the search index and cached orders. */
export class Directory {
  readonly items = new Map<number, ClubItem>()
  readonly byCode = new Map<string, ClubItem>()
  readonly search = new ClubSearch()
  /** Orders computed since the last change (alpha, bookmarks, updated, random:<seed>). */
  readonly orders = new Map<string, ClubItem[]>()
  private boundaries: number[] | null = null

  constructor(public lookups: Lookups) {}

  /** The next wall time after `now` at which an application opens or closes (0 = none). */
  nextBoundary(now: number): number {
    if (!this.boundaries) {
      const all: number[] = []
      for (const c of this.items.values()) for (const [s, e] of c.windows) all.push(s, e)
      this.boundaries = all.sort((a, b) => a - b)
    }
    const b = this.boundaries
    let lo = 0
    let hi = b.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (b[mid]! <= now) lo = mid + 1
      else hi = mid
    }
    return lo < b.length ? b[lo]! : 0
  }

  upsert(row: DirectoryRow): void {
    const old = this.items.get(row.id)
    if (old && old.code !== row.code) this.byCode.delete(old.code)
    const item = toItem(row, this.lookups)
    this.items.set(row.id, item)
    this.byCode.set(item.code, item)
    this.search.add(searchDoc(row, this.lookups))
  }

  remove(id: number): void {
    const old = this.items.get(id)
    if (!old) return
    this.items.delete(id)
    this.byCode.delete(old.code)
    this.search.remove(id)
  }

  /** New lookups: cards and search documents that show a changed name are rebuilt. */
  relookup(next: Lookups): void {
    const prev = this.lookups
    this.lookups = next
    const changedTag = (id: number) => prev.tags.get(id)?.name !== next.tags.get(id)?.name || prev.tags.get(id)?.slug !== next.tags.get(id)?.slug
    const changedBadge = (id: number) => JSON.stringify(prev.badges.get(id)) !== JSON.stringify(next.badges.get(id))
    this.counts = null
    for (const item of this.items.values()) {
      const cat = item.row.category_id
      // The row's own ids: a hidden badge (left off the card) may have become visible.
      const touched =
        item.row.tag_ids.some(changedTag) || item.row.badge_ids.some(changedBadge) || (cat !== null && prev.categories.get(cat) !== next.categories.get(cat))
      if (touched) this.upsert(item.row)
    }
  }

  /** After any change: orders, time boundaries and counts are computed again on demand. */
  changed(): void {
    this.orders.clear()
    this.boundaries = null
    this.counts = null
  }

  private counts: { tags: Map<number, number>; badges: Map<number, number> } | null = null

  /** Public clubs per tag and per visible badge. */
  clubCounts(): { tags: Map<number, number>; badges: Map<number, number> } {
    if (!this.counts) {
      const tags = new Map<number, number>()
      const badges = new Map<number, number>()
      for (const c of this.items.values()) {
        for (const id of c.tagIds) tags.set(id, (tags.get(id) ?? 0) + 1)
        for (const id of c.badgeIds) badges.set(id, (badges.get(id) ?? 0) + 1)
      }
      this.counts = { tags, badges }
    }
    return this.counts
  }
}

function day(d: Date | string): string {
  return (typeof d === 'string' ? d : d.toISOString()).slice(0, 10)
}

function toItem(row: DirectoryRow, lk: Lookups): ClubItem {
  const badgeIds = row.badge_ids.filter((id) => lk.badges.has(id))
  const tagIds = row.tag_ids.filter((id) => lk.tags.has(id))
  const category = row.category_id !== null ? lk.categories.get(row.category_id) : undefined
  // Keys are short and empty values left out: the full list is what every visitor downloads.
  let head = `{"code":${JSON.stringify(row.code)},"name":${JSON.stringify(row.name)},"subtitle":${JSON.stringify(row.subtitle)},"size":${JSON.stringify(row.size)},"tags":[${tagIds.join(',')}]`
  if (badgeIds.length) head += `,"badges":[${badgeIds.join(',')}]`
  if (category) head += `,"category":${JSON.stringify(category)}`
  if (row.accepting_members) head += ',"recruiting":true'
  let tail = `,"bookmarks":${row.bookmarks},"members":${row.members}`
  if (row.target_years.length) tail += `,"years":[${row.target_years.join(',')}]`
  if (row.target_schools.length) tail += `,"schools":${JSON.stringify(row.target_schools)}`
  tail += `,"updated":"${day(row.updated_at)}"}`
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    sortName: fold(row.name),
    size: row.size,
    accepting: row.accepting_members,
    bookmarks: row.bookmarks,
    updatedDay: day(row.updated_at),
    tagIds,
    badgeIds,
    windows: row.windows.map(([s, e]) => [Date.parse(s), Date.parse(e)] as const),
    head,
    tail,
    row,
  }
}

function searchDoc(row: DirectoryRow, lk: Lookups) {
  return {
    id: row.id,
    name: row.name,
    subtitle: row.subtitle,
    tags: [...row.tag_ids.map((id) => lk.tags.get(id)?.name ?? ''), ...row.badge_ids.map((id) => lk.badges.get(id)?.name ?? '')].join(' '),
    category: (row.category_id !== null && lk.categories.get(row.category_id)) || '',
    description: plainText(row.description),
  }
}

function toLookups(raw: DirectoryLookups): Lookups {
  const lk: Lookups = { tags: new Map(), tagBySlug: new Map(), badges: new Map(), badgeDescriptions: new Map(), badgeBySlug: new Map(), categories: new Map() }
  for (const [id, slug, name] of raw.tags) {
    lk.tags.set(id, { slug, name })
    lk.tagBySlug.set(slug, id)
  }
  for (const [id, slug, name, color, hidden, description] of raw.badges) {
    if (hidden) continue
    lk.badges.set(id, { slug, name, color })
    lk.badgeDescriptions.set(id, description)
    lk.badgeBySlug.set(slug, id)
  }
  for (const [id, name] of raw.categories) lk.categories.set(id, name)
  return lk
}

const ITEM_PARTITIONS = ['p:club_tags:club_id=', 'p:club_badges:club_id=', 'p:club_applications:club_id=']
const SHARED_ROWS = ['r:tags:', 'r:badges:', 'r:categories:']
/** Tables the model reads; a truncate (or a bulk load that bumps their structure key) reloads it. */
export const DIRECTORY_TABLES = ['clubs', 'club_stats', 'club_tags', 'club_badges', 'club_applications', 'tags', 'badges', 'categories'] as const

/** Maps a moved dependency key to the directory's part it changes. */
export function classifyDirectoryDep(dep: string): Change | null {
  if (dep.startsWith('r:clubs:')) return { item: Number(dep.slice(8)) }
  if (dep.startsWith('r:club_stats:')) return { item: Number(dep.slice(13)), soft: true }
  for (const p of ITEM_PARTITIONS) if (dep.startsWith(p)) return { item: Number(dep.slice(p.length)) }
  for (const p of SHARED_ROWS) if (dep.startsWith(p)) return { shared: true }
  if (dep.startsWith('s:') && (DIRECTORY_TABLES as readonly string[]).includes(dep.slice(2))) return { all: true }
  return null
}

/** The directory's data source: a full load, or the changed clubs (and lookups) only. */
export function directorySource(db: QuadDb): ModelSource<Directory> {
  return {
    name: 'directory',
    classify: classifyDirectoryDep,
    async load() {
      const lookups = toLookups(await directoryLookups(db))
      const rows = await directoryRows(db)
      const dir = new Directory(lookups)
      for (const row of rows) {
        const item = toItem(row, lookups)
        dir.items.set(row.id, item)
        dir.byCode.set(item.code, item)
      }
      dir.search.addAll(rows.map((r) => searchDoc(r, lookups)))
      return dir
    },
    async refresh(dir: Directory, dirty: Dirty) {
      const lookups = dirty.shared ? toLookups(await directoryLookups(db)) : null
      const ids = [...dirty.items].filter(Number.isSafeInteger)
      const rows = ids.length ? await directoryRows(db, ids) : []
      if (lookups) dir.relookup(lookups)
      const found = new Set<number>()
      for (const row of rows) {
        found.add(row.id)
        dir.upsert(row)
      }
      for (const id of ids) if (!found.has(id)) dir.remove(id)
      dir.changed()
      return dir
    },
  }
}
