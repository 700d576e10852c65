import { type Static, Type } from '@sinclair/typebox'
import { ClubCode } from '../../http/params.js'
import { DateTime, Nullable } from '../../http/schemas.js'

const Rules = {
  freeze_committees: Type.Optional(Type.Boolean({ description: 'Committees freeze once an application opens' })),
  committee_word_cap: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 100_000, description: "Cap on the sum of one committee's word limits" }))),
  max_committees: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 20, description: 'Most committees an applicant may choose per application' }))),
  require_complete_profile: Type.Optional(Type.Boolean({ description: 'Applying needs graduation year, school and major' })),
}

export const CreateCycleBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 120 }),
    starts_at: DateTime,
    ends_at: DateTime,
    results_release_at: DateTime,
    organizer_club: Type.Optional(Nullable(ClubCode)),
    ...Rules,
  },
  { additionalProperties: false },
)
export type CreateCycleBody = Static<typeof CreateCycleBody>

export const UpdateCycleBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })),
    starts_at: Type.Optional(DateTime),
    ends_at: Type.Optional(DateTime),
    results_release_at: Type.Optional(DateTime),
    organizer_club: Type.Optional(Nullable(ClubCode)),
    ...Rules,
  },
  { additionalProperties: false, minProperties: 1 },
)
export type UpdateCycleBody = Static<typeof UpdateCycleBody>

export const Cycle = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  organizer_club: Nullable(Type.Object({ code: Type.String(), name: Type.String() })),
  starts_at: DateTime,
  ends_at: DateTime,
  results_release_at: DateTime,
  freeze_committees: Type.Boolean(),
  committee_word_cap: Nullable(Type.Integer()),
  max_committees: Nullable(Type.Integer()),
  require_complete_profile: Type.Boolean(),
  applications: Type.Integer(),
  created_at: DateTime,
})
export const CycleList = Type.Object({ cycles: Type.Array(Cycle) })
export const CycleUpdated = Type.Object({ cycle: Cycle, moved_applications: Type.Integer() })

export const AttachBody = Type.Object(
  { clubs: Type.Array(ClubCode, { minItems: 1, maxItems: 2000, uniqueItems: true }) },
  { additionalProperties: false },
)
export const AttachResult = Type.Object({
  created: Type.Array(Type.Object({ club: Type.String(), application_id: Type.Integer() })),
  already_attached: Type.Array(Type.String()),
})

const Counts = {
  applications: Type.Integer({ description: 'Club applications in the cycle' }),
  open: Type.Integer({ description: 'Applications active and open now' }),
  started: Type.Integer({ description: 'Applications students opened (drafts + submissions)' }),
  drafts: Type.Integer(),
  submissions: Type.Integer(),
  decisions: Type.Integer({ description: 'Submissions with a decision entered' }),
  notified: Type.Integer({ description: 'Applicants sent their decision' }),
}
export const Progress = Type.Object({
  cycle: Type.Object({ id: Type.Integer(), name: Type.String(), starts_at: DateTime, ends_at: DateTime, results_release_at: DateTime }),
  totals: Type.Object(Counts),
  clubs: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), ...Counts })),
})
