import type { Static } from '@sinclair/typebox'
import type { QuadDb } from '../../db/database.js'
import type { Trx } from '../../db/write.js'
import { fail } from '../../errors.js'
import type { SessionUser } from '../auth/session.js'
import * as repo from './me.repository.js'
import type { ProfilePatch } from './me.schema.js'

/** The canonical IANA name of a zone ("europe/paris" -> "Europe/Paris"), or null if unknown. */
export function canonicalTimeZone(tz: string): string | null {
  // Offsets and abbreviations ("+02:00", "EST5EDT" aside) are not zones people live in.
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(tz)) return null
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: tz }).resolvedOptions().timeZone
  } catch {
    return null
  }
}

const view = <R extends { oidc_subject: string | null }>({ oidc_subject, ...p }: R) => ({ ...p, sso_linked: oidc_subject !== null })

export async function getProfile(db: QuadDb, user: SessionUser) {
  return view(await repo.profileRow(db, user.id))
}

export async function updateProfile(deps: { write<T>(fn: (trx: Trx) => Promise<T>): Promise<T> }, user: SessionUser, patch: Static<typeof ProfilePatch>) {
  const set: repo.ProfileChanges = {}
  if (patch.name !== undefined) {
    const name = patch.name.trim()
    if (!name) throw fail('VALIDATION_FAILED', 'Name cannot be blank', [{ field: 'name', code: 'BLANK', message: 'must not be blank' }])
    set.name = name
  }
  if (patch.time_zone !== undefined) {
    const tz = canonicalTimeZone(patch.time_zone)
    if (!tz) throw fail('VALIDATION_FAILED', 'Unknown time zone', [{ field: 'time_zone', code: 'TIME_ZONE', message: 'must be an IANA time zone such as Europe/Paris' }])
    set.time_zone = tz
  }
  if (patch.graduation_year !== undefined) set.graduation_year = patch.graduation_year
  if (patch.profile_public !== undefined) set.profile_public = patch.profile_public
  for (const k of ['school', 'major'] as const) if (patch[k] !== undefined) set[k] = patch[k]?.trim() || null
  // Through write(): a user's name shows on cached club pages.
  return view(await deps.write((trx) => repo.updateProfileRow(trx, user.id, set, new Date())))
}
