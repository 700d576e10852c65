import { type Static, Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import { ErrorResponse, requireChanges } from '../../http/schemas.js'
import { requireUser } from '../auth/guard.js'
import { myFollows } from '../follows/follows.service.js'
import { FollowedClub, Profile, ProfilePatch } from './me.schema.js'
import { getProfile, updateProfile } from './me.service.js'
import { buildOverlay, overlayBudget } from './overlay.js'

/**
 * Query budgets: session + one query; the profile change is session + one transaction (begin,
 * update, own-outbox read, commit); the overlay's budget grows with its registered sections.
 */
export const ME_BUDGETS = { profile: 2, updateProfile: 5, bookmarks: 2, subscriptions: 2, overlay: overlayBudget } as const

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse }

export async function meRoutes(app: FastifyInstance) {
  const rt = app.runtime
  const tags = ['me']
  app.addHook('onSend', async (req, reply, payload) => {
    if (req.url.startsWith('/api/me/')) reply.header('cache-control', 'private, no-store')
    return payload
  })

  app.get('/api/me/profile', { config: { queryBudget: ME_BUDGETS.profile }, schema: { summary: 'My profile', tags, response: { 200: Profile, ...errors } } }, async (req) => getProfile(rt.db, await requireUser(req)))
  app.patch<{ Body: Static<typeof ProfilePatch> }>(
    '/api/me/profile',
    { config: { queryBudget: ME_BUDGETS.updateProfile }, schema: { summary: 'Change my name, graduation year, school, major, time zone or profile visibility', tags, body: ProfilePatch, response: { 200: Profile, ...errors } } },
    async (req) => updateProfile(rt, await requireUser(req), requireChanges(req.body)),
  )
  app.get('/api/me/bookmarks', { config: { queryBudget: ME_BUDGETS.bookmarks }, schema: { summary: 'Clubs I bookmarked', tags, response: { 200: Type.Object({ clubs: Type.Array(FollowedClub) }), ...errors } } }, async (req) => ({
    clubs: await myFollows(rt.db, await requireUser(req), 'bookmarks'),
  }))
  app.get('/api/me/subscriptions', { config: { queryBudget: ME_BUDGETS.subscriptions }, schema: { summary: 'Clubs I subscribed to', tags, response: { 200: Type.Object({ clubs: Type.Array(FollowedClub) }), ...errors } } }, async (req) => ({
    clubs: await myFollows(rt.db, await requireUser(req), 'subscriptions'),
  }))
  app.get(
    '/api/me/overlay',
    {
      config: { queryBudget: ME_BUDGETS.overlay },
      schema: {
        summary: 'Per-user state to merge onto cached pages: bookmarks, subscriptions, memberships, pending requests, and sections other modules register',
        tags,
        response: { 200: Type.Object({ user_id: Type.Integer(), sections: Type.Record(Type.String(), Type.Unknown()) }), ...errors },
      },
    },
    async (req) => {
      const user = await requireUser(req)
      return { user_id: user.id, sections: await buildOverlay(rt.db, user) }
    },
  )
}
