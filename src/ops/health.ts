import { ping } from '../db/database.js'
import { migrationsApplied } from '../db/migrate.js'
import { outsideScope } from '../db/scope.js'
import type { Runtime } from '../runtime.js'

export interface Check {
  ok: boolean
  ms: number
  error?: string
}

export interface Readiness {
  status: 'ready' | 'not_ready' | 'shutting_down'
  checks: { database: Check; migrations: Check; redis: Check | null }
}

const CHECK_TIMEOUT_MS = 2000

async function timed(fn: () => Promise<boolean>, failure: string): Promise<Check> {
  const t0 = performance.now()
  let timer: NodeJS.Timeout | undefined
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS)
    })
    const ok = await Promise.race([fn(), timeout])
    const ms = Math.round(performance.now() - t0)
    return ok ? { ok, ms } : { ok, ms, error: failure }
  } catch (err) {
    return { ok: false, ms: Math.round(performance.now() - t0), error: (err as Error).message }
  } finally {
    clearTimeout(timer)
  }
}

/**
 * Ready = this instance can serve: the database answers, has every migration this build knows,
 * and Redis answers when one is configured. The checks run as system work, so admission control
 * never sheds a probe of an instance that is busy but healthy.
 */
export async function readiness(runtime: Runtime): Promise<Readiness> {
  const { redis } = runtime.cache
  const [database, migrations, redisCheck] = await Promise.all([
    timed(async () => {
      await outsideScope(() => ping(runtime.db))
      return true
    }, 'database unreachable'),
    timed(() => outsideScope(() => migrationsApplied(runtime.db)), 'migrations pending (run quad migrate)'),
    redis ? timed(async () => (await redis.ping()) === 'PONG', 'redis did not answer PONG') : Promise.resolve(null),
  ])
  const ok = database.ok && migrations.ok && (redisCheck?.ok ?? true)
  const status = runtime.ops.shuttingDown ? 'shutting_down' : ok ? 'ready' : 'not_ready'
  return { status, checks: { database, migrations, redis: redisCheck } }
}
