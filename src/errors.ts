import type { FastifyError, FastifyInstance } from 'fastify'
import { sendSpa } from './http/web-app.js'

export interface FieldError {
  field: string
  code: string
  message: string
}

/** An expected failure with a stable machine-readable code; rendered as JSON by the error handler. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: FieldError[],
    readonly headers?: Record<string, string>,
  ) {
    super(message)
  }
}

export const notFound = (what: string) => new AppError(404, 'NOT_FOUND', `${what} not found`)
export const badRequest = (code: string, message: string, fields?: FieldError[]) =>
  new AppError(400, code, message, fields)
export const forbidden = (message = 'You are not allowed to do this') => new AppError(403, 'FORBIDDEN', message)
export const unauthorized = () => new AppError(401, 'UNAUTHENTICATED', 'Sign in first')
export const conflict = (code: string, message: string) => new AppError(409, code, message)
export const unavailable = (message: string, retryAfterS = 1) =>
  new AppError(503, 'UNAVAILABLE', message, undefined, { 'retry-after': String(retryAfterS) })

export interface ErrorBody {
  error: { code: string; message: string; fields?: FieldError[] }
}

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

export function registerErrorHandler(app: FastifyInstance): void {
  app.setNotFoundHandler((req, reply) => {
    if (sendSpa(req, reply)) return
    reply.code(404).send({ error: { code: 'NOT_FOUND', message: `No route for ${req.method} ${req.url.split('?')[0]}` } })
  })
  app.setErrorHandler((err: FastifyError | AppError | Error, req, reply) => {
    if (err instanceof AppError) {
      if (err.headers) reply.headers(err.headers)
      const body: ErrorBody = { error: { code: err.code, message: err.message } }
      if (err.fields) body.error.fields = err.fields
      return reply.code(err.status).send(body)
    }
    const fe = err as FastifyError
    if (fe.validation) {
      const fields = fe.validation.map((v) => ({
        field: fieldName(v.instancePath, v.params as Record<string, unknown>, fe.validationContext),
        code: String(v.keyword).toUpperCase(),
        message: v.message ?? 'invalid',
      }))
      return reply.code(400).send({ error: { code: 'VALIDATION_FAILED', message: fe.message, fields } })
    }
    if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
      return reply.code(fe.statusCode).send({ error: { code: fe.code ?? 'BAD_REQUEST', message: fe.message } })
    }
    if (isDbUnavailable(err)) {
      req.log.warn({ err }, 'database unavailable')
      reply.header('retry-after', '2')
      return reply.code(503).send({ error: { code: 'UNAVAILABLE', message: 'The database is unavailable, retry shortly' } })
    }
    if ((err as { code?: string }).code === '57014') {
      req.log.warn({ err }, 'statement cancelled')
      reply.header('retry-after', '1')
      return reply.code(503).send({ error: { code: 'QUERY_CANCELLED', message: 'The request took too long and was cancelled' } })
    }
    req.log.error({ err }, 'unhandled error')
    return reply.code(500).send({ error: { code: 'INTERNAL', message: 'Something went wrong' } })
  })
}

function fieldName(instancePath: string, params: Record<string, unknown>, ctx: string | undefined): string {
  const base = instancePath.replace(/^\//, '').replace(/\//g, '.')
  const missing = typeof params.missingProperty === 'string' ? params.missingProperty : ''
  const name = [base, missing].filter(Boolean).join('.')
  return name || ctx || 'body'
}
