import cookie from '@fastify/cookie'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import fp from 'fastify-plugin'
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import type { CachePolicy } from './cache/policy.js'
import { registerErrorHandler } from './http/error-handler.js'
import type { PrivateDeps } from './http/private-route.js'
import { documentedSchema, openapiDocument } from './http/openapi.js'
import { FrontDoor } from './http/front-door.js'
import { secureCookiePolicy } from './http/cookies.js'
import { registerSecurityHeaders, securityHeaders } from './http/security-headers.js'
import { ERROR_SCHEMA_ID, ErrorResponse } from './http/schemas.js'
import { registerServerTiming } from './http/server-timing.js'
import { registerWebApp } from './http/web-app.js'
import { analyticsRoutes } from './modules/analytics/analytics.routes.js'
import { applicationRoutes } from './modules/applications/applications.routes.js'
import { authRoutes } from './modules/auth/auth.routes.js'
import { oidcRoutes } from './modules/auth/oidc.routes.js'
import { adminRoutes } from './modules/admin/admin.routes.js'
import { approvalRoutes } from './modules/approvals/approvals.routes.js'
import { followRoutes } from './modules/follows/follows.routes.js'
import { manageRoutes } from './modules/manage/manage.routes.js'
import { meRoutes } from './modules/me/me.routes.js'
import { membershipRoutes } from './modules/membership/membership.routes.js'
import { clubRoutes } from './modules/clubs/clubs.routes.js'
import { directoryPlugin } from './modules/clubs/directory.plugin.js'
import { cycleRoutes } from './modules/cycles/cycles.routes.js'
import { eventRoutes } from './modules/events/events.routes.js'
import { fairRoutes } from './modules/fairs/fairs.routes.js'
import { mailPlugin } from './modules/mail/mail.plugin.js'
import { reviewRoutes } from './modules/review/review.routes.js'
import { submissionRoutes } from './modules/submissions/submissions.routes.js'
import { taxonomyRoutes } from './modules/taxonomy/taxonomy.routes.js'
import { opsServerOptions, registerOps } from './ops/http.js'
import { opsRoutes } from './ops/ops.routes.js'
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
  const headers = securityHeaders(runtime.config)
  const { ops } = runtime
  const shedLagMs = runtime.config.ops.shedLagMs
  const frontDoor = new FrontDoor({
    securityHeaders: headers,
    metrics: ops.metrics,
    window: ops.window,
    shuttingDown: () => ops.shuttingDown,
    overloaded: () => shedLagMs > 0 && ops.loopLag.ms > shedLagMs,
  })
  const app = Fastify({
    serverFactory: (handler) => frontDoor.server(handler),
    loggerInstance: runtime.log as FastifyBaseLogger,
    // Only the proxy directly in front: the client address is the X-Forwarded-For entry it added,
    // so a client cannot pick its own address (sign-in throttling is keyed by it).
    trustProxy: runtime.config.trustProxy ? (_address: string, hop: number) => hop === 0 : false,
    bodyLimit: 1024 * 1024,
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: true, useDefaults: true, allErrors: false } },
    ...opsServerOptions(runtime.config),
  }) as unknown as FastifyInstance

  app.decorate('runtime', runtime)
  app.addSchema({ $id: ERROR_SCHEMA_ID, ...ErrorResponse })
  app.decorate('privateDeps', {
    db: runtime.db,
    reportDb: runtime.reportDb,
    write: runtime.write,
    writeOne: runtime.writeOne,
    secureCookies: secureCookiePolicy(runtime.config.publicUrl),
  } satisfies PrivateDeps)
  app.decorate('cacheDeps', { frontDoor, engine: runtime.cache.engine, ryw: runtime.cache.ryw, db: runtime.db, views: runtime.cache.views, events: runtime.cache.events })
  registerErrorHandler(app)
  registerServerTiming(app)
  registerOps(app)
  registerSecurityHeaders(app, headers)
  await app.register(cookie, { secret: runtime.config.secret })
  runtime.cache.registerHooks(app)

  await app.register(swagger, {
    openapi: openapiDocument(runtime.config),
    transform: ({ schema, url }) => ({ schema: documentedSchema(schema), url }),
    // Shared schemas keep their names in the document (QuadError, not def-0).
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  })
  // The docs page's own policy (its scripts and styles are files); no upgrade to https on http deployments.
  const docsCsp = "default-src 'self'; base-uri 'self'; font-src 'self' data:; frame-ancestors 'none'; img-src 'self' data:; object-src 'none'; script-src 'self'; style-src 'self'"
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: docsCsp })
  app.get('/api/openapi.json', { schema: { hide: true }, config: { queryBudget: 0 } }, async () => app.swagger())

  await app.register(fp(authRoutes))
  await app.register(oidcRoutes)
  await app.register(directoryPlugin)
  await app.register(clubRoutes)
  await app.register(taxonomyRoutes)
  await app.register(eventRoutes)
  await app.register(fairRoutes)
  await app.register(meRoutes)
  await app.register(followRoutes)
  await app.register(membershipRoutes)
  await app.register(manageRoutes)
  await app.register(approvalRoutes)
  await app.register(adminRoutes)
  await app.register(fp(analyticsRoutes))
  await app.register(opsRoutes)
  await app.register(cycleRoutes)
  await app.register(applicationRoutes)
  await app.register(submissionRoutes)
  await app.register(mailPlugin)
  await app.register(reviewRoutes)
  await registerWebApp(app)
  return app
}
