import type { Expression } from 'kysely'
import type { QuadDb } from '../../db/database.js'
import type { SessionUser } from '../auth/session.js'
import * as repo from './me.repository.js'

/**
 * One part of GET /api/me/overlay: per-user state the web app merges onto cached pages, as an SQL
 * expression over the user's id (a module's repository builds it). Every section goes into one
 * statement, so the overlay costs one query however many modules add to it.
 */
export type OverlaySection = (userId: number) => Expression<unknown>

const sections = new Map<string, OverlaySection>()

/**
 * Lets any module add its own per-user bits (e.g. application drafts) without touching this
 * file. Registering a name again replaces the section (each app instance registers on build);
 * null removes it.
 */
export function registerOverlaySection(name: string, section: OverlaySection | null): void {
  if (section) sections.set(name, section)
  else sections.delete(name)
}

/** The session lookup (when this instance does not know the session yet) and the one statement. */
export const OVERLAY_BUDGET = 2

export function buildOverlay(db: QuadDb, user: SessionUser): Promise<Record<string, unknown>> {
  return repo.overlay(db, user.id, sections)
}

// The sections of this module: what a user follows, belongs to and asked to join.
registerOverlaySection('bookmarks', repo.bookmarkedCodes)
registerOverlaySection('subscriptions', repo.subscribedCodes)
registerOverlaySection('memberships', repo.activeMemberships)
registerOverlaySection('requests', repo.pendingRequests)
