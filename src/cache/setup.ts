import type { FastifyInstance } from 'fastify'
import { Redis } from 'ioredis'
import type { Logger } from 'pino'
import type { Config } from '../config.js'
import { secureCookiePolicy } from '../http/cookies.js'
import type { Database } from '../db/database.js'
import { currentScope } from '../db/scope.js'
import type { CommitHook } from '../db/write.js'
import { Bus } from './bus.js'
import { CacheEngine, type EngineOptions } from './engine.js'
import { CacheCounters } from './events.js'
import { Invalidator } from './invalidator.js'
import { RedisStore } from './redis-store.js'
import { RYW_COOKIE, RYW_TTL_S, RywTokens } from './ryw.js'
import { localEncoder, RedisEncoder, VariantStore } from './variants.js'
import { MemoryVersionStore, type OutboxRow } from './versions.js'

export interface Cache {
  readonly engine: CacheEngine
  readonly events: CacheCounters
  readonly ryw: RywTokens
  /** Bytes of derived views' variants (per instance; large bodies' encodings shared via Redis). */
  readonly views: VariantStore
  readonly invalidator: Invalidator
  readonly redis: Redis | null
  /** Key prefix in Redis (null in embedded mode). */
  readonly prefix: string | null
  /** Writer path: apply a committed transaction's outbox rows before responding. */
  readonly onCommit: CommitHook
  registerHooks(app: FastifyInstance): void
  close(): Promise<void>
}

export interface CacheOptions {
  prefix?: string
  engine?: Partial<EngineOptions>
  pollIntervalMs?: number
  /** How long the invalidator may go without a poll while LISTEN is up. */
  backstopMs?: number
}

export async function createCache(config: Config, database: Database, log: Logger, opts: CacheOptions = {}): Promise<Cache> {
  const events = new CacheCounters()
  const engineOpts: EngineOptions = { l1Bytes: config.cache.l1Bytes, events, ...opts.engine }
  let redis: Redis | null = null
  let bus: Bus | null = null
  let engine: CacheEngine
  let store: RedisStore | null = null
  if (config.redisUrl) {
    redis = new Redis(config.redisUrl, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: 1000,
      connectTimeout: 2000,
      retryStrategy: (n) => Math.min(n * 100, 1000),
      lazyConnect: true,
    })
    redis.on('error', (err) => log.debug({ err }, 'redis error'))
    store = new RedisStore(redis, opts.prefix ?? config.redisPrefix)
    bus = new Bus(store.busChannel, store.filledChannel, () => engine.flushL1())
    engine = new CacheEngine({ kind: 'redis', redis: store, bus }, engineOpts)
    try {
      await redis.connect()
    } catch (err) {
      // Start anyway: the engine serves degraded until Redis answers.
      log.warn({ err }, 'redis unavailable at start; serving degraded')
    }
    await bus.start(redis, () => store!.clock()).catch((err) => log.warn({ err }, 'cache bus not subscribed yet'))
  } else {
    engine = new CacheEngine({ kind: 'memory', versions: new MemoryVersionStore() }, engineOpts)
  }

  const cursorKey = `${opts.prefix ?? config.redisPrefix}cursor`
  const invalidator = new Invalidator(database.db, {
    listen: database.pgConfig,
    intervalMs: opts.pollIntervalMs,
    backstopMs: opts.backstopMs,
    apply: (rows) => engine.apply(rows),
    onLag: (ms) => events.invalidationLag(ms),
    onError: (err) => log.warn({ err }, 'cache invalidator'),
    ...(redis
      ? {
          loadCursor: async () => redis!.get(cursorKey),
          saveCursor: async (xid: string) => void (await redis!.set(cursorKey, xid)),
        }
      : {}),
  })
  engine.catchUp = () => invalidator.catchUp()
  await invalidator.start()

  const ryw = new RywTokens(config.secret)
  const encoder = redis && store ? new RedisEncoder(redis, store.prefix) : localEncoder
  const views = new VariantStore(encoder, { maxBytes: config.cache.viewBytes, maxEntries: 5000 })
  const onCommit: CommitHook = async (rows: readonly OutboxRow[]) => {
    try {
      const applied = await engine.apply(rows)
      const scope = currentScope()
      if (scope && applied.clock > scope.wroteClock) scope.wroteClock = applied.clock
    } catch (err) {
      // Committed but not yet visible to other instances: the invalidator retries the rows.
      log.warn({ err }, 'could not apply outbox rows after commit')
    }
  }

  return {
    engine,
    events,
    ryw,
    views,
    invalidator,
    redis,
    prefix: redis ? (opts.prefix ?? config.redisPrefix) : null,
    onCommit,
    registerHooks(app) {
      const secureCookies = secureCookiePolicy(config.publicUrl)
      app.addHook('onSend', async (req, reply, payload) => {
        const scope = req.dbScope
        if (!scope) return payload
        if (scope.untrackedWrite) {
          // A write outside writeTransaction: wait until the invalidator has applied it.
          await invalidator.catchUp().catch((err) => req.log.warn({ err }, 'catch-up after write failed'))
        }
        if (scope.wroteClock > 0) {
          reply.setCookie(RYW_COOKIE, ryw.sign(scope.wroteClock), {
            path: '/',
            maxAge: RYW_TTL_S,
            httpOnly: true,
            sameSite: 'lax',
            secure: secureCookies(req),
          })
        }
        return payload
      })
    },
    async close() {
      await invalidator.stop()
      await bus?.stop()
      redis?.disconnect()
    },
  }
}
