/** Reads that belong to the signed-in viewer (keys under 'private': dropped when the session changes). */
import { queryOptions } from '@tanstack/react-query'
import * as api from '../api/index.js'
import type { ReviewFilter } from '../api/types.js'

// ---- the viewer's own ----------------------------------------------------------------------
export const profileQuery = queryOptions({ queryKey: ['private', 'profile'], queryFn: () => api.getProfile() })
export const myApplicationsQuery = queryOptions({ queryKey: ['private', 'my-applications'], queryFn: () => api.myApplications() })
/** The viewer's draft or submission; null before they start one. */
export const draftQuery = (id: number) =>
  queryOptions({
    queryKey: ['private', 'draft', id],
    queryFn: () => api.getDraft(id).catch((e: unknown) => (e instanceof api.ApiError && e.status === 404 ? null : Promise.reject(e))),
  })

// ---- club management -----------------------------------------------------------------------
export const manageQuery = (code: string) => queryOptions({ queryKey: ['private', 'club', code, 'manage'], queryFn: () => api.getClubForEdit(code) })
export const membersQuery = (code: string) => queryOptions({ queryKey: ['private', 'club', code, 'members'], queryFn: () => api.listMembers(code) })
export const requestsQuery = (code: string) => queryOptions({ queryKey: ['private', 'club', code, 'requests'], queryFn: () => api.listRequests(code) })
export const invitesQuery = (code: string) => queryOptions({ queryKey: ['private', 'club', code, 'invites'], queryFn: () => api.listInvites(code) })
export const clubApplicationsQuery = (code: string) => queryOptions({ queryKey: ['private', 'club', code, 'applications'], queryFn: () => api.listClubApplications(code) })

// ---- applications (officers) ---------------------------------------------------------------
export const managedApplicationQuery = (id: number) => queryOptions({ queryKey: ['private', 'application', id, 'manage'], queryFn: () => api.getManagedApplication(id) })
export const submissionsQuery = (id: number, filter: ReviewFilter) =>
  queryOptions({ queryKey: ['private', 'application', id, 'submissions', filter], queryFn: () => api.listSubmissions(id, filter) })
export const extensionsQuery = (id: number) => queryOptions({ queryKey: ['private', 'application', id, 'extensions'], queryFn: () => api.listExtensions(id) })

// ---- staff -----------------------------------------------------------------------------------
export const approvalsQuery = queryOptions({ queryKey: ['private', 'admin', 'approvals'], queryFn: () => api.listApprovals() })
export const adminCyclesQuery = queryOptions({ queryKey: ['private', 'admin', 'cycles'], queryFn: () => api.listCycles() })
export const cycleProgressQuery = (id: number) => queryOptions({ queryKey: ['private', 'admin', 'cycles', id, 'progress'], queryFn: () => api.cycleProgress(id) })
export const adminTagsQuery = queryOptions({ queryKey: ['private', 'admin', 'tags'], queryFn: () => api.adminTags() })
export const adminBadgesQuery = queryOptions({ queryKey: ['private', 'admin', 'badges'], queryFn: () => api.adminBadges() })
