import { Type } from '@sinclair/typebox'
import { DateTime, Nullable } from '../../http/schemas.js'

export const RoleSchema = Type.Union([Type.Literal('member'), Type.Literal('officer'), Type.Literal('owner')])
export const Title = Type.String({ maxLength: 80 })
export const TokenParams = Type.Object({ token: Type.String({ minLength: 20, maxLength: 100, pattern: '^[A-Za-z0-9_-]+$' }) })

export const JoinBody = Type.Object({ message: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false })
export const InviteBody = Type.Object(
  { email: Type.String({ format: 'email', maxLength: 254 }), role: Type.Optional(RoleSchema), title: Type.Optional(Title) },
  { additionalProperties: false },
)
export const AcceptInviteBody = Type.Object({ token: TokenParams.properties.token }, { additionalProperties: false })
export const MemberPatch = Type.Object(
  { role: Type.Optional(RoleSchema), title: Type.Optional(Title), is_public: Type.Optional(Type.Boolean()) },
  { additionalProperties: false, minProperties: 1 },
)

export const RequestView = Type.Object({
  id: Type.Integer(),
  user: Type.Object({
    id: Type.Integer(),
    name: Type.String(),
    email: Type.String(),
    graduation_year: Nullable(Type.Integer()),
    school: Nullable(Type.String()),
    major: Nullable(Type.String()),
  }),
  message: Type.String(),
  created_at: DateTime,
})
export const RequestList = Type.Object({ requests: Type.Array(RequestView) })
export const RequestCreated = Type.Object({ id: Type.Integer(), status: Type.String() })
export const InviteView = Type.Object({
  id: Type.Integer(),
  email: Type.String(),
  role: Type.String(),
  title: Type.String(),
  expires_at: DateTime,
  created_at: DateTime,
  invited_by: Nullable(Type.String()),
})
export const InviteList = Type.Object({ invites: Type.Array(InviteView) })
export const InvitePreview = Type.Object({
  club: Type.Object({ code: Type.String(), name: Type.String() }),
  role: Type.String(),
  title: Type.String(),
  expires_at: DateTime,
  state: Type.Union([Type.Literal('open'), Type.Literal('used'), Type.Literal('revoked'), Type.Literal('expired')]),
})
export const MemberView = Type.Object({
  user_id: Type.Integer(),
  name: Type.String(),
  email: Nullable(Type.String()),
  role: Type.String(),
  title: Type.String(),
  is_public: Type.Boolean(),
  joined_at: DateTime,
})
export const MemberList = Type.Object({ members: Type.Array(MemberView) })
export const MembershipView = Type.Object({ club: Type.String(), user_id: Type.Integer(), role: Type.String(), title: Type.String(), is_public: Type.Boolean() })
