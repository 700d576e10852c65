import { useQuery } from '@tanstack/react-query'
import { useDeferredValue, useEffect, useMemo, useRef, useState } from 'react'
import { getRouteApi, useNavigate } from '@tanstack/react-router'
import { stringifySearch } from '../app/search.js'
import { useUrlState } from '../app/useUrlState.js'
import { clubSearchQuery, clubsQuery } from '../data/public.js'
import { SIZE_LABELS } from '../ui/format.js'
import { ErrorMessage, Loading } from '../ui/status.js'
import { activeFilterCount, EMPTY_FILTERS, type Facet, facets, type Filters, filterClubs, filtersToSearch, parseFilters, sortClubs, withRanking } from './filters.js'
import { Results } from './Results.js'

const TAGS_SHOWN = 16
/** The server ranks a query once typing pauses this long (and the query has 2+ characters). */
const SEARCH_PAUSE_MS = 250
const MIN_SEARCH = 2

/**
 * The server's ranking of the search words (prefixes, typos, description words, synonyms), asked
 * once typing pauses. Each keystroke moves to a new query key, which aborts the request for the
 * previous words at once. The request also counts the search term for the server's analytics,
 * so a search is recorded once.
 */
function useRanking(q: string) {
  const [settled, setSettled] = useState(q)
  useEffect(() => {
    const t = window.setTimeout(() => setSettled(q), SEARCH_PAUSE_MS)
    return () => window.clearTimeout(t)
  }, [q])
  const { data, isError } = useQuery({ ...clubSearchQuery(q), enabled: q.length >= MIN_SEARCH && settled === q })
  // A failed search leaves the local results (null); no answer yet is undefined.
  return isError ? null : data
}

function Chips({ legend, items, selected, onToggle, limit }: { legend: string; items: Facet[]; selected: string[]; onToggle: (v: string) => void; limit?: number }) {
  const [all, setAll] = useState(false)
  const shown = all || !limit ? items : [...items].sort((a, b) => b.count - a.count).slice(0, limit)
  const extra = shown.length < items.length
  const visible = new Set(shown.map((i) => i.value))
  // Selected values stay visible even when collapsed.
  const rest = items.filter((i) => selected.includes(i.value) && !visible.has(i.value))
  return (
    <fieldset className="chips">
      <legend>{legend}</legend>
      {[...rest, ...shown].map((i) => (
        <button key={i.value} type="button" className="chip" aria-pressed={selected.includes(i.value)} onClick={() => onToggle(i.value)}>
          {i.label} <span className="count">{i.count}</span>
        </button>
      ))}
      {(extra || all) && limit && (
        <button type="button" className="link-button" aria-expanded={all} onClick={() => setAll(!all)}>
          {all ? 'Fewer' : `All ${items.length} ${legend.toLowerCase()}`}
        </button>
      )}
    </fieldset>
  )
}

const route = getRouteApi('/')

export function DirectoryPage() {
  const { data: clubs, error, isPending, refetch } = useQuery(clubsQuery)
  const navigate = useNavigate()
  const search = route.useSearch()
  // The filters are the URL's; typing changes them at once and the URL follows.
  const [filters, setFilters] = useUrlState(
    useMemo(() => parseFilters(search), [search]),
    (f) => stringifySearch(filtersToSearch(f)),
    (f) => void navigate({ to: '/', search: filtersToSearch(f), replace: true, resetScroll: false }),
  )
  // Typing stays responsive: the list re-filters at a lower priority than the input.
  const deferred = useDeferredValue(filters)
  const options = useMemo(() => facets(clubs ?? []), [clubs])
  const sorted = useMemo(() => sortClubs([...(clubs ?? [])], deferred.sort), [clubs, deferred.sort])
  // Local filtering answers every keystroke at once; the server's ranking replaces it when it lands.
  const local = useMemo(() => filterClubs(sorted, deferred), [sorted, deferred])
  const liveRanking = useRanking(filters.q.trim())
  const q = deferred.q.trim()
  // The ranking applies once the list shows the same words (typing re-filters at low priority).
  const ranking = q === filters.q.trim() ? liveRanking : undefined
  const byCode = useMemo(() => new Map((clubs ?? []).map((c) => [c.code, c])), [clubs])
  const results = useMemo(() => {
    if (!ranking || q.length < MIN_SEARCH) return local
    // The loaded list's own objects where it has the club, so cards are not rebuilt.
    const ranked = ranking.map((c) => byCode.get(c.code) ?? c)
    return withRanking(ranked, local, deferred)
  }, [local, ranking, q, byCode, deferred])
  const searching = q.length >= MIN_SEARCH && ranking === undefined
  const [showFilters, setShowFilters] = useState(false)
  const rendered = useRef(false)

  useEffect(() => {
    document.title = 'Quad — clubs'
  }, [])
  useEffect(() => {
    if (clubs && !rendered.current) {
      rendered.current = true
      performance.mark?.('quad:directory-rendered')
    }
  }, [clubs])

  const update = (patch: Partial<Filters>) => setFilters({ ...filters, ...patch })
  const toggleIn = (key: 'tags' | 'badges' | 'sizes', v: string) =>
    update({ [key]: filters[key].includes(v) ? filters[key].filter((x) => x !== v) : [...filters[key], v] })
  const active = activeFilterCount(filters)

  return (
    <div className="directory">
      <h1 className="visually-hidden">Club directory</h1>
      <div className="directory-bar" role="search">
        <label htmlFor="club-search" className="visually-hidden">
          Search clubs
        </label>
        <input
          id="club-search"
          type="search"
          placeholder="Search clubs, tags, interests…"
          value={filters.q}
          onChange={(e) => update({ q: e.target.value })}
          autoComplete="off"
        />
        <button type="button" className="filters-toggle" aria-expanded={showFilters} aria-controls="filters" onClick={() => setShowFilters(!showFilters)}>
          Filters{active ? ` (${active})` : ''}
        </button>
        <div className="view-switch" role="group" aria-label="View">
          <button type="button" aria-pressed={filters.view === 'cards'} onClick={() => update({ view: 'cards' })}>
            Cards
          </button>
          <button type="button" aria-pressed={filters.view === 'list'} onClick={() => update({ view: 'list' })}>
            List
          </button>
        </div>
      </div>
      <div className="directory-body">
        <aside id="filters" className={`filters${showFilters ? ' open' : ''}`} aria-label="Filters">
          <div className="filter-toggles">
            <label>
              <input type="checkbox" checked={filters.recruiting} onChange={(e) => update({ recruiting: e.target.checked })} /> Accepting members
            </label>
            <label>
              <input type="checkbox" checked={filters.open} onChange={(e) => update({ open: e.target.checked })} /> Applications open
            </label>
          </div>
          <div className="filter-selects">
            <label>
              Your school
              <select value={filters.school} onChange={(e) => update({ school: e.target.value })}>
                <option value="">Any school</option>
                {options.schools.map((s) => (
                  <option key={s}>{s}</option>
                ))}
              </select>
            </label>
            <label>
              Your year of study
              <select value={filters.year ?? ''} onChange={(e) => update({ year: e.target.value ? Number(e.target.value) : null })}>
                <option value="">Any year</option>
                {options.years.map((y) => (
                  <option key={y} value={y}>
                    Year {y}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Sort by
              <select value={filters.sort} onChange={(e) => update({ sort: e.target.value as Filters['sort'] })}>
                <option value="alpha">{filters.q.trim().length >= MIN_SEARCH ? 'Best match' : 'Name'}</option>
                <option value="bookmarks">Most bookmarked</option>
                <option value="updated">Recently updated</option>
              </select>
            </label>
          </div>
          <fieldset className="chips">
            <legend>Size</legend>
            {Object.entries(SIZE_LABELS).map(([v, label]) => (
              <button key={v} type="button" className="chip" aria-pressed={filters.sizes.includes(v)} onClick={() => toggleIn('sizes', v)}>
                {label}
              </button>
            ))}
          </fieldset>
          {options.badges.length > 0 && <Chips legend="Badges" items={options.badges} selected={filters.badges} onToggle={(v) => toggleIn('badges', v)} />}
          <Chips legend="Tags" items={options.tags} selected={filters.tags} onToggle={(v) => toggleIn('tags', v)} limit={TAGS_SHOWN} />
          {active > 0 && (
            <button type="button" className="link-button" onClick={() => update({ ...EMPTY_FILTERS, q: filters.q, view: filters.view, sort: filters.sort })}>
              Clear filters
            </button>
          )}
        </aside>
        <section
          className="results-section"
          aria-labelledby="results-count"
          data-query={deferred.q}
          data-view={deferred.view}
          data-ranked={ranking && q.length >= MIN_SEARCH ? 'server' : 'local'}
        >
          <h2 id="results-count" className="results-count" aria-live="polite">
            {clubs && !(searching && results.length === 0) ? `${results.length} ${results.length === 1 ? 'club' : 'clubs'}` : 'Clubs'}
          </h2>
          {error && <ErrorMessage error={error} retry={() => void refetch()} />}
          {isPending && <Loading label="Loading clubs…" />}
          {clubs && results.length === 0 && searching && (
            <p className="empty" role="status">
              Searching…
            </p>
          )}
          {clubs && results.length === 0 && !searching && <p className="empty">No club matches these filters. Try fewer filters or another word.</p>}
          {clubs && results.length > 0 && <Results clubs={results} view={deferred.view} />}
        </section>
      </div>
    </div>
  )
}
