import { Type } from '@sinclair/typebox'
import { DateTime, Nullable } from '../../http/schemas.js'

const Text120 = Type.String({ maxLength: 120 })
export const Profile = Type.Object({
  id: Type.Integer(),
  email: Type.String(),
  name: Type.String(),
  graduation_year: Nullable(Type.Integer()),
  school: Nullable(Type.String()),
  major: Nullable(Type.String()),
  time_zone: Type.String(),
  profile_public: Type.Boolean(),
  sso_linked: Type.Boolean(),
})
export const ProfilePatch = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })),
    graduation_year: Type.Optional(Nullable(Type.Integer({ minimum: 1950, maximum: 2100 }))),
    school: Type.Optional(Nullable(Text120)),
    major: Type.Optional(Nullable(Text120)),
    time_zone: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone, e.g. America/New_York' })),
    profile_public: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
)
export const FollowedClub = Type.Object({
  code: Type.String(),
  name: Type.String(),
  subtitle: Type.String(),
  image_url: Nullable(Type.String()),
  favorite_count: Type.Integer(),
  created_at: DateTime,
})
export const FollowedClubList = Type.Object({ clubs: Type.Array(FollowedClub) })
export const Overlay = Type.Object({ user_id: Type.Integer(), sections: Type.Record(Type.String(), Type.Unknown()) })
