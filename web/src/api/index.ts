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
/** The whole directory in one cached response (compact cards); the client filters it. */
export const listClubs = (signal?: AbortSignal) => get<T.ClubListResponse>('/api/clubs', { signal })
/**
 * The server's ranked search (prefixes, typos, description words, topic synonyms), as cards in
 * relevance order. The server also counts the search term for its analytics, so a search the
 * directory sends here is recorded once, with no separate call.
 */
export const searchClubs = (q: string, signal?: AbortSignal) => get<T.ClubListResponse>(withQuery('/api/clubs', { q: q.slice(0, 100) }), { signal })
export const getClub = (code: string, signal?: AbortSignal) => get<T.ClubDetail>(`/api/clubs/${encodeURIComponent(code)}`, { signal })
export const listTags = () => get<{ tags: T.Tag[] }>('/api/tags')
export const listBadges = () => get<{ badges: T.Badge[] }>('/api/badges')
export const listEvents = (club?: string) => get<{ events: T.AppEvent[] }>(withQuery('/api/events', { club }))

// ---- private overlay ----------------------------------------------------------------------
type Ref = string | { code?: string; club?: string }
interface OverlaySections {
  bookmarks?: Ref[]
  subscriptions?: Ref[]
  memberships?: ({ role: T.Role } & Exclude<Ref, string>)[]
  requests?: Ref[]
  applications?: { application_id?: number; id?: number; state?: string; submitted_at?: string | null }[]
}
const codeOf = (x: Ref) => (typeof x === 'string' ? x : (x.code ?? x.club ?? ''))

/** GET /api/me/overlay answers { user_id, sections: { name: data } }; modules add sections. */
export function parseOverlay(w: { sections?: OverlaySections } & OverlaySections): T.Overlay {
  const o = w.sections ?? w
  return {
    bookmarks: new Set((o.bookmarks ?? []).map(codeOf)),
    subscriptions: new Set((o.subscriptions ?? []).map(codeOf)),
    roles: new Map((o.memberships ?? []).map((m) => [codeOf(m), m.role])),
    requests: new Set((o.requests ?? []).map(codeOf)),
    applications: new Map(
      (o.applications ?? []).map((a) => [Number(a.application_id ?? a.id), a.state === 'submitted' || a.submitted_at ? 'submitted' : 'draft']),
    ),
  }
}
export const getOverlay = async () => parseOverlay(await get('/api/me/overlay'))

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
export const createInvite = (code: string, body: { email: string; role: T.Role; title: string }) => post<T.Invite>(`${club(code)}/invites`, body)
export const revokeInvite = (code: string, id: number) => del(`${club(code)}/invites/${id}`)
export const previewInvite = (token: string) =>
  get<{ club: { code: string; name: string }; role: string; title: string; expires_at: string; state: 'open' | 'used' | 'revoked' | 'expired' }>(
    `/api/invites/${encodeURIComponent(token)}`,
  )
export const acceptInvite = (token: string) => post('/api/invites/accept', { token })
export const subscribersCsvUrl = (code: string) => `${club(code)}/subscribers/export`

// ---- club management ----------------------------------------------------------------------
/** The officer's (or approver's) view of a club: every field and the pending revision. */
export const getClubForEdit = (code: string) => get<T.ManageView>(`${club(code)}/manage`)
export const updateClub = (code: string, changes: Record<string, unknown>) => patch<T.ClubEditResult>(club(code), changes)
export const createEvent = (code: string, e: Partial<T.ClubEvent>) => post<T.ClubEvent>(`${club(code)}/events`, e)
export const updateEvent = (code: string, id: number, e: Partial<T.ClubEvent>) => patch<T.ClubEvent>(`${club(code)}/events/${id}`, e)
export const deleteEvent = (code: string, id: number) => del(`${club(code)}/events/${id}`)

// ---- approvals and taxonomy (staff) -------------------------------------------------------
export const listApprovals = () => get<{ items: T.ApprovalItem[] }>('/api/admin/approvals')
export const decideApproval = (item: Pick<T.ApprovalItem, 'kind' | 'id' | 'club'>, approve: boolean, comment: string) =>
  post(
    item.kind === 'club'
      ? `/api/admin/approvals/clubs/${encodeURIComponent(item.club.code)}/${approve ? 'approve' : 'reject'}`
      : `/api/admin/approvals/revisions/${item.id}/${approve ? 'approve' : 'reject'}`,
    comment ? { comment } : {},
  )
export const adminTags = () => get<{ tags: T.AdminTag[] }>('/api/admin/tags')
export const createTag = (name: string) => post<T.AdminTag>('/api/admin/tags', { name })
export const deleteTag = (id: number) => del(`/api/admin/tags/${id}`)
export const adminBadges = () => get<{ badges: T.AdminBadge[] }>('/api/admin/badges')
export const createBadge = (b: { name: string; description: string; color: string }) => post<T.AdminBadge>('/api/admin/badges', b)
export const updateBadge = (id: number, b: Partial<Pick<T.AdminBadge, 'name' | 'description' | 'color' | 'hidden'>>) => patch<T.AdminBadge>(`/api/admin/badges/${id}`, b)
export const deleteBadge = (id: number) => del(`/api/admin/badges/${id}`)

// ---- applications (students) --------------------------------------------------------------
export const getApplication = (id: number) => get<T.ApplicationForm>(`/api/applications/${id}`)
export const getDraft = (id: number) => get<T.OwnDraft>(`/api/applications/${id}/draft`)
export const saveDraft = (id: number, c: T.Content) => put<T.DraftSaved>(`/api/applications/${id}/draft`, c)
export const submitApplication = (id: number, c: T.Content, idempotencyKey: string) =>
  post<T.Receipt>(`/api/applications/${id}/submit`, c, { headers: { 'idempotency-key': idempotencyKey } })
export const myApplications = () => get<{ time_zone: string; applications: T.MyApplication[] }>('/api/me/applications')

// ---- applications (officers) --------------------------------------------------------------
export const publicCycles = () => get<{ cycles: T.PublicCycle[] }>('/api/cycles')
export const listClubApplications = (code: string) => get<{ applications: T.OfficerApplication[] }>(`${club(code)}/applications`)
export const createApplication = (code: string, body: Record<string, unknown>) => post<T.ManagedApplication>(`${club(code)}/applications`, body)
export const getManagedApplication = (id: number) => get<T.ManagedApplication>(`/api/applications/${id}/manage`)
export const updateApplication = (id: number, body: Record<string, unknown>) => patch<T.ManagedApplication>(`/api/applications/${id}`, body)
export const duplicateApplication = (id: number, cycleId: number | null) =>
  post<T.ManagedApplication>(`/api/applications/${id}/duplicate`, cycleId ? { cycle_id: cycleId } : {})

/** The builder's edits, saved as the per-item calls the API offers (in one order that always holds). */
export interface BuilderState {
  committees: (Omit<T.Committee, 'id'> & { id?: number })[]
  questions: (Omit<T.Question, 'id' | 'choices' | 'position'> & { id?: number; choices: { id?: number; label: string }[] })[]
}
export async function saveBuilder(appId: number, before: T.ManagedApplication, after: BuilderState): Promise<void> {
  const base = `/api/applications/${appId}`
  // Committees first: new questions may point at new committees (by position until they have ids).
  const committeeIds: number[] = []
  for (const [i, c] of after.committees.entries()) {
    if (c.id) {
      const old = before.committees.find((x) => x.id === c.id)
      if (old && (old.name !== c.name || old.description !== c.description)) await patch(`${base}/committees/${c.id}`, { name: c.name, description: c.description })
      committeeIds.push(c.id)
    } else {
      committeeIds.push((await post<T.Committee>(`${base}/committees`, { name: c.name, description: c.description, position: i })).id)
    }
  }
  const keptQuestions = new Set(after.questions.map((q) => q.id).filter(Boolean))
  for (const q of before.questions) if (!keptQuestions.has(q.id)) await del(`${base}/questions/${q.id}`)
  const order: number[] = []
  for (const q of after.questions) {
    const body = {
      prompt: q.prompt,
      word_limit: q.type === 'free_response' ? q.word_limit : null,
      required: q.required,
      committee_ids: q.committee_ids.filter((id) => committeeIds.includes(id)),
    }
    const choices = q.type === 'single_choice' || q.type === 'multi_choice' ? q.choices.filter((c) => c.label.trim()) : []
    if (q.id) {
      const old = before.questions.find((x) => x.id === q.id)!
      const changed =
        old.prompt !== body.prompt ||
        old.word_limit !== body.word_limit ||
        old.required !== body.required ||
        JSON.stringify([...old.committee_ids].sort()) !== JSON.stringify([...body.committee_ids].sort()) ||
        JSON.stringify(old.choices.map((c) => c.label)) !== JSON.stringify(choices.map((c) => c.label))
      if (changed) await patch(`${base}/questions/${q.id}`, { ...body, ...(choices.length ? { choices } : {}) })
      order.push(q.id)
    } else {
      const created = await post<T.Question>(`${base}/questions`, { type: q.type, ...body, ...(choices.length ? { choices: choices.map((c) => c.label) } : {}) })
      order.push(created.id)
    }
  }
  const removedCommittees = before.committees.filter((c) => !committeeIds.includes(c.id))
  for (const c of removedCommittees) await del(`${base}/committees/${c.id}`)
  if (order.length) await put(`${base}/questions/order`, { question_ids: order })
}

export const listSubmissions = (id: number, filter: { status?: string; committee?: number }) =>
  get<T.ReviewList>(withQuery(`/api/applications/${id}/submissions`, filter))
export const setSubmissionStatus = (id: number, status: T.SubmissionStatus, reason?: string) =>
  patch<{ id: number; status: T.SubmissionStatus; reason: string }>(`/api/submissions/${id}`, reason === undefined ? { status } : { status, reason })
export const addReviewNote = (id: number, body: string, score: number | null) => post<T.ReviewNote>(`/api/submissions/${id}/notes`, { body, score })
export const bulkUpdateSubmissions = (appId: number, ids: number[], status: T.SubmissionStatus) =>
  post<{ updated: number }>(`/api/applications/${appId}/submissions/status`, { submission_ids: ids, status })
export const submissionsCsvUrl = (appId: number, filter: { status?: string; committee?: number } = {}) =>
  withQuery(`/api/applications/${appId}/submissions.csv`, filter)
export const listExtensions = (appId: number) => get<{ extensions: T.Extension[] }>(`/api/applications/${appId}/extensions`)
export const grantExtension = (appId: number, body: { email: string; ends_at: string; reason: string }) =>
  post<T.Extension>(`/api/applications/${appId}/extensions`, body)
export const revokeExtension = (appId: number, userId: number) => del(`/api/applications/${appId}/extensions/${userId}`)
export const sendDecisions = (appId: number, dryRun: boolean) => post<T.DecisionPlan>(`/api/applications/${appId}/decisions/send`, { dry_run: dryRun })
export const resendDecisions = (appId: number, ids: number[], dryRun: boolean) =>
  post<T.DecisionPlan>(`/api/applications/${appId}/decisions/resend`, { submission_ids: ids, dry_run: dryRun })

// ---- cycles (admins) ----------------------------------------------------------------------
export const listCycles = () => get<{ cycles: T.Cycle[] }>('/api/admin/cycles')
export const createCycle = (c: Omit<T.Cycle, 'id'>) => post<T.Cycle>('/api/admin/cycles', c)
export const updateCycle = (id: number, c: Partial<T.Cycle>) => patch<{ cycle: T.Cycle; moved_applications: number }>(`/api/admin/cycles/${id}`, c)
export const cycleProgress = (id: number) => get<T.CycleProgress>(`/api/admin/cycles/${id}/progress`)

// ---- operations (admins) ------------------------------------------------------------------
export const opsSummary = () => get<T.OpsSummary>('/api/admin/ops')

export { request }
