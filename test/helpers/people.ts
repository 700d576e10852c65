import type { FastifyInstance } from 'fastify'
import type { Role } from '../../src/db/types.js'
import { hashPassword } from '../../src/modules/auth/password.js'
import type { Runtime } from '../../src/runtime.js'
import { Client } from './session.js'

export const PEOPLE_PASSWORD = 'people-password-123'
let hash: Promise<string> | null = null

/** Creates an account (through write(), so cached pages that show names stay right). */
export async function makeUser(rt: Runtime, email: string, opts: { name?: string; approver?: boolean; admin?: boolean } = {}): Promise<number> {
  hash ??= hashPassword(PEOPLE_PASSWORD)
  const password_hash = await hash
  return rt.write(async (trx) => {
    const row = await trx
      .insertInto('users')
      .values({ email, name: opts.name ?? email.split('@')[0]!, password_hash, is_approver: opts.approver ?? false, is_admin: opts.admin ?? false })
      .returning('id')
      .executeTakeFirstOrThrow()
    return row.id
  })
}

export async function setRole(rt: Runtime, clubId: number, userId: number, role: Role | null, title = '') {
  await rt.write(async (trx) => {
    if (role === null) await trx.deleteFrom('memberships').where('club_id', '=', clubId).where('user_id', '=', userId).execute()
    else
      await trx
        .insertInto('memberships')
        .values({ club_id: clubId, user_id: userId, role, title })
        .onConflict((oc) => oc.columns(['club_id', 'user_id']).doUpdateSet({ role, title, active: true }))
        .execute()
  })
}

export const signedIn = (app: FastifyInstance, email: string, password = PEOPLE_PASSWORD) => new Client(app).login(email, password)

/** An anonymous client holding a CSRF cookie, like a browser that loaded the app. */
export async function anonymous(app: FastifyInstance): Promise<Client> {
  const c = new Client(app)
  await c.get('/api/me')
  return c
}

export async function count(rt: Runtime, table: string, where: Record<string, unknown> = {}): Promise<number> {
  let q = rt.db.selectFrom(table as 'users').select((eb) => eb.fn.countAll<number>().as('n'))
  for (const [k, v] of Object.entries(where)) q = q.where(k as 'id', v === null ? 'is' : '=', v as never)
  return Number((await q.executeTakeFirstOrThrow()).n)
}

/** A fresh approved public club owned by `ownerId`. */
export async function makeClub(rt: Runtime, code: string, ownerId: number, opts: { status?: 'approved' | 'pending'; name?: string } = {}): Promise<number> {
  return rt.write(async (trx) => {
    const c = await trx
      .insertInto('clubs')
      .values({ code, name: opts.name ?? `Club ${code}`, status: opts.status ?? 'approved', approved_at: new Date(), description: '<p>Hello</p>' })
      .returning('id')
      .executeTakeFirstOrThrow()
    await trx.insertInto('memberships').values({ club_id: c.id, user_id: ownerId, role: 'owner', title: 'President' }).execute()
    return c.id
  })
}
