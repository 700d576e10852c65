import type { QuadDb } from '../../db/database.js'
import type { SessionUser } from '../auth/session.js'

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
  return db.connection().execute(async (conn) => {
    const out: Record<string, unknown> = {}
    for (const [name, s] of sections) out[name] = await s.load(conn, user)
    return out
  })
}

// The sections of this module: what a user follows, belongs to and asked to join.
registerOverlaySection('bookmarks', async (db, user) =>
  (await db.selectFrom('bookmarks as b').innerJoin('clubs as c', 'c.id', 'b.club_id').where('b.user_id', '=', user.id).where('c.archived_at', 'is', null).select('c.code').orderBy('c.code').execute()).map((r) => r.code),
)
registerOverlaySection('subscriptions', async (db, user) =>
  (await db.selectFrom('subscriptions as s').innerJoin('clubs as c', 'c.id', 's.club_id').where('s.user_id', '=', user.id).where('c.archived_at', 'is', null).select('c.code').orderBy('c.code').execute()).map((r) => r.code),
)
registerOverlaySection('memberships', (db, user) =>
  db
    .selectFrom('memberships as m')
    .innerJoin('clubs as c', 'c.id', 'm.club_id')
    .where('m.user_id', '=', user.id)
    .where('m.active', '=', true)
    .where('c.archived_at', 'is', null)
    .select(['c.code as club', 'm.role', 'm.title', 'm.is_public'])
    .orderBy('c.code')
    .execute(),
)
registerOverlaySection('requests', (db, user) =>
  db
    .selectFrom('membership_requests as r')
    .innerJoin('clubs as c', 'c.id', 'r.club_id')
    .where('r.user_id', '=', user.id)
    .where('r.status', '=', 'pending')
    .where('c.archived_at', 'is', null)
    .select(['r.id', 'c.code as club', 'r.created_at'])
    .orderBy('r.created_at')
    .execute(),
)
