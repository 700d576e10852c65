import cookie from '@fastify/cookie'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import fp from 'fastify-plugin'
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import type { CachePolicy } from './cache/policy.js'
import { registerErrorHandler } from './errors.js'
import { registerServerTiming } from './http/server-timing.js'
import { analyticsRoutes } from './modules/analytics/analytics.routes.js'
import { authRoutes } from './modules/auth/auth.routes.js'
import { clubRoutes } from './modules/clubs/clubs.routes.js'
import { eventRoutes } from './modules/events/events.routes.js'
import { fairRoutes } from './modules/fairs/fairs.routes.js'
import { taxonomyRoutes } from './modules/taxonomy/taxonomy.routes.js'
import type { Runtime } from './runtime.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    cachePolicy?: CachePolicy
  }
  interface FastifyInstance {
    runtime: Runtime
  }
}

/** Builds the HTTP application on a runtime; no I/O happens until listen() or inject(). */
export async function buildApp(runtime: Runtime): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: runtime.log as FastifyBaseLogger,
    trustProxy: runtime.config.trustProxy,
    bodyLimit: 1024 * 1024,
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: true, useDefaults: true, allErrors: false } },
  }) as unknown as FastifyInstance

  app.decorate('runtime', runtime)
  app.decorate('cacheDeps', { engine: runtime.cache.engine, ryw: runtime.cache.ryw, db: runtime.db })
  registerErrorHandler(app)
  registerServerTiming(app)
  await app.register(cookie, { secret: runtime.config.secret })
  runtime.cache.registerHooks(app)

  await app.register(swagger, {
    openapi: {
      info: { title: 'Quad API', version: '1.0.0', description: 'University club directory and centralized recruitment' },
    },
  })
  await app.register(swaggerUi, { routePrefix: '/api/docs' })
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger())

  await app.register(fp(authRoutes))
  await app.register(clubRoutes)
  await app.register(taxonomyRoutes)
  await app.register(eventRoutes)
  await app.register(fairRoutes)
  await app.register(fp(analyticsRoutes))
  return app
}
