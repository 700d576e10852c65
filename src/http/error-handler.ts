import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify'
import type { ErrorCode } from '../error-catalog.js'
import { AppError, type FieldError, isDbUnavailable } from '../errors.js'
import { sendSpa } from './web-app.js'

export interface ErrorBody {
  error: { code: ErrorCode; message: string; fields?: FieldError[] }
}

const send = (reply: FastifyReply, status: number, error: ErrorBody['error']) => reply.code(status).send({ error } satisfies ErrorBody)

/** Fastify's own client errors, answered with catalog codes. */
function clientError(status: number): ErrorCode {
  if (status === 413) return 'PAYLOAD_TOO_LARGE'
  if (status === 415) return 'UNSUPPORTED_MEDIA_TYPE'
  if (status === 404) return 'NOT_FOUND'
  return 'BAD_REQUEST'
}

/** One place that turns every failure into `{"error": {"code", "message", "fields"?}}`. */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setNotFoundHandler((req, reply) => {
    if (sendSpa(req, reply)) return
    send(reply, 404, { code: 'NOT_FOUND', message: `No route for ${req.method} ${req.url.split('?')[0]}` })
  })
  app.setErrorHandler((err: FastifyError | AppError | Error, req, reply) => {
    if (err instanceof AppError) {
      if (err.headers) reply.headers(err.headers)
      return send(reply, err.status, { code: err.code, message: err.message, ...(err.fields ? { fields: err.fields } : {}) })
    }
    const fe = err as FastifyError
    if (fe.validation) {
      const fields = fe.validation.map((v) => ({
        field: fieldName(v.instancePath, v.params as Record<string, unknown>, fe.validationContext),
        code: String(v.keyword).toUpperCase(),
        message: v.message ?? 'invalid',
      }))
      return send(reply, 400, { code: 'VALIDATION_FAILED', message: fe.message, fields })
    }
    if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
      return send(reply, fe.statusCode, { code: clientError(fe.statusCode), message: fe.message })
    }
    if (isDbUnavailable(err)) {
      req.log.warn({ err }, 'database unavailable')
      reply.header('retry-after', '2')
      return send(reply, 503, { code: 'UNAVAILABLE', message: 'The database is unavailable, retry shortly' })
    }
    if ((err as { code?: string }).code === '57014') {
      req.log.warn({ err }, 'statement cancelled')
      reply.header('retry-after', '1')
      return send(reply, 503, { code: 'QUERY_CANCELLED', message: 'The request took too long and was cancelled' })
    }
    req.log.error({ err }, 'unhandled error')
    return send(reply, 500, { code: 'INTERNAL', message: 'Something went wrong' })
  })
}

function fieldName(instancePath: string, params: Record<string, unknown>, ctx: string | undefined): string {
  const base = instancePath.replace(/^\//, '').replace(/\//g, '.')
  const missing = typeof params.missingProperty === 'string' ? params.missingProperty : ''
  const name = [base, missing].filter(Boolean).join('.')
  return name || ctx || 'body'
}
