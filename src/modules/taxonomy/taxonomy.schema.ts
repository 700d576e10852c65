import { Type } from '@sinclair/typebox'

export const TagList = Type.Object({
  tags: Type.Array(Type.Object({ slug: Type.String(), name: Type.String(), club_count: Type.Integer() })),
})
export const BadgeList = Type.Object({
  badges: Type.Array(
    Type.Object({ slug: Type.String(), name: Type.String(), description: Type.String(), color: Type.String(), club_count: Type.Integer() }),
  ),
})
