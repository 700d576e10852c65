import { Type } from '@sinclair/typebox'
import { DateTime, Nullable } from '../../http/schemas.js'

export const FairSummary = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  organization: Type.String(),
  description: Type.String(),
  location: Type.String(),
  starts_at: DateTime,
  ends_at: DateTime,
  registration_opens_at: DateTime,
  registration_closes_at: DateTime,
})
export const FairList = Type.Object({ fairs: Type.Array(FairSummary) })
export const FairDetail = Type.Object({
  ...FairSummary.properties,
  questions: Type.Array(Type.Object({ id: Type.String(), prompt: Type.String() })),
  clubs: Type.Array(
    Type.Object({
      code: Type.String(),
      name: Type.String(),
      subtitle: Type.String(),
      image_url: Nullable(Type.String()),
      booth_label: Nullable(Type.String()),
      booth_starts_at: Nullable(DateTime),
      booth_ends_at: Nullable(DateTime),
    }),
  ),
})
