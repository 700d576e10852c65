import { type TSchema, Type } from '@sinclair/typebox'

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
