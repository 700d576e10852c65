/** The viewer's private state from GET /api/me/overlay, merged by the app over cached public pages. */
import type { OverlayResponse, Role } from './types.js'

/**
 * The sections the server registers (src/modules/me/overlay.ts and the submissions module). The
 * document types `sections` as an open map because modules add their own.
 */
export interface OverlaySections {
  bookmarks: string[]
  subscriptions: string[]
  memberships: { club: string; role: Role; title: string; is_public: boolean }[]
  requests: { id: number; club: string; created_at: string }[]
  applications: { application_id: number; state: 'draft' | 'submitted' }[]
}

export interface Overlay {
  bookmarks: Set<string>
  subscriptions: Set<string>
  roles: Map<string, Role>
  requests: Set<string>
  /** application id → state of the viewer's submission */
  applications: Map<number, 'draft' | 'submitted'>
}

export const EMPTY_OVERLAY: Overlay = { bookmarks: new Set(), subscriptions: new Set(), roles: new Map(), requests: new Set(), applications: new Map() }

export function parseOverlay(r: OverlayResponse): Overlay {
  const s = r.sections as Partial<OverlaySections>
  return {
    bookmarks: new Set(s.bookmarks),
    subscriptions: new Set(s.subscriptions),
    roles: new Map(s.memberships?.map((m) => [m.club, m.role])),
    requests: new Set(s.requests?.map((x) => x.club)),
    applications: new Map(s.applications?.map((a) => [a.application_id, a.state])),
  }
}
