/** The signed-in viewer's own answers (keys under 'private': dropped when the session changes). */
import { queryOptions } from '@tanstack/react-query'
import * as api from '../api/account.js'
import { ApiError } from '../api/client.js'

export const profileQuery = queryOptions({ queryKey: ['private', 'profile'], queryFn: () => api.getProfile() })
export const myApplicationsQuery = queryOptions({ queryKey: ['private', 'my-applications'], queryFn: () => api.myApplications() })
/** The viewer's draft or submission; null before they start one. */
export const draftQuery = (id: number) =>
  queryOptions({
    queryKey: ['private', 'draft', id],
    queryFn: () => api.getDraft(id).catch((e: unknown) => (e instanceof ApiError && e.status === 404 ? null : Promise.reject(e))),
  })
