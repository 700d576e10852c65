import { type Kysely, sql } from 'kysely'

// cache_outbox receives one row per dependency key touched by a committed statement. The xid
// column lets the invalidator read rows of late committers (ids are not in commit order).
//
// quad_cache_capture(rowkey, partition columns...) is attached per table by syncCacheTriggers.
// It writes: the table key t:<table>, the row key r:<table>:<pk> and p:<table>:<col>=<v> for the
// old and new value of each partition column. Truncate writes s:<table> (the structure key) too.
const UP = `
create table cache_outbox (
  id bigint generated always as identity primary key,
  dep text not null,
  xid xid8 not null default pg_current_xact_id(),
  created_at timestamptz not null default now()
);
create index cache_outbox_xid_idx on cache_outbox (xid);

create function quad_cache_capture() returns trigger language plpgsql as $fn$
declare
  parts text := '';
  col text;
  i int;
begin
  for i in 0 .. TG_NARGS - 1 loop
    col := TG_ARGV[i];
    if col = '' then continue; end if;
    if parts <> '' then parts := parts || ' union '; end if;
    if i = 0 then
      parts := parts || format('select %L || (%I)::text from %%1$s where %I is not null', 'r:' || TG_TABLE_NAME || ':', col, col);
    else
      parts := parts || format('select %L || (%I)::text from %%1$s where %I is not null', 'p:' || TG_TABLE_NAME || ':' || col || '=', col, col);
    end if;
  end loop;
  if TG_OP = 'TRUNCATE' then
    insert into cache_outbox (dep) values ('t:' || TG_TABLE_NAME), ('s:' || TG_TABLE_NAME);
    perform pg_notify('quad_cache', '');
    return null;
  end if;
  insert into cache_outbox (dep) values ('t:' || TG_TABLE_NAME);
  if parts <> '' then
    if TG_OP = 'INSERT' then
      execute 'insert into cache_outbox (dep) ' || format(parts, 'new_rows');
    elsif TG_OP = 'DELETE' then
      execute 'insert into cache_outbox (dep) ' || format(parts, 'old_rows');
    else
      execute 'insert into cache_outbox (dep) ' || format(parts, 'new_rows') || ' union ' || format(parts, 'old_rows');
    end if;
  end if;
  perform pg_notify('quad_cache', '');
  return null;
end
$fn$;

-- Denormalized counters shown in the directory, kept right for any writer.
create function quad_bookmark_count() returns trigger language plpgsql as $fn$
begin
  if TG_OP = 'INSERT' then
    insert into club_stats as s (club_id, bookmark_count) values (new.club_id, 1)
      on conflict (club_id) do update set bookmark_count = s.bookmark_count + 1;
  elsif TG_OP = 'DELETE' then
    update club_stats set bookmark_count = greatest(bookmark_count - 1, 0) where club_id = old.club_id;
  end if;
  return null;
end
$fn$;
create trigger bookmarks_count after insert or delete on bookmarks for each row execute function quad_bookmark_count();

create function quad_member_count() returns trigger language plpgsql as $fn$
begin
  if TG_OP in ('UPDATE', 'DELETE') and old.active then
    update club_stats set member_count = greatest(member_count - 1, 0) where club_id = old.club_id;
  end if;
  if TG_OP in ('INSERT', 'UPDATE') and new.active then
    insert into club_stats as s (club_id, member_count) values (new.club_id, 1)
      on conflict (club_id) do update set member_count = s.member_count + 1;
  end if;
  return null;
end
$fn$;
create trigger memberships_count after insert or delete or update of active, club_id on memberships
  for each row execute function quad_member_count();
`

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(UP).execute(db)
}
