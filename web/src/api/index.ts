/**
 * Every call the web app makes, in one module: pages import these functions, never URLs, so an
 * API change is adapted here once (and the generated types make the compiler find it).
 */
import { call, href } from './client.js'
import type * as T from './types.js'

export * from './client.js'
export type * from './types.js'

// ---- session ------------------------------------------------------------------------------
export const getMe = () => call('get', '/api/me')
export const login = (body: T.Body<'postAuthLogin'>) => call('post', '/api/auth/login', { body })
export const signup = (body: T.Body<'postAuthSignup'>) => call('post', '/api/auth/signup', { body })
export const logout = () => call('post', '/api/auth/logout')
export const devLogin = (email: string) => call('post', '/api/auth/dev-login', { body: { email } })

// ---- directory (public, cached) -----------------------------------------------------------
/** The whole directory in one cached response (compact cards); the client filters it. */
export const listClubs = (signal?: AbortSignal) => call('get', '/api/clubs', { signal })
/**
 * The server's ranked search (prefixes, typos, description words, topic synonyms), as cards in
 * relevance order. The server also counts the search term for its analytics, so a search the
 * directory sends here is recorded once, with no separate call.
 */
export const searchClubs = (q: string, signal?: AbortSignal) => call('get', '/api/clubs', { query: { q: q.slice(0, 100) }, signal })
export const getClub = (code: string, signal?: AbortSignal) => call('get', '/api/clubs/{code}', { path: { code }, signal })
export const listTags = () => call('get', '/api/tags')

// ---- private overlay ----------------------------------------------------------------------
export const getOverlay = () => call('get', '/api/me/overlay')
export const setBookmark = (code: string, on: boolean) => call(on ? 'put' : 'delete', '/api/clubs/{code}/bookmark', { path: { code } })
export const setSubscription = (code: string, on: boolean) => call(on ? 'put' : 'delete', '/api/clubs/{code}/subscription', { path: { code } })

// ---- profile ------------------------------------------------------------------------------
export const getProfile = () => call('get', '/api/me/profile')
export const updateProfile = (body: T.ProfilePatch) => call('patch', '/api/me/profile', { body })

// ---- membership ---------------------------------------------------------------------------
export const requestMembership = (code: string, message: string) => call('post', '/api/clubs/{code}/requests', { path: { code }, body: { message } })
export const leaveClub = (code: string) => call('delete', '/api/clubs/{code}/membership', { path: { code } })
export const listMembers = (code: string) => call('get', '/api/clubs/{code}/members', { path: { code } })
export const updateMember = (code: string, userId: number, body: T.MemberPatch) =>
  call('patch', '/api/clubs/{code}/members/{userId}', { path: { code, userId }, body })
export const removeMember = (code: string, userId: number) => call('delete', '/api/clubs/{code}/members/{userId}', { path: { code, userId } })
export const listRequests = (code: string) => call('get', '/api/clubs/{code}/requests', { path: { code } })
export const decideRequest = (code: string, id: number, accept: boolean) =>
  call('post', accept ? '/api/clubs/{code}/requests/{id}/accept' : '/api/clubs/{code}/requests/{id}/decline', { path: { code, id } })
export const listInvites = (code: string) => call('get', '/api/clubs/{code}/invites', { path: { code } })
export const createInvite = (code: string, body: T.InviteBody) => call('post', '/api/clubs/{code}/invites', { path: { code }, body })
export const revokeInvite = (code: string, id: number) => call('delete', '/api/clubs/{code}/invites/{id}', { path: { code, id } })
export const previewInvite = (token: string) => call('get', '/api/invites/{token}', { path: { token } })
export const acceptInvite = (token: string) => call('post', '/api/invites/accept', { body: { token } })
export const subscribersCsvUrl = (code: string) => href('/api/clubs/{code}/subscribers/export', { path: { code } })

// ---- club management ----------------------------------------------------------------------
/** The officer's (or approver's) view of a club: every field and the pending revision. */
export const getClubForEdit = (code: string) => call('get', '/api/clubs/{code}/manage', { path: { code } }) as Promise<T.ManageView>
export const updateClub = (code: string, body: T.ClubPatch) => call('patch', '/api/clubs/{code}', { path: { code }, body })
export const createEvent = (code: string, body: T.EventBody) => call('post', '/api/clubs/{code}/events', { path: { code }, body })
export const deleteEvent = (code: string, id: number) => call('delete', '/api/clubs/{code}/events/{id}', { path: { code, id } })

// ---- approvals and taxonomy (staff) -------------------------------------------------------
export const listApprovals = () => call('get', '/api/admin/approvals')
export function decideApproval(item: Pick<T.ApprovalItem, 'kind' | 'id' | 'club'>, approve: boolean, comment: string) {
  if (item.kind === 'club') {
    const path = { code: item.club.code }
    return approve
      ? call('post', '/api/admin/approvals/clubs/{code}/approve', { path, body: comment ? { comment } : {} })
      : call('post', '/api/admin/approvals/clubs/{code}/reject', { path, body: { comment } })
  }
  const path = { id: item.id }
  return approve
    ? call('post', '/api/admin/approvals/revisions/{id}/approve', { path, body: comment ? { comment } : {} })
    : call('post', '/api/admin/approvals/revisions/{id}/reject', { path, body: { comment } })
}
export const adminTags = () => call('get', '/api/admin/tags')
export const createTag = (name: string) => call('post', '/api/admin/tags', { body: { name } })
export const deleteTag = (id: number) => call('delete', '/api/admin/tags/{id}', { path: { id } })
export const adminBadges = () => call('get', '/api/admin/badges')
export const createBadge = (body: T.BadgeBody) => call('post', '/api/admin/badges', { body })
export const updateBadge = (id: number, body: T.BadgePatch) => call('patch', '/api/admin/badges/{id}', { path: { id }, body })
export const deleteBadge = (id: number) => call('delete', '/api/admin/badges/{id}', { path: { id } })

// ---- applications (students) --------------------------------------------------------------
export const getApplication = (id: number) => call('get', '/api/applications/{id}', { path: { id } })
export const getDraft = (id: number) => call('get', '/api/applications/{id}/draft', { path: { id } })
export const saveDraft = (id: number, body: T.Content) => call('put', '/api/applications/{id}/draft', { path: { id }, body })
export const submitApplication = (id: number, body: T.Content, idempotencyKey: string) =>
  call('post', '/api/applications/{id}/submit', { path: { id }, body, header: { 'idempotency-key': idempotencyKey } })
export const myApplications = () => call('get', '/api/me/applications')

// ---- applications (officers) --------------------------------------------------------------
export const publicCycles = () => call('get', '/api/cycles')
export const listClubApplications = (code: string) => call('get', '/api/clubs/{code}/applications', { path: { code } })
export const createApplication = (code: string, body: T.NewApplication) => call('post', '/api/clubs/{code}/applications', { path: { code }, body })
export const getManagedApplication = (id: number) => call('get', '/api/applications/{id}/manage', { path: { id } })
export const updateApplication = (id: number, body: T.Body<'patchApplicationsById'>) => call('patch', '/api/applications/{id}', { path: { id }, body })
export const duplicateApplication = (id: number, cycleId: number | null) =>
  call('post', '/api/applications/{id}/duplicate', { path: { id }, body: cycleId ? { cycle_id: cycleId } : {} })
export { saveBuilder, type BuilderState } from './builder.js'

export const listSubmissions = (id: number, query: T.ReviewFilter) => call('get', '/api/applications/{id}/submissions', { path: { id }, query })
export const setSubmissionStatus = (id: number, status: T.SubmissionStatus, reason?: string) =>
  call('patch', '/api/submissions/{id}', { path: { id }, body: reason === undefined ? { status } : { status, reason } })
export const addReviewNote = (id: number, body: string, score: number | null) => call('post', '/api/submissions/{id}/notes', { path: { id }, body: { body, score } })
export const bulkUpdateSubmissions = (id: number, ids: number[], status: T.SubmissionStatus) =>
  call('post', '/api/applications/{id}/submissions/status', { path: { id }, body: { submission_ids: ids, status } })
export const submissionsCsvUrl = (id: number, query: T.ReviewFilter = {}) => href('/api/applications/{id}/submissions.csv', { path: { id }, query })
export const listExtensions = (id: number) => call('get', '/api/applications/{id}/extensions', { path: { id } })
export const grantExtension = (id: number, body: T.ExtensionBody) => call('post', '/api/applications/{id}/extensions', { path: { id }, body })
export const revokeExtension = (id: number, userId: number) => call('delete', '/api/applications/{id}/extensions/{userId}', { path: { id, userId } })
export const sendDecisions = (id: number, dryRun: boolean) => call('post', '/api/applications/{id}/decisions/send', { path: { id }, body: { dry_run: dryRun } })
export const resendDecisions = (id: number, ids: number[], dryRun: boolean) =>
  call('post', '/api/applications/{id}/decisions/resend', { path: { id }, body: { submission_ids: ids, dry_run: dryRun } })

// ---- cycles (admins) ----------------------------------------------------------------------
export const listCycles = () => call('get', '/api/admin/cycles')
export const createCycle = (body: T.CycleBody) => call('post', '/api/admin/cycles', { body })
export const updateCycle = (id: number, body: T.Body<'patchAdminCyclesById'>) => call('patch', '/api/admin/cycles/{id}', { path: { id }, body })
export const cycleProgress = (id: number) => call('get', '/api/admin/cycles/{id}/progress', { path: { id } })

// ---- operations (admins) ------------------------------------------------------------------
export const opsSummary = () => call('get', '/api/admin/ops')
