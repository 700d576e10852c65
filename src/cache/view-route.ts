import type { Static, TSchema } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { LiveModel, ModelRead } from './live-model.js'
import type { Outcome } from './events.js'
import type { CachePolicy } from './policy.js'
import { cacheKey, cachedRouteSchema, sendAnswer } from './public-route.js'
import { RYW_COOKIE } from './ryw.js'

export interface ViewRouteDef<S, R extends TSchema, Q extends TSchema = TSchema> {
  readonly url: string
  readonly summary: string
  readonly tags?: string[]
  readonly querystring?: Q
  /** Documents the body; the body itself is rendered by `render` (pre-serialized pieces). */
  readonly response: R
  readonly cache: CachePolicy
  /** Statements one request may cause: only a request that leads a model sync runs any. */
  readonly queryBudget: number
  readonly model: LiveModel<S>
  /** Maps validated query values that give the same body to one key. */
  readonly normalize?: (q: Static<Q>) => Static<Q>
  /** A name under which instances share this variant's compressed bytes (a bounded set), or null. */
  readonly shareAs?: (q: Static<Q>) => string | null
  /** The JSON body of a variant and the wall time it stops being true (0 = never). */
  readonly render: (state: S, q: Static<Q>, now: Date) => { body: string; until: number }
}

/**
 * A GET route computed in process from a derived view (LiveModel): every variant (filters,
 * search, orders, pages) costs no SQL; its bytes are kept per instance for the model's revision.
 * Like publicRoute, the handler sees no viewer, and the answer carries Cache-Status and an ETag.
 */
export function viewRoute<S, R extends TSchema, Q extends TSchema = TSchema>(app: FastifyInstance, def: ViewRouteDef<S, R, Q>): void {
  const route = `GET ${def.url}`
  app.get(
    def.url,
    {
      schema: cachedRouteSchema(def, ['VALIDATION_FAILED', 'UNAVAILABLE']),
      config: { cachePolicy: def.cache, queryBudget: def.queryBudget },
    },
    async (req, reply) => {
      const { views, ryw, events, frontDoor } = app.cacheDeps
      const declared = (def.querystring ? req.query : {}) as Static<Q>
      const query = def.normalize ? def.normalize(declared) : declared
      const token = ryw.verify(req.cookies?.[RYW_COOKIE])
      const m = await def.model.read({ ryw: token, budgetMs: def.cache.budgetMs, graceMs: def.cache.graceMs })
      req.dbScope.queries += m.queries
      req.dbScope.dbMs += m.dbMs
      const now = Date.now()
      const shareAs = def.shareAs?.(query) ?? null
      const key = cacheKey(def.url, {}, query)
      const { entry, stored } = await views.get(key, m.revision, now, () => def.render(m.state, query, new Date(now)), shareAs)
      const outcome = outcomeOf(m, stored)
      events.served(route, outcome)
      if (token === null) {
        frontDoor.remember(req.url, def.url, async () => {
          const r = await def.model.read({ ryw: null, budgetMs: def.cache.budgetMs, graceMs: def.cache.graceMs })
          const kept = r.outcome === 'current' || r.outcome === 'synced' ? views.peek(key, r.revision, Date.now()) : null
          if (!kept) return null
          events.served(route, 'hit-view')
          return { entry: kept, cacheStatus: 'quad; hit; detail="view"', queries: r.queries, dbMs: r.dbMs }
        })
      }
      return sendAnswer(req, reply, { entry, outcome, staleMs: m.staleMs, detail: m.detail })
    },
  )
}

function outcomeOf(m: ModelRead<unknown>, stored: boolean): Outcome {
  if (m.outcome === 'stale-served' || m.outcome === 'grace' || m.outcome === 'bypass') return m.outcome
  return stored ? 'hit-view' : 'computed'
}
