import { Type } from '@sinclair/typebox'

/** Path and body pieces shared by many modules (one definition each). */

/** A database id in a path or body. */
export const Id = Type.Integer({ minimum: 1, maximum: 2 ** 31 - 1 })
/** A club's address: lower-case letters, digits and dashes. */
export const ClubCode = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,63}$' })

export const IdParams = Type.Object({ id: Id })
export const CodeParams = Type.Object({ code: ClubCode })
export const CodeIdParams = Type.Object({ code: ClubCode, id: Id })
export const CodeUserParams = Type.Object({ code: ClubCode, userId: Id })

/** The answer of a change that has nothing else to say. */
export const Ok = Type.Object({ ok: Type.Boolean() })

/** One reviewed field of a club: its approved value and the proposed one (club edits, approvals). */
export const DiffEntry = Type.Object({ field: Type.String(), current: Type.Unknown(), proposed: Type.Unknown() })
