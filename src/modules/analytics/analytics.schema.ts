import { Type } from '@sinclair/typebox'

export const Days = Type.Object({ days: Type.Optional(Type.Integer({ minimum: 1, maximum: 365, default: 30 })) }, { additionalProperties: false })
export const ClubViews = Type.Object({ views: Type.Array(Type.Object({ day: Type.String(), views: Type.Integer() })), total: Type.Integer() })
export const SearchTerms = Type.Object({ terms: Type.Array(Type.Object({ term: Type.String(), count: Type.Integer() })) })
