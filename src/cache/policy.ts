import type { Static, TSchema } from '@sinclair/typebox'
import type { QuadDb } from '../db/database.js'

/**
 * How a public route may be served from the cache.
 * - budgetMs: how stale a response may be (soft staleness only) while a refresh runs.
 * - ttlMs: backstop lifetime of an entry even if no dependency moves.
 * - graceMs: how long past staleness a copy may be served when the database or Redis fails.
 */
export interface CachePolicy {
  readonly budgetMs: number
  readonly ttlMs: number
  readonly graceMs: number
  /**
   * Tables whose changes may be shown late, within budgetMs (e.g. bookmark counters). A change to
   * any other dependency is visible to every client as soon as the writing request returns.
   */
  readonly softTables?: readonly string[]
}

/** Directory data: counters may lag a few seconds under load; everything else is exact. */
export const DIRECTORY_POLICY: CachePolicy = {
  budgetMs: 5_000,
  ttlMs: 10 * 60_000,
  graceMs: 30 * 60_000,
  softTables: ['club_stats'],
}
/** Anything about applications and deadlines is never served stale. */
export const APPLICATION_POLICY: CachePolicy = { budgetMs: 0, ttlMs: 5 * 60_000, graceMs: 10 * 60_000 }

/**
 * What a cacheable handler may see. There is deliberately no request, user or session here: the
 * result is shared by every viewer, so reading the viewer must not compile.
 */
export interface PublicContext<P = unknown, Q = unknown> {
  readonly params: P
  readonly query: Q
  /** Read-only use: every query records its dependencies; writes are rejected. */
  readonly db: QuadDb
  /** The request time; use it instead of now() so expiry can be computed. */
  readonly now: Date
  /** The response stops being true at this time (an event ends, a deadline passes). */
  validUntil(at: Date | string | null | undefined): void
  /** An explicit dependency key in addition to what the queries read. */
  depend(key: string): void
}

export interface PublicRouteDef<P extends TSchema, Q extends TSchema, R extends TSchema> {
  readonly url: string
  readonly params?: P
  readonly querystring?: Q
  readonly response: R
  readonly cache: CachePolicy
  /** SQL queries one fill may run (see FastifyContextConfig.queryBudget); asserted in tests. */
  readonly queryBudget?: number
  readonly summary: string
  readonly tags?: string[]
  /**
   * Maps validated query values that give the same response to one cache key (seed buckets,
   * page-size buckets). Only schema-declared params ever reach a key; others are stripped.
   */
  readonly normalize?: (query: Static<Q>) => Static<Q>
  /**
   * Whether this variant may be stored in the shared cache (default: yes). Variants outside a
   * bounded set (free dates, rare combinations) are computed per request and never stored.
   */
  readonly share?: (query: Static<Q>, params: Static<P>) => boolean
  /**
   * Consulted before a fill: false answers 404 without storing anything, so unknown ids or
   * codes mint no entries (e.g. checked against an in-memory model, with no SQL).
   */
  readonly exists?: (params: Static<P>, viewer: { ryw: number | null }) => Promise<boolean>
  /** The bound on this route's shared entries, stated for review and asserted by the key tests. */
  readonly keyBound: string
  readonly handler: (ctx: PublicContext<Static<P>, Static<Q>>) => Promise<Static<R>>
}
