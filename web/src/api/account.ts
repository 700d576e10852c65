/** The signed-in viewer's own calls: profile, memberships and applications. */
import { call } from './client.js'
import type * as T from './types.js'

// ---- profile ------------------------------------------------------------------------------
export const getProfile = () => call('get', '/api/me/profile')
export const updateProfile = (body: T.ProfilePatch) => call('patch', '/api/me/profile', { body })

// ---- membership ---------------------------------------------------------------------------
export const requestMembership = (code: string, message: string) => call('post', '/api/clubs/{code}/requests', { path: { code }, body: { message } })
export const leaveClub = (code: string) => call('delete', '/api/clubs/{code}/membership', { path: { code } })
export const acceptInvite = (token: string) => call('post', '/api/invites/accept', { body: { token } })

// ---- applications (students) --------------------------------------------------------------
export const getDraft = (id: number) => call('get', '/api/applications/{id}/draft', { path: { id } })
export const saveDraft = (id: number, body: T.Content) => call('put', '/api/applications/{id}/draft', { path: { id }, body })
export const submitApplication = (id: number, body: T.Content, idempotencyKey: string) =>
  call('post', '/api/applications/{id}/submit', { path: { id }, body, header: { 'idempotency-key': idempotencyKey } })
export const myApplications = () => call('get', '/api/me/applications')

