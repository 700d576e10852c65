import { Type } from '@sinclair/typebox'
import { Id } from '../../http/params.js'
import { Committee, DateTime, Nullable, Question } from '../../http/schemas.js'

export const STATUSES = ['pending', 'rejected_written', 'rejected_interview', 'accepted'] as const
export const Status = Type.Union(STATUSES.map((s) => Type.Literal(s)))

export const ReviewQuery = Type.Object(
  {
    committee: Type.Optional(Id),
    status: Type.Optional(Status),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 2000, default: 500 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
  },
  { additionalProperties: false },
)
export const ExportQuery = Type.Object({ committee: Type.Optional(Id), status: Type.Optional(Status) }, { additionalProperties: false })

const Note = Type.Object({
  id: Type.Integer(),
  author_id: Nullable(Type.Integer()),
  author_name: Type.Optional(Nullable(Type.String())),
  body: Type.String(),
  score: Nullable(Type.Number()),
  created_at: DateTime,
})

export const ReviewSubmission = Type.Object({
  id: Type.Integer(),
  application_id: Type.Integer(),
  user: Type.Object({
    id: Type.Integer(),
    name: Type.String(),
    email: Type.String(),
    graduation_year: Nullable(Type.Integer()),
    school: Nullable(Type.String()),
    major: Nullable(Type.String()),
  }),
  status: Status,
  reason: Type.String(),
  submitted_at: DateTime,
  content_digest: Type.String(),
  notified_at: Nullable(DateTime),
  committees: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String(), rank: Type.Integer() })),
  responses: Type.Array(
    Type.Object({ question_id: Type.Integer(), text: Type.String(), choice_ids: Type.Array(Type.Integer()), choices: Type.Array(Type.String()) }),
  ),
  notes: Type.Array(Note),
  average_score: Nullable(Type.Number()),
})

export const ReviewList = Type.Object({
  application: Type.Object({ id: Type.Integer(), name: Type.String(), committees: Type.Array(Committee), questions: Type.Array(Question) }),
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
  submissions: Type.Array(ReviewSubmission),
})

export const StatusBody = Type.Object(
  { status: Status, reason: Type.Optional(Type.String({ maxLength: 2000 })) },
  { additionalProperties: false },
)
export const StatusResult = Type.Object({ id: Type.Integer(), status: Status, reason: Type.String() })

export const BulkStatusBody = Type.Object(
  {
    submission_ids: Type.Array(Id, { minItems: 1, maxItems: 5000, uniqueItems: true }),
    status: Status,
    reason: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
)
export const BulkResult = Type.Object({ updated: Type.Integer(), status: Status })

export const NoteBody = Type.Object(
  {
    body: Type.String({ maxLength: 5000, default: '' }),
    score: Type.Optional(Nullable(Type.Number({ minimum: -999.99, maximum: 999.99 }))),
  },
  { additionalProperties: false },
)
export const NoteCreated = Type.Object({
  id: Type.Integer(),
  author_id: Nullable(Type.Integer()),
  author_name: Type.String(),
  body: Type.String(),
  score: Nullable(Type.Number()),
  created_at: DateTime,
})

// ---------- decisions ----------

export const SendBody = Type.Object({ dry_run: Type.Boolean({ default: true }) }, { additionalProperties: false })
export const ResendBody = Type.Object(
  { submission_ids: Type.Array(Id, { minItems: 1, maxItems: 5000, uniqueItems: true }), dry_run: Type.Boolean({ default: true }) },
  { additionalProperties: false },
)

const Planned = Type.Object({
  submission_id: Type.Integer(),
  user_id: Type.Integer(),
  email: Type.String(),
  name: Type.String(),
  status: Status,
  template: Type.Union([Type.Literal('acceptance'), Type.Literal('rejection')]),
  subject: Type.String(),
  body: Type.String(),
})
const Skipped = Type.Object({
  submission_id: Type.Integer(),
  email: Type.String(),
  name: Type.String(),
  status: Status,
  reason: Type.Union([Type.Literal('no_decision'), Type.Literal('already_sent')]),
  email_status: Nullable(Type.String()),
})
export const DecisionPlan = Type.Object({
  application_id: Type.Integer(),
  dry_run: Type.Boolean(),
  results_released: Type.Boolean(),
  results_release_at: DateTime,
  send: Type.Array(Planned),
  skipped: Type.Array(Skipped),
  queued: Type.Integer({ description: 'Emails put in the outbox by this call (0 on a dry run)' }),
  memberships_created: Type.Integer({ description: 'Accepted applicants made members by this call' }),
})
