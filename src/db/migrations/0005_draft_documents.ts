import { type Kysely, sql } from 'kysely'

// A draft is one document on the applicant's submission row, written by one statement per
// autosave; answers and committee choices become rows (responses, submission_committees) when
// the application is submitted. Existing drafts move into the document.
const UP = `
alter table submissions add column draft_answers jsonb not null default '[]'::jsonb check (jsonb_typeof(draft_answers) = 'array');
alter table submissions add column draft_committees jsonb check (draft_committees is null or jsonb_typeof(draft_committees) = 'array');
update submissions s set
  draft_answers = coalesce((
    select jsonb_agg(jsonb_build_object('question_id', r.question_id, 'text', r.text, 'choice_ids', to_jsonb(r.choice_ids)) order by r.question_id)
    from responses r where r.submission_id = s.id), '[]'::jsonb),
  draft_committees = (select jsonb_agg(sc.committee_id order by sc.rank) from submission_committees sc where sc.submission_id = s.id)
where s.submitted_at is null;
delete from responses r using submissions s where r.submission_id = s.id and s.submitted_at is null;
delete from submission_committees sc using submissions s where sc.submission_id = s.id and s.submitted_at is null;
`

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(UP).execute(db)
}
