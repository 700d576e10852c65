import { type TSchema, Type } from '@sinclair/typebox'
import { fail } from '../errors.js'

export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      fields: Type.Optional(Type.Array(Type.Object({ field: Type.String(), code: Type.String(), message: Type.String() }))),
    }),
  },
)

/** A timestamp: Date objects or ISO strings in, ISO strings out. */
export const DateTime = Type.Unsafe<Date | string>({ type: 'string', format: 'date-time' })

export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()])

/** Comma-separated list in a query string ("a,b") validated as a pattern. */
export const CsvParam = (pattern: string, description: string) =>
  Type.String({ pattern: `^(${pattern})(,(${pattern}))*$`, maxLength: 500, description })

/**
 * Unknown properties are removed by validation (removeAdditional), so a PATCH may arrive empty
 * after it; that is a mistake of the caller, not a no-op.
 */
export function requireChanges<T extends object>(body: T | undefined): T {
  const defined = body ? Object.values(body).filter((v) => v !== undefined) : []
  if (!defined.length) throw fail('VALIDATION_FAILED', 'Nothing to change', [{ field: 'body', code: 'MINPROPERTIES', message: 'must name at least one known field' }])
  return body!
}

/** A moment as ISO UTC plus its rendering in one IANA time zone (deadlines, release times). */
export const LocalTimeSchema = Type.Object({
  utc: Type.String(),
  time_zone: Type.String(),
  local: Type.String(),
  local_iso: Type.String(),
})

/** An application's committee and question, as its public page, its officers and its reviewers see them. */
export const Committee = Type.Object({ id: Type.Integer(), name: Type.String(), description: Type.String(), position: Type.Integer() })
export const Choice = Type.Object({ id: Type.Integer(), label: Type.String() })
export const Question = Type.Object({
  id: Type.Integer(),
  type: Type.String(),
  prompt: Type.String(),
  word_limit: Nullable(Type.Integer()),
  required: Type.Boolean(),
  position: Type.Integer(),
  committee_ids: Type.Array(Type.Integer()),
  choices: Type.Array(Choice),
})

/** Registered once (app.addSchema); responses refer to it, so the document and types hold it once. */
export const ERROR_SCHEMA_ID = 'QuadError'
export const errorResponseRef = (codes: readonly string[]) => ({ $ref: `${ERROR_SCHEMA_ID}#`, 'x-response-description': `Error codes: ${codes.join(', ')}` })
