import type { QuadDb } from '../../db/database.js'
import * as repo from './analytics.repository.js'

export const DEFAULT_DAYS = 30
const TOP_TERMS = 100

/** A club's page views per day and their total. */
export async function clubViews(db: QuadDb, clubId: number, days = DEFAULT_DAYS) {
  const views = await repo.clubVisits(db, clubId, days)
  return { views, total: views.reduce((n, r) => n + r.views, 0) }
}

export async function searchTerms(db: QuadDb, days = DEFAULT_DAYS) {
  return { terms: await repo.topSearchTerms(db, days, TOP_TERMS) }
}
