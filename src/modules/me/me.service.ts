import type { Static } from '@sinclair/typebox'
import type { QuadDb } from '../../db/database.js'
import { fail } from '../../errors.js'
import type { Runtime } from '../../runtime.js'
import type { SessionUser } from '../auth/session.js'
import type { ProfilePatch } from './me.schema.js'

const PROFILE = ['id', 'email', 'name', 'graduation_year', 'school', 'major', 'time_zone', 'profile_public', 'oidc_subject'] as const

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

const view = ({ oidc_subject, ...p }: { oidc_subject: string | null } & Record<string, unknown>) => ({ ...p, sso_linked: oidc_subject !== null })

export async function getProfile(db: QuadDb, user: SessionUser) {
  return view(await db.selectFrom('users').where('id', '=', user.id).select(PROFILE).executeTakeFirstOrThrow())
}

export async function updateProfile(rt: Runtime, user: SessionUser, patch: Static<typeof ProfilePatch>) {
  const set: Record<string, unknown> = {}
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
  for (const k of ['graduation_year', 'profile_public'] as const) if (patch[k] !== undefined) set[k] = patch[k]
  for (const k of ['school', 'major'] as const) if (patch[k] !== undefined) set[k] = patch[k]?.trim() || null
  // Through write(): a user's name shows on cached club pages.
  const row = await rt.write((trx) =>
    trx.updateTable('users').set({ ...set, updated_at: new Date() }).where('id', '=', user.id).returning(PROFILE).executeTakeFirstOrThrow(),
  )
  return view(row)
}
