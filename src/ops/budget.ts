import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Access } from '../http/access.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * How many SQL queries one request to this route may run. Private routes declare it as
     * `config: { queryBudget: N }`, cached routes as `queryBudget: N` in publicRoute(). Going over
     * it fails the request in tests and logs a warning in development (an N+1 in the making).
     * A function is read per request, for routes whose cost follows a setting (e.g. the overlay's
     * registered sections), never the data.
     */
    queryBudget?: QueryBudget
  }
}

export type QueryBudget = number | (() => number)

export interface RouteInfo {
  method: string
  url: string
  queryBudget: QueryBudget | undefined
  /** Served from the shared cache or a derived view (declares a cache policy). */
  cached: boolean
  /** Who may call it, as a private route declares it (undefined for routes declared otherwise). */
  access: Access | undefined
}

const tables = new WeakMap<FastifyInstance, RouteInfo[]>()

/** Starts recording every route registered on the app (call before registering modules). */
export function trackRoutes(app: FastifyInstance): void {
  const list: RouteInfo[] = []
  tables.set(app, list)
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method]
    const config = route.config as { queryBudget?: QueryBudget; cachePolicy?: unknown; access?: Access } | undefined
    for (const method of methods) list.push({ method, url: route.url, queryBudget: config?.queryBudget, cached: config?.cachePolicy !== undefined, access: config?.access })
  })
}

/** Every route of the app with its declared query budget (undefined = none declared). */
export function routeTable(app: FastifyInstance): readonly RouteInfo[] {
  return tables.get(app) ?? []
}

/** /api routes that declare no query budget (API docs are static and exempt). */
export function routesWithoutBudget(app: FastifyInstance): string[] {
  return routeTable(app)
    .filter((r) => r.url.startsWith('/api/') && !r.url.startsWith('/api/docs') && r.method !== 'HEAD' && r.queryBudget === undefined)
    .map((r) => `${r.method} ${r.url}`)
}

export type BudgetMode = 'fail' | 'warn' | 'count'

export interface BudgetVerdict {
  route: string
  queries: number
  budget: number
}

/** Compares a finished request's query count with its route's budget. */
export function overBudget(req: FastifyRequest): BudgetVerdict | null {
  const declared = req.routeOptions.config?.queryBudget
  const budget = typeof declared === 'function' ? declared() : declared
  const queries = req.dbScope?.queries ?? 0
  if (budget === undefined || queries <= budget) return null
  return { route: `${req.method} ${req.routeOptions.url}`, queries, budget }
}

export function budgetMessage(v: BudgetVerdict): string {
  return `${v.route} ran ${v.queries} SQL queries; its budget is ${v.budget}. Look for a query per row (N+1) and batch it, or raise queryBudget where the route is declared if the new cost is intended.`
}

/** Replaces the response with a 500 QUERY_BUDGET_EXCEEDED (tests only). */
export function failOverBudget(reply: FastifyReply, v: BudgetVerdict): string {
  for (const h of ['content-encoding', 'etag', 'cache-status', 'content-length', 'vary']) reply.removeHeader(h)
  reply.code(500).header('content-type', 'application/json; charset=utf-8').header('cache-control', 'no-store')
  return JSON.stringify({ error: { code: 'QUERY_BUDGET_EXCEEDED', message: budgetMessage(v) } })
}
