import { type Kysely, sql } from 'kysely'

// The mail sender leases rows instead of holding a transaction open while it talks to SMTP:
// next_attempt_at is when a queued row is due, or when a 'sending' lease lapses (its sender is
// presumed dead and the row is claimed again); failures back off by moving it forward.
const UP = `
alter table email_outbox add column next_attempt_at timestamptz not null default now();
drop index email_outbox_queued_idx;
create index email_outbox_due_idx on email_outbox (next_attempt_at, id) where status in ('queued', 'sending');
`

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(UP).execute(db)
}
