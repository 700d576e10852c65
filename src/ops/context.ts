import { AsyncLocalStorage } from 'node:async_hooks'
import type { FastifyBaseLogger } from 'fastify'

/**
 * Which request a piece of work belongs to. Kept apart from the database scope because cached
 * fills run their queries in a scope of their own, yet a slow query there still belongs to (and is
 * logged with) the request's route and id.
 */
export interface RequestContext {
  id: string
  route: string
  log: FastifyBaseLogger
}

const storage = new AsyncLocalStorage<RequestContext>()

export const currentRequest = (): RequestContext | undefined => storage.getStore()
export const runInRequest = <T>(ctx: RequestContext, fn: () => T): T => storage.run(ctx, fn)
