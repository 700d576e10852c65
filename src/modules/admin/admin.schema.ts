import { Type } from '@sinclair/typebox'
import { ClubCode, Id } from '../../http/params.js'
import { Nullable } from '../../http/schemas.js'

export const SlugText = Type.String({ pattern: '^[a-z0-9][a-z0-9-]*$', maxLength: 64 })
export const ClubBadgeParams = Type.Object({ code: ClubCode, slug: SlugText })

export const TagBody = Type.Object({ name: Type.String({ minLength: 1, maxLength: 60 }), slug: Type.Optional(SlugText) }, { additionalProperties: false })
export const TagPatch = Type.Partial(TagBody, { additionalProperties: false, minProperties: 1 })
export const TagView = Type.Object({ id: Type.Integer(), name: Type.String(), slug: Type.String(), club_count: Type.Integer() })
export const TagList = Type.Object({ tags: Type.Array(TagView) })

const BadgeFields = {
  name: Type.String({ minLength: 1, maxLength: 60 }),
  slug: SlugText,
  description: Type.String({ maxLength: 1000 }),
  color: Type.String({ pattern: '^#[0-9a-fA-F]{6}$' }),
  hidden: Type.Boolean(),
  fair_id: Nullable(Id),
}
export const BadgeBody = Type.Object(
  { ...Type.Partial(Type.Object(BadgeFields)).properties, name: BadgeFields.name },
  { additionalProperties: false },
)
export const BadgePatch = Type.Partial(Type.Object(BadgeFields), { additionalProperties: false, minProperties: 1 })
export const BadgeView = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  slug: Type.String(),
  description: Type.String(),
  color: Type.String(),
  hidden: Type.Boolean(),
  fair_id: Nullable(Type.Integer()),
  club_count: Type.Integer(),
})
export const BadgeList = Type.Object({ badges: Type.Array(BadgeView) })

export const UserQuery = Type.Object(
  { q: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })), staff: Type.Optional(Type.Boolean({ description: 'Only approvers and administrators' })) },
  { additionalProperties: false },
)
export const UserView = Type.Object({ id: Type.Integer(), email: Type.String(), name: Type.String(), is_approver: Type.Boolean(), is_admin: Type.Boolean() })
export const UserList = Type.Object({ users: Type.Array(UserView) })
export const ApproverBody = Type.Object({ is_approver: Type.Boolean() }, { additionalProperties: false })
