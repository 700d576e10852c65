import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely'

type Timestamp = ColumnType<Date, Date | string, Date | string>
type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>
type Json<T> = ColumnType<T, string, string>
type Def<T> = Generated<T>

export type ClubSize = 'small' | 'medium' | 'large' | 'very_large'
export type MembershipProcess = 'open' | 'tryout' | 'audition' | 'application' | 'application_interview'
export type RecruitingSeason = 'fall' | 'spring' | 'both' | 'open' | 'unknown'
export type ClubStatus = 'pending' | 'approved' | 'rejected'
export type Role = 'member' | 'officer' | 'owner'
export type QuestionType = 'free_response' | 'short_answer' | 'single_choice' | 'multi_choice' | 'info'
export type SubmissionStatus = 'pending' | 'rejected_written' | 'rejected_interview' | 'accepted'
export type EventType = 'recruitment' | 'general' | 'social' | 'workshop' | 'info_session' | 'other'

export interface UsersTable {
  id: Def<number>
  email: string
  password_hash: string | null
  name: Def<string>
  graduation_year: number | null
  school: string | null
  major: string | null
  time_zone: Def<string>
  profile_public: Def<boolean>
  is_approver: Def<boolean>
  is_admin: Def<boolean>
  oidc_subject: string | null
  created_at: DefaultTimestamp
  updated_at: DefaultTimestamp
}

export interface SessionsTable {
  id: string
  user_id: number
  csrf_token: string
  created_at: DefaultTimestamp
  last_seen_at: DefaultTimestamp
  expires_at: Timestamp
  revoked_at: Timestamp | null
  user_agent: string | null
}

export interface CategoriesTable {
  id: Def<number>
  name: string
}

export interface ClubsTable {
  id: Def<number>
  code: string
  name: string
  subtitle: Def<string>
  description: Def<string>
  image_url: string | null
  founded_year: number | null
  size: Def<ClubSize>
  contact_email: string | null
  contact_email_public: Def<boolean>
  links: ColumnType<Record<string, string>, string | undefined, string>
  how_to_get_involved: Def<string>
  membership_process: Def<MembershipProcess>
  recruiting_season: Def<RecruitingSeason>
  accepting_members: Def<boolean>
  application_required: Def<boolean>
  target_years: ColumnType<number[], number[] | undefined, number[]>
  target_schools: ColumnType<string[], string[] | undefined, string[]>
  target_majors: ColumnType<string[], string[] | undefined, string[]>
  category_id: number | null
  status: Def<ClubStatus>
  active: Def<boolean>
  approved_at: Timestamp | null
  approved_by: number | null
  approval_comment: string | null
  archived_at: Timestamp | null
  created_at: DefaultTimestamp
  updated_at: DefaultTimestamp
}

export interface ClubStatsTable {
  club_id: number
  bookmark_count: Def<number>
  member_count: Def<number>
}

export interface ClubRevisionsTable {
  id: Def<number>
  club_id: number
  proposed_by: number | null
  changes: Json<Record<string, unknown>>
  status: Def<'pending' | 'approved' | 'rejected' | 'superseded'>
  comment: string | null
  decided_by: number | null
  decided_at: Timestamp | null
  created_at: DefaultTimestamp
}

export interface ClubParentsTable {
  club_id: number
  parent_id: number
}

export interface TagsTable {
  id: Def<number>
  name: string
  slug: string
}

export interface ClubTagsTable {
  club_id: number
  tag_id: number
}

export interface BadgesTable {
  id: Def<number>
  name: string
  slug: string
  description: Def<string>
  color: Def<string>
  hidden: Def<boolean>
  fair_id: number | null
}

export interface ClubBadgesTable {
  club_id: number
  badge_id: number
}

export interface MembershipsTable {
  id: Def<number>
  club_id: number
  user_id: number
  role: Def<Role>
  title: Def<string>
  is_public: Def<boolean>
  active: Def<boolean>
  joined_at: DefaultTimestamp
}

export interface MembershipRequestsTable {
  id: Def<number>
  club_id: number
  user_id: number
  message: Def<string>
  status: Def<'pending' | 'accepted' | 'declined' | 'cancelled'>
  created_at: DefaultTimestamp
  decided_at: Timestamp | null
  decided_by: number | null
}

export interface InvitesTable {
  id: Def<number>
  club_id: number
  email: string
  role: Def<Role>
  title: Def<string>
  token_hash: string
  invited_by: number | null
  expires_at: Timestamp
  used_at: Timestamp | null
  used_by: number | null
  revoked_at: Timestamp | null
  created_at: DefaultTimestamp
}

export interface UserClubTable {
  user_id: number
  club_id: number
  created_at: DefaultTimestamp
}

export interface EventsTable {
  id: Def<number>
  club_id: number
  name: string
  description: Def<string>
  location: Def<string>
  link: string | null
  starts_at: Timestamp
  ends_at: Timestamp
  image_url: string | null
  type: Def<EventType>
  pinned: Def<boolean>
  created_at: DefaultTimestamp
  updated_at: DefaultTimestamp
}

export interface FairQuestion {
  id: string
  prompt: string
}

export interface FairsTable {
  id: Def<number>
  name: string
  organization: Def<string>
  description: Def<string>
  location: Def<string>
  starts_at: Timestamp
  ends_at: Timestamp
  registration_opens_at: Timestamp
  registration_closes_at: Timestamp
  questions: ColumnType<FairQuestion[], string | undefined, string>
  created_at: DefaultTimestamp
}

export interface FairRegistrationsTable {
  id: Def<number>
  fair_id: number
  club_id: number
  answers: ColumnType<Record<string, string>, string | undefined, string>
  booth_label: string | null
  booth_starts_at: Timestamp | null
  booth_ends_at: Timestamp | null
  created_at: DefaultTimestamp
}

export interface FaqsTable {
  id: Def<number>
  club_id: number
  question: string
  answer: Def<string>
  is_public: Def<boolean>
  position: Def<number>
  created_at: DefaultTimestamp
}

export interface TestimonialsTable {
  id: Def<number>
  club_id: number
  author_name: string
  author_role: Def<string>
  body: string
  position: Def<number>
  created_at: DefaultTimestamp
}

export interface AdvisorsTable {
  id: Def<number>
  club_id: number
  name: string
  title: Def<string>
  email: string | null
  is_public: Def<boolean>
}

export interface ClubFilesTable {
  id: Def<number>
  club_id: number
  name: string
  url: string
  is_public: Def<boolean>
  created_at: DefaultTimestamp
}

export interface ApplicationCyclesTable {
  id: Def<number>
  name: string
  organizer_club_id: number | null
  starts_at: Timestamp
  ends_at: Timestamp
  results_release_at: Timestamp
  freeze_committees: Def<boolean>
  committee_word_cap: number | null
  max_committees: number | null
  require_complete_profile: Def<boolean>
  created_at: DefaultTimestamp
}

export interface ClubApplicationsTable {
  id: Def<number>
  club_id: number
  cycle_id: number | null
  name: string
  description: Def<string>
  kind: Def<'internal' | 'external'>
  external_url: string | null
  starts_at: Timestamp
  ends_at: Timestamp
  results_release_at: Timestamp
  own_deadline: Def<boolean>
  max_committees: Def<number>
  active: Def<boolean>
  acceptance_template: Def<string>
  rejection_template: Def<string>
  created_at: DefaultTimestamp
  updated_at: DefaultTimestamp
}

export interface CommitteesTable {
  id: Def<number>
  application_id: number
  name: string
  description: Def<string>
  position: Def<number>
}

export interface QuestionsTable {
  id: Def<number>
  application_id: number
  type: QuestionType
  prompt: string
  word_limit: number | null
  required: Def<boolean>
  position: Def<number>
}

export interface QuestionCommitteesTable {
  question_id: number
  committee_id: number
}

export interface QuestionChoicesTable {
  id: Def<number>
  question_id: number
  label: string
  position: Def<number>
}

export interface ExtensionsTable {
  id: Def<number>
  application_id: number
  user_id: number
  ends_at: Timestamp
  granted_by: number | null
  reason: Def<string>
  created_at: DefaultTimestamp
}

export interface SubmissionsTable {
  id: Def<number>
  application_id: number
  user_id: number
  status: Def<SubmissionStatus>
  reason: Def<string>
  submitted_at: Timestamp | null
  content_digest: string | null
  idempotency_key: string | null
  notified_at: Timestamp | null
  created_at: DefaultTimestamp
  updated_at: DefaultTimestamp
  /** The draft's answers, until submitted ([{question_id, text, choice_ids}]). */
  draft_answers: ColumnType<unknown[], string | undefined, string>
  /** The draft's ranked committee ids; null until the applicant chose. */
  draft_committees: ColumnType<number[] | null, string | null | undefined, string | null>
}

export interface SubmissionCommitteesTable {
  submission_id: number
  committee_id: number
  rank: number
}

export interface ResponsesTable {
  submission_id: number
  question_id: number
  text: Def<string>
  choice_ids: ColumnType<number[], number[] | undefined, number[]>
  updated_at: DefaultTimestamp
}

export interface ReviewNotesTable {
  id: Def<number>
  submission_id: number
  author_id: number | null
  body: Def<string>
  score: number | null
  created_at: DefaultTimestamp
}

export interface EmailOutboxTable {
  id: Def<number>
  kind: string
  dedupe_key: string | null
  to_email: string
  subject: string
  body: string
  user_id: number | null
  submission_id: number | null
  status: Def<'queued' | 'sending' | 'sent' | 'failed'>
  attempts: Def<number>
  last_error: string | null
  created_at: DefaultTimestamp
  sent_at: Timestamp | null
  next_attempt_at: DefaultTimestamp
}

export interface ClubVisitsTable {
  club_id: number
  day: ColumnType<Date, string, string>
  views: Def<number>
}

export interface SearchTermsTable {
  term: string
  day: ColumnType<Date, string, string>
  count: Def<number>
}

export interface CacheOutboxTable {
  id: ColumnType<number, never, never>
  dep: string
  xid: ColumnType<string, never, never>
  created_at: ColumnType<Date, never, never>
}

export interface DB {
  users: UsersTable
  sessions: SessionsTable
  categories: CategoriesTable
  clubs: ClubsTable
  club_stats: ClubStatsTable
  club_revisions: ClubRevisionsTable
  club_parents: ClubParentsTable
  tags: TagsTable
  club_tags: ClubTagsTable
  badges: BadgesTable
  club_badges: ClubBadgesTable
  memberships: MembershipsTable
  membership_requests: MembershipRequestsTable
  invites: InvitesTable
  bookmarks: UserClubTable
  subscriptions: UserClubTable
  events: EventsTable
  fairs: FairsTable
  fair_registrations: FairRegistrationsTable
  faqs: FaqsTable
  testimonials: TestimonialsTable
  advisors: AdvisorsTable
  club_files: ClubFilesTable
  application_cycles: ApplicationCyclesTable
  club_applications: ClubApplicationsTable
  committees: CommitteesTable
  questions: QuestionsTable
  question_committees: QuestionCommitteesTable
  question_choices: QuestionChoicesTable
  extensions: ExtensionsTable
  submissions: SubmissionsTable
  submission_committees: SubmissionCommitteesTable
  responses: ResponsesTable
  review_notes: ReviewNotesTable
  email_outbox: EmailOutboxTable
  club_visits: ClubVisitsTable
  search_terms: SearchTermsTable
  cache_outbox: CacheOutboxTable
}

export type Club = Selectable<ClubsTable>
export type NewClub = Insertable<ClubsTable>
export type ClubUpdate = Updateable<ClubsTable>
export type User = Selectable<UsersTable>
