import type { QuadDb } from '../../db/database.js'
import { notFound } from '../../errors.js'
import type { SessionUser } from '../auth/session.js'
import * as repo from './follows.repository.js'

export type { FollowKind } from './follows.repository.js'

export interface FollowDeps {
  db: QuadDb
  writeOne<R>(build: (db: QuadDb) => { execute(): Promise<R[]> }): Promise<R[]>
}

/** Follow or unfollow a public club; the club_stats trigger keeps the public count right. */
export async function setFollow(deps: FollowDeps, user: SessionUser, code: string, kind: repo.FollowKind, on: boolean): Promise<void> {
  const clubId = await repo.publicClubId(deps.db, code)
  if (clubId === undefined) throw notFound('Club')
  await deps.writeOne(on ? repo.addFollow(kind, user.id, clubId) : repo.removeFollow(kind, user.id, clubId))
}

/** The user's followed clubs that are still public, newest first. */
export const myFollows = (db: QuadDb, user: SessionUser, kind: repo.FollowKind) => repo.followedClubs(db, user.id, kind)

export const subscribers = (db: QuadDb, clubId: number) => repo.subscribersOf(db, clubId)
