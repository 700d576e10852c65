/** Approvers' and administrators' calls: approvals, taxonomy, cycles and operations. */
import { call } from './client.js'
import type * as T from './types.js'

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

// ---- cycles (admins) ----------------------------------------------------------------------
export const listCycles = () => call('get', '/api/admin/cycles')
export const createCycle = (body: T.CycleBody) => call('post', '/api/admin/cycles', { body })
export const updateCycle = (id: number, body: T.Body<'patchAdminCyclesById'>) => call('patch', '/api/admin/cycles/{id}', { path: { id }, body })
export const cycleProgress = (id: number) => call('get', '/api/admin/cycles/{id}/progress', { path: { id } })

// ---- operations (admins) ------------------------------------------------------------------
export const opsSummary = () => call('get', '/api/admin/ops')
