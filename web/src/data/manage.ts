/** What club officers read: the club's settings, people, applications and submissions (per viewer). */
import { queryOptions } from '@tanstack/react-query'
import * as api from '../api/manage.js'
import type { ReviewFilter } from '../api/types.js'

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
