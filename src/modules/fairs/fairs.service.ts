import type { QuadDb } from '../../db/database.js'
import { notFound } from '../../errors.js'
import * as repo from './fairs.repository.js'

export async function listFairs(db: QuadDb) {
  return { fairs: await repo.allFairs(db) }
}

/** A fair with its registered public clubs; 404 for an unknown id. */
export async function fairDetail(db: QuadDb, id: number) {
  const fair = await repo.fairById(db, id)
  if (!fair) throw notFound('Fair')
  return { ...fair, clubs: await repo.registeredClubs(db, id) }
}
