import { type Static, Type } from '@sinclair/typebox'
import { Id } from '../../http/params.js'
import { Committee, DateTime, LocalTimeSchema, Nullable, Question } from '../../http/schemas.js'

export const QUESTION_TYPES = ['free_response', 'short_answer', 'single_choice', 'multi_choice', 'info'] as const

export const QuestionParams = Type.Object({ id: Id, questionId: Id })
export const CommitteeParams = Type.Object({ id: Id, committeeId: Id })
export const ExtensionParams = Type.Object({ id: Id, userId: Id })

const TimeZone = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_+\\-/]+$', description: 'IANA time zone for deadline rendering' })

// ---------- public ----------

export const OpenListQuery = Type.Object(
  { cycle: Type.Optional(Type.Integer({ minimum: 1 })), tz: Type.Optional(TimeZone) },
  { additionalProperties: false },
)
export const PageQuery = Type.Object({ tz: Type.Optional(TimeZone) }, { additionalProperties: false })

const ClubRef = Type.Object({ code: Type.String(), name: Type.String() })
const CycleRef = Nullable(Type.Object({ id: Type.Integer(), name: Type.String() }))

export const OpenApplication = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  kind: Type.Union([Type.Literal('internal'), Type.Literal('external')]),
  external_url: Nullable(Type.String()),
  club: ClubRef,
  cycle: CycleRef,
  starts_at: DateTime,
  ends_at: DateTime,
  results_release_at: DateTime,
  deadline: Nullable(LocalTimeSchema),
})
export const OpenList = Type.Object({ applications: Type.Array(OpenApplication) })

export const PublicApplication = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  description: Type.String(),
  kind: Type.Union([Type.Literal('internal'), Type.Literal('external')]),
  external_url: Nullable(Type.String()),
  club: ClubRef,
  cycle: CycleRef,
  state: Type.Union([Type.Literal('upcoming'), Type.Literal('open'), Type.Literal('closed')]),
  starts_at: DateTime,
  ends_at: DateTime,
  results_release_at: DateTime,
  deadline: Nullable(LocalTimeSchema),
  max_committees: Type.Integer(),
  require_complete_profile: Type.Boolean(),
  committees: Type.Array(Committee),
  questions: Type.Array(Question),
})

export const PublicCycle = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  starts_at: DateTime,
  ends_at: DateTime,
  results_release_at: DateTime,
  state: Type.Union([Type.Literal('upcoming'), Type.Literal('open'), Type.Literal('closed')]),
})
export const PublicCycleList = Type.Object({ cycles: Type.Array(PublicCycle) })

// ---------- officers ----------

const Name = Type.String({ minLength: 1, maxLength: 160 })
const Url = Type.String({ pattern: '^https?://', maxLength: 2048 })
const Template = Type.String({ maxLength: 10_000 })

export const CreateApplicationBody = Type.Object(
  {
    name: Name,
    description: Type.Optional(Type.String({ maxLength: 10_000 })),
    kind: Type.Optional(Type.Union([Type.Literal('internal'), Type.Literal('external')], { default: 'internal' })),
    external_url: Type.Optional(Nullable(Url)),
    cycle_id: Type.Optional(Nullable(Type.Integer({ minimum: 1 }))),
    starts_at: Type.Optional(DateTime),
    ends_at: Type.Optional(DateTime),
    results_release_at: Type.Optional(DateTime),
    max_committees: Type.Optional(Type.Integer({ minimum: 0, maximum: 20 })),
    active: Type.Optional(Type.Boolean()),
    acceptance_template: Type.Optional(Template),
    rejection_template: Type.Optional(Template),
  },
  { additionalProperties: false },
)
export type CreateApplicationBody = Static<typeof CreateApplicationBody>

export const UpdateApplicationBody = Type.Object(
  {
    name: Type.Optional(Name),
    description: Type.Optional(Type.String({ maxLength: 10_000 })),
    kind: Type.Optional(Type.Union([Type.Literal('internal'), Type.Literal('external')])),
    external_url: Type.Optional(Nullable(Url)),
    starts_at: Type.Optional(DateTime),
    ends_at: Type.Optional(DateTime),
    results_release_at: Type.Optional(DateTime),
    own_deadline: Type.Optional(Type.Boolean({ description: 'Administrators: exempt this application from its cycle dates (false: back to the cycle dates)' })),
    max_committees: Type.Optional(Type.Integer({ minimum: 0, maximum: 20 })),
    active: Type.Optional(Type.Boolean()),
    acceptance_template: Type.Optional(Template),
    rejection_template: Type.Optional(Template),
  },
  { additionalProperties: false, minProperties: 1 },
)
export type UpdateApplicationBody = Static<typeof UpdateApplicationBody>

export const DuplicateBody = Type.Object(
  {
    cycle_id: Type.Optional(Type.Integer({ minimum: 1, description: 'Target cycle; default: the current cycle' })),
    name: Type.Optional(Name),
  },
  { additionalProperties: false },
)

export const ManagedApplication = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  description: Type.String(),
  kind: Type.String(),
  external_url: Nullable(Type.String()),
  club: ClubRef,
  cycle: CycleRef,
  starts_at: DateTime,
  ends_at: DateTime,
  results_release_at: DateTime,
  own_deadline: Type.Boolean(),
  max_committees: Type.Integer(),
  effective_max_committees: Type.Integer(),
  active: Type.Boolean(),
  acceptance_template: Type.String(),
  rejection_template: Type.String(),
  rules: Type.Object({
    freeze_committees: Type.Boolean(),
    committees_frozen: Type.Boolean(),
    committee_word_cap: Nullable(Type.Integer()),
    max_committees: Nullable(Type.Integer()),
    require_complete_profile: Type.Boolean(),
  }),
  committees: Type.Array(Committee),
  questions: Type.Array(Question),
  counts: Type.Object({ drafts: Type.Integer(), submissions: Type.Integer() }),
  updated_at: DateTime,
})

export const ClubApplicationList = Type.Object({
  applications: Type.Array(
    Type.Object({
      id: Type.Integer(),
      name: Type.String(),
      kind: Type.String(),
      active: Type.Boolean(),
      cycle: CycleRef,
      starts_at: DateTime,
      ends_at: DateTime,
      results_release_at: DateTime,
      drafts: Type.Integer(),
      submissions: Type.Integer(),
    }),
  ),
})

export const CommitteeBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 120 }),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    position: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
  },
  { additionalProperties: false },
)
export const UpdateCommitteeBody = Type.Partial(CommitteeBody, { additionalProperties: false, minProperties: 1 })

const ChoiceLabel = Type.String({ minLength: 1, maxLength: 300 })
export const CreateQuestionBody = Type.Object(
  {
    type: Type.Union(QUESTION_TYPES.map((t) => Type.Literal(t))),
    prompt: Type.String({ minLength: 1, maxLength: 4000 }),
    word_limit: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 5000 }))),
    required: Type.Optional(Type.Boolean()),
    position: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
    committee_ids: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 50, uniqueItems: true })),
    choices: Type.Optional(Type.Array(ChoiceLabel, { maxItems: 100 })),
  },
  { additionalProperties: false },
)
export type CreateQuestionBody = Static<typeof CreateQuestionBody>

export const UpdateQuestionBody = Type.Object(
  {
    prompt: Type.Optional(Type.String({ minLength: 1, maxLength: 4000 })),
    word_limit: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 5000 }))),
    required: Type.Optional(Type.Boolean()),
    position: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
    committee_ids: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 50, uniqueItems: true })),
    choices: Type.Optional(
      Type.Array(Type.Object({ id: Type.Optional(Type.Integer({ minimum: 1 })), label: ChoiceLabel }, { additionalProperties: false }), {
        maxItems: 100,
      }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
)
export type UpdateQuestionBody = Static<typeof UpdateQuestionBody>

export const OrderBody = Type.Object(
  { question_ids: Type.Array(Type.Integer({ minimum: 1 }), { minItems: 1, maxItems: 500, uniqueItems: true }) },
  { additionalProperties: false },
)
export const QuestionList = Type.Object({ questions: Type.Array(Question) })

export const ExtensionBody = Type.Object(
  {
    email: Type.String({ format: 'email', maxLength: 254 }),
    ends_at: DateTime,
    reason: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
)
export const Extension = Type.Object({
  user_id: Type.Integer(),
  email: Type.String(),
  name: Type.String(),
  ends_at: DateTime,
  reason: Type.String(),
  granted_by: Nullable(Type.Integer()),
  created_at: DateTime,
})
export const ExtensionList = Type.Object({ extensions: Type.Array(Extension) })
