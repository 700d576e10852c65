import type { QuadDb } from '../../db/database.js'
import type { Trx } from '../../db/write.js'

/** The new account's id, or undefined when the email is taken (a double click inserts once). */
export async function createPasswordUser(db: QuadDb, u: { email: string; name: string; passwordHash: string }): Promise<number | undefined> {
  const row = await db
    .insertInto('users')
    .values({ email: u.email, name: u.name, password_hash: u.passwordHash })
    .onConflict((oc) => oc.column('email').doNothing())
    .returning('id')
    .executeTakeFirst()
  return row?.id
}

export function credentialsByEmail(db: QuadDb, email: string) {
  return db.selectFrom('users').where('email', '=', email).select(['id', 'password_hash']).executeTakeFirst()
}

export async function userIdByEmail(db: QuadDb, email: string): Promise<number | undefined> {
  return (await db.selectFrom('users').where('email', '=', email).select('id').executeTakeFirst())?.id
}

// Sessions

export async function insertSession(db: QuadDb, s: { id: string; userId: number; csrfToken: string; expiresAt: Date; userAgent: string | null }): Promise<void> {
  await db.insertInto('sessions').values({ id: s.id, user_id: s.userId, csrf_token: s.csrfToken, expires_at: s.expiresAt, user_agent: s.userAgent }).execute()
}

/** Revocation as one statement (see writeOne): every instance drops the session before it returns. */
export const revokeSession = (id: string, at: Date) => (db: QuadDb) =>
  db.updateTable('sessions').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).returning('id')

/** The live (unrevoked, unexpired) session with this id, with its user. */
export function liveSession(db: QuadDb, id: string, now: Date) {
  return db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .where('s.id', '=', id)
    .where('s.revoked_at', 'is', null)
    .where('s.expires_at', '>', now)
    .select(['u.id', 'u.email', 'u.name', 'u.is_admin', 'u.is_approver', 's.id as session_id', 's.csrf_token', 's.expires_at'])
    .executeTakeFirst()
}

// Identities of the university's identity provider

export async function userIdBySubject(trx: Trx, subject: string): Promise<number | undefined> {
  return (await trx.selectFrom('users').where('oidc_subject', '=', subject).select('id').executeTakeFirst())?.id
}

/** Locked: two first sign-ins of one person must not both link it. */
export function userByEmailForUpdate(trx: Trx, email: string) {
  return trx.selectFrom('users').where('email', '=', email).select(['id', 'oidc_subject']).forUpdate().executeTakeFirst()
}

export async function setSubject(trx: Trx, userId: number, subject: string): Promise<void> {
  await trx.updateTable('users').set({ oidc_subject: subject, updated_at: new Date() }).where('id', '=', userId).execute()
}

/** The new account's id, or undefined when a concurrent sign-in created it first. */
export async function createSsoUser(trx: Trx, u: { email: string; name: string; subject: string }): Promise<number | undefined> {
  const row = await trx.insertInto('users').values({ email: u.email, name: u.name, oidc_subject: u.subject }).onConflict((oc) => oc.doNothing()).returning('id').executeTakeFirst()
  return row?.id
}
