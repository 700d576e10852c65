import { Type } from '@sinclair/typebox'
import { Id } from '../../http/params.js'
import { DateTime, LocalTimeSchema, Nullable } from '../../http/schemas.js'

const AnswerIn = Type.Object(
  {
    question_id: Id,
    text: Type.Optional(Type.String({ maxLength: 50_000 })),
    choice_ids: Type.Optional(Type.Array(Id, { maxItems: 100 })),
  },
  { additionalProperties: false },
)
export const ContentBody = Type.Object(
  {
    committees: Type.Optional(Type.Array(Id, { maxItems: 20, description: 'Chosen committees, most wanted first' })),
    answers: Type.Array(AnswerIn, { maxItems: 200, default: [] }),
  },
  { additionalProperties: false },
)

export const SubmitHeaders = Type.Object({
  'idempotency-key': Type.String({
    minLength: 8,
    maxLength: 100,
    pattern: '^[A-Za-z0-9_.:-]+$',
    description: 'Client-chosen key (e.g. a UUID) identifying this submit; a repeat returns the same receipt',
  }),
})

const FieldMessage = Type.Object({ field: Type.String(), code: Type.String(), message: Type.String() })

export const Started = Type.Object({ submission_id: Type.Integer(), state: Type.Union([Type.Literal('draft'), Type.Literal('submitted')]) })
export const DraftSaved = Type.Object({ submission_id: Type.Integer(), saved_at: Type.String(), warnings: Type.Array(FieldMessage) })

export const Receipt = Type.Object({
  submission_id: Type.Integer(),
  application_id: Type.Integer(),
  submitted_at: Type.String({ description: 'ISO UTC time the submission was received' }),
  content_digest: Type.String({ description: 'sha256 (hex) of the canonical submitted content' }),
  idempotency_key: Type.String(),
})

const Decision = Nullable(Type.Object({ status: Type.String(), reason: Type.String() }))
const AnswerOut = Type.Object({ question_id: Type.Integer(), text: Type.String(), choice_ids: Type.Array(Type.Integer()) })

export const OwnDraft = Type.Object({
  submission_id: Type.Integer(),
  state: Type.Union([Type.Literal('draft'), Type.Literal('submitted')]),
  committees: Type.Array(Type.Integer()),
  answers: Type.Array(AnswerOut),
  updated_at: DateTime,
  receipt: Nullable(Receipt),
  results_released: Type.Boolean(),
  decision: Decision,
})

export const MyApplicationsQuery = Type.Object(
  { tz: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'Render times in this IANA zone instead of the profile one' })) },
  { additionalProperties: false },
)
export const MyApplications = Type.Object({
  time_zone: Type.String(),
  applications: Type.Array(
    Type.Object({
      submission_id: Type.Integer(),
      application: Type.Object({
        id: Type.Integer(),
        name: Type.String(),
        kind: Type.String(),
        club: Type.Object({ code: Type.String(), name: Type.String() }),
        cycle: Nullable(Type.Object({ id: Type.Integer(), name: Type.String() })),
      }),
      state: Type.Union([Type.Literal('draft'), Type.Literal('submitted')]),
      started_at: Type.String(),
      updated_at: Type.String(),
      deadline: LocalTimeSchema,
      extended: Type.Boolean(),
      can_edit: Type.Boolean(),
      receipt: Nullable(Receipt),
      results_release_at: LocalTimeSchema,
      results_released: Type.Boolean(),
      decision: Decision,
    }),
  ),
})
