import type { FastifyInstance } from 'fastify'
import { privateRoute } from '../../http/private-route.js'
import { requireChanges } from '../../http/schemas.js'
import { myFollows } from '../follows/follows.service.js'
import { FollowedClubList, Overlay, Profile, ProfilePatch } from './me.schema.js'
import { getProfile, updateProfile } from './me.service.js'
import { buildOverlay, OVERLAY_BUDGET } from './overlay.js'

/**
 * Query budgets: session + one query; the profile change is session + one transaction (begin,
 * update, own-outbox read, commit); the overlay is one statement whatever sections modules add.
 */
export const ME_BUDGETS = { profile: 2, updateProfile: 5, bookmarks: 2, subscriptions: 2, overlay: OVERLAY_BUDGET } as const

export async function meRoutes(app: FastifyInstance) {
  const { db, write } = app.privateDeps
  const tags = ['me']

  privateRoute(app, {
    method: 'GET',
    url: '/api/me/profile',
    summary: 'My profile',
    tags,
    access: 'user',
    response: Profile,
    queryBudget: ME_BUDGETS.profile,
    errors: [],
    handler: ({ viewer }) => getProfile(db, viewer),
  })
  privateRoute(app, {
    method: 'PATCH',
    url: '/api/me/profile',
    summary: 'Change my name, graduation year, school, major, time zone or profile visibility',
    tags,
    access: 'user',
    body: ProfilePatch,
    response: Profile,
    queryBudget: ME_BUDGETS.updateProfile,
    errors: [],
    handler: ({ viewer, body }) => updateProfile({ write }, viewer, requireChanges(body)),
  })
  privateRoute(app, {
    method: 'GET',
    url: '/api/me/bookmarks',
    summary: 'Clubs I bookmarked',
    tags,
    access: 'user',
    response: FollowedClubList,
    queryBudget: ME_BUDGETS.bookmarks,
    errors: [],
    handler: async ({ viewer }) => ({ clubs: await myFollows(db, viewer, 'bookmarks') }),
  })
  privateRoute(app, {
    method: 'GET',
    url: '/api/me/subscriptions',
    summary: 'Clubs I subscribed to',
    tags,
    access: 'user',
    response: FollowedClubList,
    queryBudget: ME_BUDGETS.subscriptions,
    errors: [],
    handler: async ({ viewer }) => ({ clubs: await myFollows(db, viewer, 'subscriptions') }),
  })
  privateRoute(app, {
    method: 'GET',
    url: '/api/me/overlay',
    summary: 'Per-user state to merge onto cached pages: bookmarks, subscriptions, memberships, pending requests, and sections other modules register',
    tags,
    access: 'user',
    response: Overlay,
    queryBudget: ME_BUDGETS.overlay,
    errors: [],
    handler: async ({ viewer }) => ({ user_id: viewer.id, sections: await buildOverlay(db, viewer) }),
  })
}
