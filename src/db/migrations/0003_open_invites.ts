import { type Kysely, sql } from 'kysely'

// One open invite per (club, email): a double-clicked "invite" creates one token and one email.
// Expired invites are revoked by the next invite to the same address, which frees the slot.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create unique index invites_one_open on invites (club_id, email) where used_at is null and revoked_at is null`.execute(db)
}
