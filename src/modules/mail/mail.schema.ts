import { Type } from '@sinclair/typebox'

export const OutboxSummary = Type.Object({
  enabled: Type.Boolean(),
  queued: Type.Integer(),
  sending: Type.Integer(),
  sent: Type.Integer(),
  failed: Type.Integer(),
})
