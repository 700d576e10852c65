import type { QuadDb } from '../../db/database.js'
import type { SessionUser } from '../auth/session.js'
import * as repo from './me.repository.js'

/** One part of GET /api/me/overlay: per-user state the web app merges onto cached pages. */
export interface OverlaySection {
  load(db: QuadDb, user: SessionUser): Promise<unknown>
  /** SQL queries the section runs at most; the route's budget is the sum plus the session lookup. */
  queries: number
}

const sections = new Map<string, OverlaySection>()

/**
 * Lets any module add its own per-user bits (e.g. application drafts) without touching this
 * file. Registering a name again replaces the section (each app instance registers on build).
 */
export function registerOverlaySection(name: string, load: OverlaySection['load'], opts: { queries?: number } = {}): void {
  sections.set(name, { load, queries: opts.queries ?? 1 })
}

export const overlaySections = (): ReadonlyMap<string, OverlaySection> => sections

/** The session lookup plus every section's declared queries. */
export const overlayBudget = () => 1 + [...sections.values()].reduce((n, s) => n + s.queries, 0)

/**
 * Every page view asks for the overlay, so it holds one pooled connection, not one per section:
 * the sections (each a small indexed query by user id) run one after another on it.
 */
export async function buildOverlay(db: QuadDb, user: SessionUser): Promise<Record<string, unknown>> {
  return repo.onOneConnection(db, async (conn) => {
    const out: Record<string, unknown> = {}
    for (const [name, s] of sections) out[name] = await s.load(conn, user)
    return out
  })
}

// The sections of this module: what a user follows, belongs to and asked to join.
registerOverlaySection('bookmarks', (db, user) => repo.bookmarkedCodes(db, user.id))
registerOverlaySection('subscriptions', (db, user) => repo.subscribedCodes(db, user.id))
registerOverlaySection('memberships', (db, user) => repo.activeMemberships(db, user.id))
registerOverlaySection('requests', (db, user) => repo.pendingRequests(db, user.id))
