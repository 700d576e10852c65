import { LRUCache } from 'lru-cache'
import MiniSearch, { type Query } from 'minisearch'
import { synonymsOf } from './search-synonyms.js'

/** What search reads of one club. */
export interface SearchDoc {
  id: number
  name: string
  subtitle: string
  /** Tag and badge names. */
  tags: string
  category: string
  description: string
}

const STOP = new Set(['a', 'an', 'and', 'the', 'of', 'for', 'to', 'in', 'on', 'at', 'with', 'club', 'clubs', 'society', 'group', 'team'])

/** Lower case without accents, so "societe" finds "Société". */
export const fold = (s: string) =>
  s
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')

const tokenize = (s: string) => fold(s).split(/[^\p{L}\p{N}]+/u).filter(Boolean)

const textOf = (d: SearchDoc) => [d.name, d.subtitle, d.tags, d.category, d.description].join('\u0000')

/** Text of sanitized rich text, for indexing only. */
export function plainText(html: string): string {
  return html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(amp|lt|gt|quot|#39|nbsp);/g, ' ')
    .slice(0, 4000)
}

/**
 * Ranked club search over name, subtitle, tags, category and description words: prefix matches
 * while typing, typo tolerance for longer words, field boosts, and topic synonyms (music finds
 * a cappella and jazz clubs). Every query word must match (itself or a synonym).
 */
export class ClubSearch {
  private readonly index = new MiniSearch<SearchDoc>({
    fields: ['name', 'subtitle', 'tags', 'category', 'description'],
    tokenize,
    processTerm: (t) => (t.length > 1 || /\d/.test(t) ? t : null),
    autoVacuum: { minDirtCount: 200, minDirtFactor: 0.2 },
  })
  /** The indexed text of each club: an update that leaves it alone keeps every answer. */
  private readonly texts = new Map<number, string>()
  /** Answers until the indexed text changes (counters and flags do not touch it). */
  private readonly answers = new LRUCache<string, Map<number, number>>({ max: 2000 })

  add(doc: SearchDoc): void {
    const text = textOf(doc)
    if (this.texts.get(doc.id) === text) return
    this.texts.set(doc.id, text)
    this.answers.clear()
    if (this.index.has(doc.id)) this.index.replace(doc)
    else this.index.add(doc)
  }

  addAll(docs: SearchDoc[]): void {
    for (const d of docs) this.texts.set(d.id, textOf(d))
    this.answers.clear()
    this.index.addAll(docs)
  }

  remove(id: number): void {
    if (!this.texts.delete(id)) return
    this.answers.clear()
    if (this.index.has(id)) this.index.discard(id)
  }

  /** Club ids with their scores, best first; empty when the query has no searchable word. */
  search(text: string): Map<number, number> {
    let out = this.answers.get(text)
    if (!out) this.answers.set(text, (out = this.run(text)))
    return out
  }

  private run(text: string): Map<number, number> {
    const all = tokenize(text).filter((w) => w.length > 1 || /\d/.test(w))
    // Filler words are left out, unless they are all there is ("club").
    const content = all.filter((w) => !STOP.has(w))
    const words = content.length ? content : all
    if (!words.length) return new Map()
    const query: Query = {
      combineWith: 'AND',
      queries: words.map((w) => ({
        combineWith: 'OR',
        queries: [
          { queries: [w], prefix: true, fuzzy: w.length >= 4 ? 0.2 : false },
          ...synonymsOf(w).map((s) => ({ queries: [s], prefix: s.length >= 4, boost: { name: 2.5, tags: 1.5, subtitle: 1.2, category: 1, description: 0.3 } })),
        ],
      })),
    }
    const out = new Map<number, number>()
    for (const r of this.index.search(query, { boost: { name: 4, tags: 2.5, subtitle: 2, category: 1.5, description: 0.5 } })) out.set(r.id as number, r.score)
    return out
  }
}
