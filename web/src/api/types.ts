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
  name: string
  email: string
  graduation_year: number | null
  school: string | null
  major: string | null
  profile_public: boolean
  time_zone?: string
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
  type: QuestionType
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
}

export interface ApplicationForm {
  id: number
  club: { code: string; name: string }
  name: string
  description: string
  kind: 'internal' | 'external' | string
  external_url: string | null
  starts_at: string
  ends_at: string
  results_release_at: string
  max_committees: number
  committee_word_cap?: number | null
  cycle: { id: number; name: string } | null
  committees: Committee[]
  questions: Question[]
}

export interface Answer {
  question_id: number
  text?: string
  choice_ids?: number[]
}

export interface Draft {
  answers: Answer[]
  committee_ids: number[]
  updated_at: string | null
  submitted_at: string | null
  /** The viewer's personal deadline (an extension), if any. */
  ends_at?: string | null
}

export interface Receipt {
  submission_id: number
  submitted_at: string
  content_digest: string
  application_id: number
}

export type SubmissionStatus = 'pending' | 'rejected_written' | 'rejected_interview' | 'accepted'

export interface MyApplication {
  application_id: number
  application_name: string
  club: { code: string; name: string }
  state: 'draft' | 'submitted'
  ends_at: string
  submitted_at: string | null
  content_digest: string | null
  submission_id: number | null
  /** Null until results are released. */
  decision: SubmissionStatus | null
  results_release_at: string
}

export interface ReviewSubmission {
  id: number
  user: { id: number; name: string; email: string }
  status: SubmissionStatus
  reason: string
  notes: string
  score: number | null
  submitted_at: string | null
  committee_ids: number[]
  answers: Answer[]
  notified_at: string | null
}

export interface Extension {
  id: number
  user: { id: number; name: string; email: string }
  ends_at: string
  reason: string
}

export interface DecisionPreview {
  dry_run: boolean
  emails: { to: string; name: string; status: SubmissionStatus; subject: string; body?: string }[]
  sent?: number
  skipped?: number
}

export interface Cycle {
  id: number
  name: string
  starts_at: string
  ends_at: string
  results_release_at: string
  max_committees?: number | null
  committee_word_cap?: number | null
  require_complete_profile?: boolean
  freeze_committees?: boolean
}

export interface CycleProgress {
  clubs: { code: string; name: string; application_id: number; drafts: number; submissions: number; decided: number }[]
}

// ---- club management ----------------------------------------------------------------------

export interface Member {
  user_id: number
  name: string
  email: string
  role: Role
  title: string
  is_public: boolean
  joined_at: string
}

export interface MembershipRequest {
  id: number
  user: { id: number; name: string; email: string }
  message: string
  created_at: string
}

export interface Invite {
  id: number
  email: string
  role: Role
  title: string
  expires_at: string
  used_at: string | null
}

export interface Approval {
  id: number
  club: { code: string; name: string }
  kind: 'new' | 'edit' | string
  proposed_by: { name: string; email: string } | null
  created_at: string
  changes: Record<string, unknown>
  current: Record<string, unknown>
}

export interface ClubEditResult {
  /** 'approved' when applied at once, 'pending' when it waits for an approver. */
  status: 'approved' | 'pending' | string
}

export interface OfficerApplication {
  id: number
  name: string
  kind: string
  starts_at: string
  ends_at: string
  results_release_at: string
  cycle: { id: number; name: string } | null
  submissions?: number
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
