/** The calls every page may make: the session, the public directory and club pages, and the viewer's overlay. */
import { call } from './client.js'
import type * as T from './types.js'

// ---- session ------------------------------------------------------------------------------
export const getMe = () => call('get', '/api/me')
export const login = (body: T.Body<'postAuthLogin'>) => call('post', '/api/auth/login', { body })
export const signup = (body: T.Body<'postAuthSignup'>) => call('post', '/api/auth/signup', { body })
export const logout = () => call('post', '/api/auth/logout')
export const devLogin = (email: string) => call('post', '/api/auth/dev-login', { body: { email } })

// ---- public pages (cached) ----------------------------------------------------------------
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
export const publicCycles = () => call('get', '/api/cycles')
/** An application's form: public, cached with zero staleness. */
export const getApplication = (id: number) => call('get', '/api/applications/{id}', { path: { id } })
export const previewInvite = (token: string) => call('get', '/api/invites/{token}', { path: { token } })

// ---- private overlay ----------------------------------------------------------------------
export const getOverlay = () => call('get', '/api/me/overlay')
export const setBookmark = (code: string, on: boolean) => call(on ? 'put' : 'delete', '/api/clubs/{code}/bookmark', { path: { code } })
export const setSubscription = (code: string, on: boolean) => call(on ? 'put' : 'delete', '/api/clubs/{code}/subscription', { path: { code } })
