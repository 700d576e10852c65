/** What approvers and administrators read (per viewer). */
import { queryOptions } from '@tanstack/react-query'
import * as api from '../api/staff.js'

export const approvalsQuery = queryOptions({ queryKey: ['private', 'admin', 'approvals'], queryFn: () => api.listApprovals() })
export const adminCyclesQuery = queryOptions({ queryKey: ['private', 'admin', 'cycles'], queryFn: () => api.listCycles() })
export const cycleProgressQuery = (id: number) => queryOptions({ queryKey: ['private', 'admin', 'cycles', id, 'progress'], queryFn: () => api.cycleProgress(id) })
export const adminTagsQuery = queryOptions({ queryKey: ['private', 'admin', 'tags'], queryFn: () => api.adminTags() })
export const adminBadgesQuery = queryOptions({ queryKey: ['private', 'admin', 'badges'], queryFn: () => api.adminBadges() })
