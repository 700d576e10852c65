/** Shapes of the Quad API as the web app uses them (see /api/openapi.json). */

export interface TagRef {
  slug: string
  name: string
}
export interface BadgeRef extends TagRef {
  color: string
}
export type ClubSize = 'small' | 'medium' | 'large' | 'very_large'

export interface ClubSummary {
  code: string
  name: string
  subtitle: string
  image_url: string | null
  size: ClubSize | string
  tags: TagRef[]
  badges: BadgeRef[]
  accepting_members: boolean
  application_required: boolean
  membership_process: string
  recruiting_season: string
  has_open_application: boolean
  favorite_count: number
  member_count: number
  target_years: number[]
  target_schools: string[]
  target_majors: string[]
  founded_year: number | null
  category: string | null
  active: boolean
  updated_at: string
}

/** One card of GET /api/clubs: tags and badges are ids into the response's dictionaries. */
export interface ClubCard {
  code: string
  name: string
  subtitle: string
  size: ClubSize | string
  tags: number[]
  /** Absent when the club has no badge. */
  badges?: number[]
  category?: string
  /** Accepting members (absent when not). */
  recruiting?: true
  /** An application is open now (absent when not). */
  open?: true
  bookmarks: number
  members: number
  /** Years of study the club is for; absent = everyone. */
  years?: number[]
  /** Schools the club is for; absent = everyone. */
  schools?: string[]
  /** Day of the last update, YYYY-MM-DD. */
  updated: string
}

/** GET /api/clubs: the directory (or a search's ranking) as compact cards plus their dictionaries. */
export interface ClubListResponse {
  clubs: ClubCard[]
  tags: (TagRef & { id: number })[]
  badges: (BadgeRef & { id: number })[]
  total: number
  page: number | null
  pageSize: number | null
}

/** A card as the web app uses it: references resolved, optional fields defaulted. */
export interface DirectoryClub {
  code: string
  name: string
  subtitle: string
  size: ClubSize | string
  tags: TagRef[]
  badges: BadgeRef[]
  category: string | null
  recruiting: boolean
  open: boolean
  bookmarks: number
  members: number
  /** Empty = every year. */
  years: number[]
  /** Empty = every school. */
  schools: string[]
  updated: string
}

export interface ClubEvent {
  id: number
  name: string
  description: string
  location: string
  link: string | null
  starts_at: string
  ends_at: string
  image_url: string | null
  type: string
  pinned: boolean
}

export interface OpenApplication {
  id: number
  name: string
  kind: string
  external_url: string | null
  starts_at: string
  ends_at: string
  results_release_at: string
  cycle: string | null
}

export interface ClubDetail extends ClubSummary {
  description: string
  contact_email: string | null
  links: Record<string, string>
  how_to_get_involved: string
  parents: { code: string; name: string }[]
  members: { name: string; role: string; title: string }[]
  events: ClubEvent[]
  faqs: { id: number; question: string; answer: string }[]
  testimonials: { id: number; author_name: string; author_role: string; body: string }[]
  advisors: { name: string; title: string; email: string | null }[]
  files: { name: string; url: string }[]
  applications: OpenApplication[]
}

export interface Me {
  user: { id: number; email: string; name: string; is_admin: boolean; is_approver: boolean } | null
  csrf_token: string | null
  dev_login: boolean
}

export type Role = 'member' | 'officer' | 'owner'

/** Per-viewer state merged over the shared (cached) pages. */
export interface Overlay {
  bookmarks: Set<string>
  subscriptions: Set<string>
  roles: Map<string, Role>
  requests: Set<string>
  /** application id → state of the viewer's submission */
  applications: Map<number, 'draft' | 'submitted'>
}

export interface Profile {
  id?: number
  name: string
  email: string
  graduation_year: number | null
  school: string | null
  major: string | null
  profile_public: boolean
  time_zone?: string
  sso_linked?: boolean
}

export interface Tag extends TagRef {
  club_count: number
}
export interface Badge extends BadgeRef {
  description: string
  club_count: number
}
export interface AppEvent extends ClubEvent {
  club: { code: string; name: string }
}

// ---- applications -------------------------------------------------------------------------

export type QuestionType = 'free_response' | 'short_answer' | 'single_choice' | 'multi_choice' | 'info'

export interface Question {
  id: number
  type: QuestionType | string
  prompt: string
  word_limit: number | null
  required: boolean
  position: number
  choices: { id: number; label: string }[]
  committee_ids: number[]
}

export interface Committee {
  id: number
  name: string
  description: string
  position?: number
}

/** A deadline rendered by the server in a time zone (the client shows its own local time too). */
export interface LocalTime {
  utc: string
  time_zone: string
  local: string
  local_iso: string
}

export interface CycleRef {
  id: number
  name: string
}

/** GET /api/applications/:id — public, cached with zero staleness. */
export interface ApplicationForm {
  id: number
  club: { code: string; name: string }
  name: string
  description: string
  kind: 'internal' | 'external' | string
  external_url: string | null
  state?: 'upcoming' | 'open' | 'closed'
  starts_at: string
  ends_at: string
  results_release_at: string
  deadline?: LocalTime | null
  max_committees: number
  require_complete_profile?: boolean
  cycle: CycleRef | null
  committees: Committee[]
  questions: Question[]
}

export interface Answer {
  question_id: number
  text?: string
  choice_ids?: number[]
}

export interface Content {
  answers: Answer[]
  committees: number[]
}

export interface Receipt {
  submission_id: number
  application_id: number
  submitted_at: string
  content_digest: string
  idempotency_key?: string
}

export type SubmissionStatus = 'pending' | 'rejected_written' | 'rejected_interview' | 'accepted'

/** GET /api/applications/:id/draft — the viewer's own draft or submission. */
export interface OwnDraft {
  submission_id: number
  state: 'draft' | 'submitted'
  committees: number[]
  answers: { question_id: number; text: string; choice_ids: number[] }[]
  updated_at: string
  receipt: Receipt | null
  results_released: boolean
  decision: { status: SubmissionStatus; reason: string } | null
}

export interface DraftSaved {
  submission_id: number
  saved_at: string
  warnings: { field: string; code: string; message: string }[]
}

export interface MyApplication {
  submission_id: number
  application: { id: number; name: string; kind: string; club: { code: string; name: string }; cycle: CycleRef | null }
  state: 'draft' | 'submitted'
  started_at: string
  updated_at: string
  deadline: LocalTime
  extended: boolean
  can_edit: boolean
  receipt: Receipt | null
  results_release_at: LocalTime
  results_released: boolean
  /** Null until results are released (and while undecided). */
  decision: { status: SubmissionStatus; reason: string } | null
}

export interface ReviewNote {
  id: number
  author_id: number | null
  author_name?: string | null
  body: string
  score: number | null
  created_at: string
}

export interface ReviewSubmission {
  id: number
  application_id: number
  user: { id: number; name: string; email: string; graduation_year: number | null; school: string | null; major: string | null }
  status: SubmissionStatus
  reason: string
  submitted_at: string
  content_digest: string
  notified_at: string | null
  committees: { id: number; name: string; rank: number }[]
  responses: { question_id: number; text: string; choice_ids: number[]; choices: string[] }[]
  notes: ReviewNote[]
  average_score: number | null
}

export interface ReviewList {
  application: { id: number; name: string; committees: Committee[]; questions: Question[] }
  total: number
  limit: number
  offset: number
  submissions: ReviewSubmission[]
}

export interface Extension {
  user_id: number
  email: string
  name: string
  ends_at: string
  reason: string
  created_at?: string
}

export interface DecisionPlan {
  application_id: number
  dry_run: boolean
  results_released: boolean
  results_release_at: string
  send: { submission_id: number; user_id: number; email: string; name: string; status: SubmissionStatus; template: string; subject: string; body: string }[]
  skipped: { submission_id: number; email: string; name: string; status: SubmissionStatus; reason: string; email_status: string | null }[]
  queued: number
  memberships_created: number
}

export interface PublicCycle {
  id: number
  name: string
  starts_at: string
  ends_at: string
  results_release_at: string
  state: 'upcoming' | 'open' | 'closed'
}

export interface Cycle {
  id: number
  name: string
  organizer_club?: { code: string; name: string } | null
  starts_at: string
  ends_at: string
  results_release_at: string
  freeze_committees: boolean
  committee_word_cap: number | null
  max_committees: number | null
  require_complete_profile: boolean
  applications?: number
}

export interface ProgressCounts {
  applications: number
  open: number
  started: number
  drafts: number
  submissions: number
  decisions: number
  notified: number
}

export interface CycleProgress {
  cycle: { id: number; name: string }
  totals: ProgressCounts
  clubs: (ProgressCounts & { code: string; name: string })[]
}

// ---- club management ----------------------------------------------------------------------

export interface Member {
  user_id: number
  name: string
  email: string | null
  role: Role | string
  title: string
  is_public: boolean
  joined_at: string
}

export interface MembershipRequest {
  id: number
  user: { id: number; name: string; email: string; graduation_year?: number | null; school?: string | null; major?: string | null }
  message: string
  created_at: string
}

export interface Invite {
  id: number
  email: string
  role: Role | string
  title: string
  expires_at: string
  created_at?: string
  invited_by?: string | null
}

export interface DiffEntry {
  field: string
  current: unknown
  proposed: unknown
}

/** GET /api/admin/approvals item: a new club or a pending edit. */
export interface ApprovalItem {
  kind: 'club' | 'revision'
  id: number
  club: { code: string; name: string; status: string }
  proposed_by: string | null
  proposed_at: string
  diff: DiffEntry[]
}

/** PATCH /api/clubs/:code: reviewed fields wait for an approver, the rest applies at once. */
export interface ClubEditResult {
  code: string
  status: string
  applied: string[]
  pending: string[]
  revision_id: number | null
}

/** GET /api/clubs/:code/manage: every field plus the pending revision. */
export interface ManageView {
  club: Record<string, unknown> & {
    code: string
    name: string
    subtitle: string
    description: string
    image_url: string | null
    links: Record<string, string>
    tags: string[]
    size: string
    membership_process: string
    recruiting_season: string
    accepting_members: boolean
    how_to_get_involved: string
    status?: string
  }
  viewer_role: string | null
  pending_revision: { id: number; created_at: string; proposed_by: string | null; diff: DiffEntry[] } | null
  pending_requests: number
  events: (ClubEvent & Record<string, unknown>)[]
  faqs: Record<string, unknown>[]
  testimonials: Record<string, unknown>[]
  advisors: Record<string, unknown>[]
  files: Record<string, unknown>[]
}

export interface AdminTag extends Tag {
  id: number
}
export interface AdminBadge extends Badge {
  id: number
  hidden: boolean
}

export interface OfficerApplication {
  id: number
  name: string
  kind: string
  active: boolean
  starts_at: string
  ends_at: string
  results_release_at: string
  cycle: CycleRef | null
  drafts: number
  submissions: number
}

/** GET /api/applications/:id/manage */
export interface ManagedApplication extends ApplicationForm {
  own_deadline: boolean
  effective_max_committees: number
  active: boolean
  acceptance_template: string
  rejection_template: string
  rules: { freeze_committees: boolean; committees_frozen: boolean; committee_word_cap: number | null; max_committees: number | null; require_complete_profile: boolean }
  counts: { drafts: number; submissions: number }
}

interface Percentiles {
  p50_ms: number
  p95_ms: number
  p99_ms: number
  max_ms: number
}

/** GET /api/admin/ops: this instance's last minute of traffic, pools, cache and watchdog. */
export interface OpsSummary {
  at: string
  uptime_s: number
  window_s: number
  instance: { pid: number; env: string; database: string; cache: string }
  requests: Percentiles & { count: number; rate_per_s: number; by_status: Record<'2xx' | '3xx' | '4xx' | '5xx', number>; shed: number; slow: number }
  routes: (Percentiles & {
    route: string
    count: number
    rate_per_s: number
    errors: number
    shed: number
    queries_avg: number
    cache: { hits: number; misses: number; stale: number; fills: number; hit_ratio: number | null }
  })[]
  pools: { name: string; max: number; in_use: number; waiting: number; queue_max: number; wait_deadline_ms: number; peak_in_use: number; shed_total: number; wait_p99_ms: number }[]
  cache: { hit_ratio: number | null; invalidation_lag_ms: number; redis_failures: number; l1_entries: number; l1_bytes: number }
  watchdog: {
    enabled: boolean
    leader: boolean
    interval_ms: number
    last_run_at: string | null
    last_error: string | null
    cancels: number
    terminations: number
    recent: { at: string; action: string; pid: number; class: string; ms: number; fingerprint: string; query: string }[]
  }
  process: { rss_bytes: number; heap_used_bytes: number; event_loop_lag_p99_ms: number; event_loop_lag_max_ms: number }
}
