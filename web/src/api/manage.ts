/** Club officers' calls: the club, its people and events, its applications and their review. */
import { call, href } from './client.js'
import type * as T from './types.js'

// ---- members, requests and invites --------------------------------------------------------
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
export const subscribersCsvUrl = (code: string) => href('/api/clubs/{code}/subscribers/export', { path: { code } })

// ---- club management ----------------------------------------------------------------------
/** The officer's (or approver's) view of a club: every field and the pending revision. */
export const getClubForEdit = (code: string) => call('get', '/api/clubs/{code}/manage', { path: { code } }) as Promise<T.ManageView>
export const updateClub = (code: string, body: T.ClubPatch) => call('patch', '/api/clubs/{code}', { path: { code }, body })
export const createEvent = (code: string, body: T.EventBody) => call('post', '/api/clubs/{code}/events', { path: { code }, body })
export const deleteEvent = (code: string, id: number) => call('delete', '/api/clubs/{code}/events/{id}', { path: { code, id } })

// ---- applications (officers) --------------------------------------------------------------
export const listClubApplications = (code: string) => call('get', '/api/clubs/{code}/applications', { path: { code } })
export const createApplication = (code: string, body: T.NewApplication) => call('post', '/api/clubs/{code}/applications', { path: { code }, body })
export const getManagedApplication = (id: number) => call('get', '/api/applications/{id}/manage', { path: { id } })
export const updateApplication = (id: number, body: T.Body<'patchApplicationsById'>) => call('patch', '/api/applications/{id}', { path: { id }, body })
export const duplicateApplication = (id: number, cycleId: number | null) =>
  call('post', '/api/applications/{id}/duplicate', { path: { id }, body: cycleId ? { cycle_id: cycleId } : {} })

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

export { type BuilderState, saveBuilder } from './builder.js'
