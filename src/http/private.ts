import type { FastifyInstance } from 'fastify'
import { ErrorResponse } from './schemas.js'

/** Per-user answers must never be stored by a shared cache; public routes set their own header. */
export function privateByDefault(app: FastifyInstance): void {
  app.addHook('onSend', async (_req, reply, payload) => {
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'private, no-store')
    return payload
  })
}

export const ERRORS = {
  400: ErrorResponse,
  401: ErrorResponse,
  403: ErrorResponse,
  404: ErrorResponse,
  409: ErrorResponse,
} as const
