import { type Kysely, sql } from 'kysely'

/**
 * Tables that shared (cacheable) responses may read, with the columns whose values become
 * dependency keys. `row` is the primary-key column (r:<table>:<id>); `partitions` are equality
 * columns (p:<table>:<col>=<value>). Database triggers emit exactly these keys, and the query
 * tracker refines a read to them only when the query constrains the table by one of them.
 * A cacheable handler reading any table not listed here fails: its freshness could not be known.
 */
export const CACHED_TABLES: Readonly<Record<string, { row?: string; partitions: readonly string[] }>> = {
  users: { row: 'id', partitions: [] },
  categories: { row: 'id', partitions: [] },
  clubs: { row: 'id', partitions: ['code'] },
  club_stats: { row: 'club_id', partitions: [] },
  club_parents: { partitions: ['club_id', 'parent_id'] },
  tags: { row: 'id', partitions: ['slug'] },
  club_tags: { partitions: ['club_id', 'tag_id'] },
  badges: { row: 'id', partitions: ['slug'] },
  club_badges: { partitions: ['club_id', 'badge_id'] },
  memberships: { row: 'id', partitions: ['club_id', 'user_id'] },
  events: { row: 'id', partitions: ['club_id'] },
  fairs: { row: 'id', partitions: [] },
  fair_registrations: { row: 'id', partitions: ['fair_id', 'club_id'] },
  faqs: { row: 'id', partitions: ['club_id'] },
  testimonials: { row: 'id', partitions: ['club_id'] },
  advisors: { row: 'id', partitions: ['club_id'] },
  club_files: { row: 'id', partitions: ['club_id'] },
  application_cycles: { row: 'id', partitions: [] },
  club_applications: { row: 'id', partitions: ['club_id', 'cycle_id'] },
  committees: { row: 'id', partitions: ['application_id'] },
  questions: { row: 'id', partitions: ['application_id'] },
  question_committees: { partitions: ['question_id', 'committee_id'] },
  question_choices: { row: 'id', partitions: ['question_id'] },
}

export function isCachedTable(table: string): boolean {
  return Object.prototype.hasOwnProperty.call(CACHED_TABLES, table)
}

/**
 * Tables that hold private or high-churn data: a shared (cacheable) response must never read
 * them. `feeds` names cached tables their triggers write: a write to them outside a write
 * transaction must wait for invalidation like a write to a cached table; the others need not.
 * `row` gives a private table row versions too (r:<table>:<id>), for values an instance keeps in
 * memory per viewer (signed-in sessions), which a change must reach on every instance.
 */
export const PRIVATE_TABLES: Readonly<Record<string, { feeds?: readonly string[]; row?: string }>> = {
  sessions: { row: 'id' },
  club_revisions: {},
  membership_requests: {},
  invites: {},
  bookmarks: { feeds: ['club_stats'] },
  subscriptions: {},
  extensions: {},
  submissions: {},
  submission_committees: {},
  responses: {},
  review_notes: {},
  email_outbox: {},
  club_visits: {},
  search_terms: {},
  cache_outbox: {},
}

export const isPrivateTable = (table: string) => Object.prototype.hasOwnProperty.call(PRIVATE_TABLES, table)

/** Whether a write to `table` changes what cached responses may show. Unknown tables: yes. */
export const writeMovesCache = (table: string) => !isPrivateTable(table) || (PRIVATE_TABLES[table]!.feeds?.length ?? 0) > 0

/** Installs (idempotently) the statement-level capture triggers for every versioned table. */
export async function syncCacheTriggers(db: Kysely<any>): Promise<void> {
  const versioned: [string, { row?: string; partitions: readonly string[] }][] = [
    ...Object.entries(CACHED_TABLES),
    ...Object.entries(PRIVATE_TABLES)
      .filter(([, s]) => s.row)
      .map(([t, s]) => [t, { row: s.row, partitions: [] }] as [string, { row?: string; partitions: readonly string[] }]),
  ]
  for (const [table, spec] of versioned) {
    const args = [spec.row ?? '', ...spec.partitions].map((a) => `'${a}'`).join(', ')
    const ddl = `
      drop trigger if exists quad_cache_ins on ${table};
      drop trigger if exists quad_cache_upd on ${table};
      drop trigger if exists quad_cache_del on ${table};
      drop trigger if exists quad_cache_trunc on ${table};
      create trigger quad_cache_ins after insert on ${table} referencing new table as new_rows
        for each statement execute function quad_cache_capture(${args});
      create trigger quad_cache_upd after update on ${table} referencing old table as old_rows new table as new_rows
        for each statement execute function quad_cache_capture(${args});
      create trigger quad_cache_del after delete on ${table} referencing old table as old_rows
        for each statement execute function quad_cache_capture(${args});
      create trigger quad_cache_trunc after truncate on ${table}
        for each statement execute function quad_cache_capture();`
    await sql.raw(ddl).execute(db)
  }
}
