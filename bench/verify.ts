import type { QuadDb } from '../src/db/database.js'
import type { WriteKind } from './load/ledger.js'

/** Looks up every acknowledged write; a durable store finds all of them. */
export async function verifyWrites(db: QuadDb, acknowledged: Partial<Record<WriteKind, string[]>>): Promise<Record<string, { acknowledged: number; found: number }>> {
  const out: Record<string, { acknowledged: number; found: number }> = {}
  for (const [kind, keys] of Object.entries(acknowledged) as [WriteKind, string[]][]) {
    out[kind] = { acknowledged: keys.length, found: keys.length ? await found(db, kind, keys) : 0 }
  }
  return out
}

async function found(db: QuadDb, kind: WriteKind, keys: string[]): Promise<number> {
  const n = (q: { n: unknown } | undefined) => Number(q?.n ?? 0)
  switch (kind) {
    case 'submission': {
      const ids = keys.map(Number).filter(Number.isInteger)
      return n(await db.selectFrom('submissions').where('id', 'in', ids).where('submitted_at', 'is not', null).select((eb) => eb.fn.countAll().as('n')).executeTakeFirst())
    }
    case 'signup':
      return n(await db.selectFrom('users').where('email', 'in', keys).select((eb) => eb.fn.countAll().as('n')).executeTakeFirst())
    case 'bookmark': {
      // "user:club" pairs the server confirmed as bookmarked and the client never removed.
      let total = 0
      for (let i = 0; i < keys.length; i += 5000) {
        const pairs = keys.slice(i, i + 5000).map((k) => k.split(':').map(Number) as [number, number])
        total += n(
          await db
            .selectFrom('bookmarks')
            .where((eb) => eb.or(pairs.map(([u, c]) => eb.and([eb('user_id', '=', u), eb('club_id', '=', c)]))))
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirst(),
        )
      }
      return total
    }
  }
}
