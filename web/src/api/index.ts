/**
 * Every call the web app makes, in one module: pages import these functions, never URLs, so an
 * API change is adapted here once.
 */
import { del, get, patch, post, put, request, withQuery } from './client.js'
import type * as T from './types.js'

export * from './client.js'
export type * from './types.js'

// ---- session ------------------------------------------------------------------------------
export const getMe = () => get<T.Me>('/api/me')
export const login = (email: string, password: string) => post<{ ok: boolean }>('/api/auth/login', { email, password })
export const signup = (email: string, password: string, name: string) => post<{ ok: boolean }>('/api/auth/signup', { email, password, name })
export const logout = () => post<{ ok: boolean }>('/api/auth/logout')
export const devLogin = (email: string) => post<{ ok: boolean }>('/api/auth/dev-login', { email })

// ---- directory (public, cached) -----------------------------------------------------------
/** The whole directory in one cached response; the client filters it. */
export const listClubs = (signal?: AbortSignal) => get<{ clubs: T.ClubSummary[]; total: number }>('/api/clubs', { signal })
export const getClub = (code: string, signal?: AbortSignal) => get<T.ClubDetail>(`/api/clubs/${encodeURIComponent(code)}`, { signal })
export const listTags = () => get<{ tags: T.Tag[] }>('/api/tags')
export const listBadges = () => get<{ badges: T.Badge[] }>('/api/badges')
export const listEvents = (club?: string) => get<{ events: T.AppEvent[] }>(withQuery('/api/events', { club }))

// ---- private overlay ----------------------------------------------------------------------
interface OverlayWire {
  bookmarks?: (string | { code: string })[]
  subscriptions?: (string | { code: string })[]
  memberships?: { code?: string; club?: string; role: T.Role }[]
  requests?: (string | { code?: string; club?: string })[]
  applications?: { application_id?: number; id?: number; state?: string; submitted_at?: string | null }[]
}
const codeOf = (x: string | { code?: string; club?: string }) => (typeof x === 'string' ? x : (x.code ?? x.club ?? ''))

export function parseOverlay(w: OverlayWire): T.Overlay {
  return {
    bookmarks: new Set((w.bookmarks ?? []).map(codeOf)),
    subscriptions: new Set((w.subscriptions ?? []).map(codeOf)),
    roles: new Map((w.memberships ?? []).map((m) => [codeOf(m), m.role])),
    requests: new Set((w.requests ?? []).map(codeOf)),
    applications: new Map(
      (w.applications ?? []).map((a) => [Number(a.application_id ?? a.id), a.state === 'submitted' || a.submitted_at ? 'submitted' : 'draft']),
    ),
  }
}
export const getOverlay = async () => parseOverlay(await get<OverlayWire>('/api/me/overlay'))

const club = (code: string) => `/api/clubs/${encodeURIComponent(code)}`
export const setBookmark = (code: string, on: boolean) => (on ? put(`${club(code)}/bookmark`) : del(`${club(code)}/bookmark`))
export const setSubscription = (code: string, on: boolean) => (on ? put(`${club(code)}/subscription`) : del(`${club(code)}/subscription`))

// ---- profile ------------------------------------------------------------------------------
export const getProfile = () => get<T.Profile>('/api/me/profile')
export const updateProfile = (p: Partial<T.Profile>) => patch<T.Profile>('/api/me/profile', p)

// ---- membership ---------------------------------------------------------------------------
export const requestMembership = (code: string, message: string) => post(`${club(code)}/requests`, { message })
export const leaveClub = (code: string) => del(`${club(code)}/membership`)
export const listMembers = (code: string) => get<{ members: T.Member[] }>(`${club(code)}/members`)
export const updateMember = (code: string, userId: number, p: Partial<Pick<T.Member, 'role' | 'title' | 'is_public'>>) =>
  patch(`${club(code)}/members/${userId}`, p)
export const removeMember = (code: string, userId: number) => del(`${club(code)}/members/${userId}`)
export const listRequests = (code: string) => get<{ requests: T.MembershipRequest[] }>(`${club(code)}/requests`)
export const decideRequest = (code: string, id: number, accept: boolean) => post(`${club(code)}/requests/${id}/${accept ? 'accept' : 'decline'}`)
export const listInvites = (code: string) => get<{ invites: T.Invite[] }>(`${club(code)}/invites`)
export const createInvite = (code: string, body: { email: string; role: T.Role; title: string }) =>
  post<T.Invite & { token?: string; url?: string }>(`${club(code)}/invites`, body)
export const revokeInvite = (code: string, id: number) => del(`${club(code)}/invites/${id}`)

// ---- club management ----------------------------------------------------------------------
/** The officer's editable view of a club (pending changes included). */
export const getClubForEdit = (code: string) => get<T.ClubDetail & { pending_revision?: Record<string, unknown> | null; status?: string }>(`${club(code)}/manage`)
export const updateClub = (code: string, changes: Record<string, unknown>) => patch<T.ClubEditResult>(club(code), changes)
export const createEvent = (code: string, e: Partial<T.ClubEvent>) => post<T.ClubEvent>(`${club(code)}/events`, e)
export const updateEvent = (id: number, e: Partial<T.ClubEvent>) => patch<T.ClubEvent>(`/api/events/${id}`, e)
export const deleteEvent = (id: number) => del(`/api/events/${id}`)

// ---- approvals and taxonomy (staff) -------------------------------------------------------
export const listApprovals = () => get<{ approvals: T.Approval[] }>('/api/approvals')
export const decideApproval = (id: number, approve: boolean, comment: string) =>
  post(`/api/approvals/${id}/${approve ? 'approve' : 'reject'}`, { comment })
export const createTag = (name: string) => post<T.Tag>('/api/tags', { name })
export const deleteTag = (slug: string) => del(`/api/tags/${encodeURIComponent(slug)}`)
export const createBadge = (b: { name: string; description: string; color: string }) => post<T.Badge>('/api/badges', b)
export const deleteBadge = (slug: string) => del(`/api/badges/${encodeURIComponent(slug)}`)

// ---- applications (students) --------------------------------------------------------------
export const getApplication = (id: number) => get<T.ApplicationForm>(`/api/applications/${id}`)
export const getDraft = (id: number) => get<T.Draft>(`/api/applications/${id}/draft`)
export const saveDraft = (id: number, d: Pick<T.Draft, 'answers' | 'committee_ids'>) => put<T.Draft>(`/api/applications/${id}/draft`, d)
export const submitApplication = (id: number, d: Pick<T.Draft, 'answers' | 'committee_ids'>, idempotencyKey: string) =>
  post<T.Receipt>(`/api/applications/${id}/submit`, { ...d, idempotency_key: idempotencyKey })
export const myApplications = () => get<{ applications: T.MyApplication[] }>('/api/me/applications')

// ---- applications (officers) --------------------------------------------------------------
export const listClubApplications = (code: string) => get<{ applications: T.OfficerApplication[] }>(`${club(code)}/applications`)
export const createApplication = (code: string, body: Record<string, unknown>) => post<T.ApplicationForm>(`${club(code)}/applications`, body)
export const updateApplication = (id: number, body: Record<string, unknown>) => patch<T.ApplicationForm>(`/api/applications/${id}`, body)
export const duplicateApplication = (id: number, cycleId: number | null) => post<T.ApplicationForm>(`/api/applications/${id}/duplicate`, { cycle_id: cycleId })
export const listSubmissions = (id: number, filter: { status?: string; committee?: number }) =>
  get<{ submissions: T.ReviewSubmission[]; questions: T.Question[]; committees: T.Committee[] }>(
    withQuery(`/api/applications/${id}/submissions`, filter),
  )
export const updateSubmission = (id: number, p: Partial<Pick<T.ReviewSubmission, 'status' | 'reason' | 'notes' | 'score'>>) =>
  patch<T.ReviewSubmission>(`/api/submissions/${id}`, p)
export const bulkUpdateSubmissions = (appId: number, ids: number[], status: T.SubmissionStatus) =>
  post<{ updated: number }>(`/api/applications/${appId}/submissions/bulk`, { ids, status })
export const submissionsCsvUrl = (appId: number) => `/api/applications/${appId}/submissions.csv`
export const listExtensions = (appId: number) => get<{ extensions: T.Extension[] }>(`/api/applications/${appId}/extensions`)
export const grantExtension = (appId: number, body: { email: string; ends_at: string; reason: string }) =>
  post<T.Extension>(`/api/applications/${appId}/extensions`, body)
export const sendDecisions = (appId: number, dryRun: boolean, resend = false) =>
  post<T.DecisionPreview>(`/api/applications/${appId}/decisions`, { dry_run: dryRun, resend })

// ---- cycles (admins) ----------------------------------------------------------------------
export const listCycles = () => get<{ cycles: T.Cycle[] }>('/api/cycles')
export const createCycle = (c: Omit<T.Cycle, 'id'>) => post<T.Cycle>('/api/cycles', c)
export const updateCycle = (id: number, c: Partial<T.Cycle>) => patch<T.Cycle>(`/api/cycles/${id}`, c)
export const cycleProgress = (id: number) => get<T.CycleProgress>(`/api/cycles/${id}/progress`)

// ---- operations (admins) ------------------------------------------------------------------
export const opsSummary = () => get<T.OpsSummary>('/api/admin/ops')

export { request }
