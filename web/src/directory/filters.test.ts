import { describe, expect, it } from 'vitest'
import { parseSearch, stringifySearch } from '../app/search.js'
import { clubs } from '../test-utils.js'
import { EMPTY_FILTERS, facets, filterClubs, filtersToSearch, parseFilters, sortClubs, withRanking } from './filters.js'

const all = clubs(1200)

describe('directory filters', () => {
  it('round-trips through the URL and leaves defaults out', () => {
    const f = { ...EMPTY_FILTERS, q: 'chess club', tags: ['arts', 'math'], sizes: ['small'], recruiting: true, school: 'Engineering', year: 2027, view: 'list' as const }
    const qs = stringifySearch(filtersToSearch(f))
    expect(parseFilters(parseSearch(qs))).toEqual(f)
    expect(stringifySearch(filtersToSearch(EMPTY_FILTERS))).toBe('')
  })

  it('matches every search word across name, subtitle and tags, ignoring case and accents', () => {
    const list = [...all.slice(0, 3)]
    list[0] = { ...list[0]!, name: 'Société de Débat' }
    expect(filterClubs(list, { ...EMPTY_FILTERS, q: 'SOCIETE debat' }).map((c) => c.name)).toEqual(['Société de Débat'])
    expect(filterClubs(all, { ...EMPTY_FILTERS, q: 'arts' }).every((c) => c.tags.some((t) => t.slug === 'arts'))).toBe(true)
    expect(filterClubs(all, { ...EMPTY_FILTERS, q: 'nothing-like-this' })).toEqual([])
  })

  it('combines facets: any-of inside a facet, all facets together', () => {
    const r = filterClubs(all, { ...EMPTY_FILTERS, tags: ['arts'], sizes: ['medium', 'very_large'], recruiting: true })
    expect(r.length).toBeGreaterThan(0)
    for (const c of r) {
      expect(c.tags.map((t) => t.slug)).toContain('arts')
      expect(['medium', 'very_large']).toContain(c.size)
      expect(c.recruiting).toBe(true)
    }
    const expected = all.filter((c) => c.tags[0]!.slug === 'arts' && ['medium', 'very_large'].includes(c.size) && c.recruiting).length
    expect(r).toHaveLength(expected)
  })

  it('treats clubs without a target school or year as open to everyone', () => {
    const r = filterClubs(all, { ...EMPTY_FILTERS, school: 'Law', year: 2030 })
    expect(r.every((c) => c.schools.length === 0 && c.years.length === 0)).toBe(true)
    const eng = filterClubs(all, { ...EMPTY_FILTERS, school: 'Engineering' })
    expect(eng.some((c) => c.schools.includes('Engineering'))).toBe(true)
    expect(eng.length).toBeGreaterThan(r.length - 1)
  })

  it('sorts by name, bookmarks or update time', () => {
    const byName = sortClubs([...all].reverse(), 'alpha')
    expect(byName.map((c) => c.name)).toEqual(all.map((c) => c.name))
    const byBm = sortClubs([...all], 'bookmarks')
    expect(byBm[0]!.bookmarks).toBe(Math.max(...all.map((c) => c.bookmarks)))
    // By the day of the last update, newest first, then by name (like the server's order=updated).
    const byUpdate = sortClubs([...all].reverse(), 'updated')
    for (let i = 1; i < byUpdate.length; i++) {
      const [a, b] = [byUpdate[i - 1]!, byUpdate[i]!]
      expect(a.updated > b.updated || (a.updated === b.updated && a.name < b.name)).toBe(true)
    }
    // Filtering keeps the sorted order.
    expect(filterClubs(byBm, { ...EMPTY_FILTERS, tags: ['arts'] }).map((c) => c.code)).toEqual(byBm.filter((c) => c.tags[0]!.slug === 'arts').map((c) => c.code))
  })

  it('puts a search ranking first, narrowed by the other filters, and keeps the local matches it left out', () => {
    const byCode = new Map(all.map((c) => [c.code, c]))
    const f = { ...EMPTY_FILTERS, q: 'council', recruiting: true }
    // Locally "council" matches the badge name; the server (say) ranked other clubs.
    const local = filterClubs(all, f)
    expect(local.length).toBeGreaterThan(0)
    const ranked = ['club-7', 'club-3', 'club-10', 'club-2'].map((c) => byCode.get(c)!)
    const r = withRanking(ranked, local, f)
    // club-3 is not accepting members: the recruiting filter still applies to the ranking.
    expect(r.slice(0, 3).map((c) => c.code)).toEqual(['club-7', 'club-10', 'club-2'])
    expect(r.slice(3)).toEqual(local.filter((c) => c.code !== 'club-10'))
    expect(new Set(r.map((c) => c.code)).size).toBe(r.length)
    // An explicit order other than the default sorts the union.
    const byBm = withRanking(ranked, local, { ...f, sort: 'bookmarks' })
    expect(byBm.map((c) => c.code)).toEqual(sortClubs([...r], 'bookmarks').map((c) => c.code))
  })

  it('counts facet values over the whole list', () => {
    const f = facets(all)
    expect(f.tags.map((t) => [t.value, t.count])).toEqual([
      ['arts', 600],
      ['science', 600],
    ])
    expect(f.schools).toEqual(['Engineering'])
    expect(f.years).toEqual([2027])
  })

  it('filters 1,200 clubs well within a frame', () => {
    filterClubs(all, { ...EMPTY_FILTERS, q: 'warm up' })
    const t0 = performance.now()
    for (let i = 0; i < 20; i++) filterClubs(all, { ...EMPTY_FILTERS, q: `club ${i}`, tags: ['arts'] })
    const perCall = (performance.now() - t0) / 20
    expect(perCall).toBeLessThan(16)
  })
})
