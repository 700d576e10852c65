import { type ErrorCode, statusOf } from './error-catalog.js'

export interface FieldError {
  field: string
  code: string
  message: string
}

/** An expected failure with a stable code from the catalog; rendered as JSON by the error handler. */
export class AppError extends Error {
  readonly status: number

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: FieldError[],
    readonly headers?: Record<string, string>,
  ) {
    super(message)
    this.status = statusOf(code)
  }
}

/** The error for `code` (its status comes from the catalog). */
export const fail = (code: ErrorCode, message: string, fields?: FieldError[], headers?: Record<string, string>) => new AppError(code, message, fields, headers)
export const notFound = (what: string) => fail('NOT_FOUND', `${what} not found`)
export const forbidden = (message = 'You are not allowed to do this') => fail('FORBIDDEN', message)
export const unauthorized = () => fail('UNAUTHENTICATED', 'Sign in first')
export const unavailable = (message: string, retryAfterS = 1) => fail('UNAVAILABLE', message, undefined, { 'retry-after': String(retryAfterS) })

const PG_UNAVAILABLE = new Set(['57P01', '57P02', '57P03', '08000', '08001', '08003', '08006', 'ECONNREFUSED', 'ECONNRESET'])

/**
 * Classifies errors that mean "the database is not there right now" — including admission control
 * refusing the request (OVERLOADED), so a cached read can still be served within its grace.
 */
export function isDbUnavailable(err: unknown): boolean {
  if (err instanceof AppError) return err.code === 'OVERLOADED'
  const code = (err as { code?: unknown })?.code
  if (typeof code === 'string' && PG_UNAVAILABLE.has(code)) return true
  const msg = (err as Error)?.message ?? ''
  return /Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect/i.test(msg)
}
