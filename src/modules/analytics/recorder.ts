import type { QuadDb } from '../../db/database.js'
import * as repo from './analytics.repository.js'

const day = (d = new Date()) => d.toISOString().slice(0, 10)

/**
 * Club page views and search terms, counted in memory and written in one statement per table every
 * few seconds: a page view on deadline day costs no database write of its own.
 */
export class AnalyticsRecorder {
  private views = new Map<string, number>()
  private searches = new Map<string, number>()
  private readonly timer: NodeJS.Timeout

  constructor(
    private readonly db: QuadDb,
    flushEveryMs = 10_000,
    private readonly onError: (err: unknown) => void = () => {},
  ) {
    this.timer = setInterval(() => void this.flush().catch(onError), flushEveryMs)
    this.timer.unref()
  }

  view(code: string): void {
    this.views.set(code, (this.views.get(code) ?? 0) + 1)
  }

  search(term: string): void {
    const t = term.trim().toLowerCase().slice(0, 200)
    if (t) this.searches.set(t, (this.searches.get(t) ?? 0) + 1)
  }

  async flush(): Promise<void> {
    const views = this.views
    const searches = this.searches
    this.views = new Map()
    this.searches = new Map()
    const today = day()
    if (views.size) await repo.addClubVisits(this.db, today, views)
    if (searches.size) await repo.addSearchTerms(this.db, today, searches)
  }

  async close(): Promise<void> {
    clearInterval(this.timer)
    await this.flush().catch(this.onError)
  }
}
