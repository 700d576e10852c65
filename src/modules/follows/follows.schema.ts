import { Type } from '@sinclair/typebox'
import { DateTime } from '../../http/schemas.js'

export const Bookmarked = Type.Object({ club: Type.String(), bookmarked: Type.Boolean() })
export const Subscribed = Type.Object({ club: Type.String(), subscribed: Type.Boolean() })
export const Subscriber = Type.Object({ user_id: Type.Integer(), name: Type.String(), email: Type.String(), subscribed_at: DateTime })
export const SubscriberList = Type.Object({ subscribers: Type.Array(Subscriber) })
