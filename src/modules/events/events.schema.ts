import { Type } from '@sinclair/typebox'
import { ClubCode } from '../../http/params.js'
import { DateTime, Nullable } from '../../http/schemas.js'

export const EVENT_TYPES = ['recruitment', 'general', 'social', 'workshop', 'info_session', 'other'] as const
export const DEFAULT_LIMIT = 100

export const EventsQuery = Type.Object(
  {
    club: Type.Optional(ClubCode),
    type: Type.Optional(Type.Union(EVENT_TYPES.map((t) => Type.Literal(t)))),
    before: Type.Optional(Type.String({ format: 'date-time', description: 'Only events starting before this time' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: DEFAULT_LIMIT })),
  },
  { additionalProperties: false },
)

export const UpcomingEvent = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  description: Type.String(),
  location: Type.String(),
  link: Nullable(Type.String()),
  starts_at: DateTime,
  ends_at: DateTime,
  image_url: Nullable(Type.String()),
  type: Type.String(),
  pinned: Type.Boolean(),
  club: Type.Object({ code: Type.String(), name: Type.String() }),
})
export const EventList = Type.Object({ events: Type.Array(UpcomingEvent) })
