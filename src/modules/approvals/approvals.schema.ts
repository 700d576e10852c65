import { Type } from '@sinclair/typebox'
import { DiffEntry } from '../../http/params.js'
import { DateTime, Nullable } from '../../http/schemas.js'

export const QueueItem = Type.Object({
  kind: Type.Union([Type.Literal('club'), Type.Literal('revision')]),
  id: Type.Integer(),
  club: Type.Object({ code: Type.String(), name: Type.String(), status: Type.String() }),
  proposed_by: Nullable(Type.String()),
  proposed_at: DateTime,
  diff: Type.Array(DiffEntry),
})
export const Queue = Type.Object({ items: Type.Array(QueueItem) })
export const Decision = Type.Object({ code: Type.String(), status: Type.String(), revision_id: Type.Optional(Type.Integer()) })

/** Approving may say why; rejecting must. */
export const Comment = Type.Object({ comment: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false })
export const RequiredComment = Type.Object({ comment: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false })
