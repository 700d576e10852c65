import { createHash, randomBytes } from 'node:crypto'
import path from 'node:path'

export type DbConfig =
  | { kind: 'postgres'; url: string }
  | { kind: 'pglite'; dataDir: string }

export interface Config {
  readonly env: 'development' | 'test' | 'production'
  readonly host: string
  readonly port: number
  readonly db: DbConfig
  readonly redisUrl: string | undefined
  /**
   * Scopes every Redis key and pub/sub channel of this deployment (pub/sub ignores database
   * numbers, so two deployments on one Redis server must not share it).
   */
  readonly redisPrefix: string
  /** HMAC key for read-your-writes tokens and sessions; must be shared by all instances. */
  readonly secret: string
  readonly logLevel: string
  /** Seed demo data when the database is empty (embedded default). */
  readonly seedDemoOnEmpty: boolean
  /** Interactive pool ('quad-web'), its admission queue, and the report pool ('quad-report'). */
  readonly pool: { readonly max: number; readonly queueMax: number; readonly queueTimeoutMs: number; readonly reportMax: number }
  /** statement_timeout per request class, set on every connection of its pool. */
  readonly timeouts: { readonly webMs: number; readonly reportMs: number }
  readonly ops: {
    readonly slowRequestMs: number
    /** Event-loop lag past which requests that are not cache hits are refused (0 = never). */
    readonly shedLagMs: number
    readonly slowQueryMs: number
    /** How long `quad serve` lets in-flight requests finish on SIGTERM/SIGINT. */
    readonly shutdownMs: number
    /** When set, GET /metrics requires `Authorization: Bearer <token>`. */
    readonly metricsToken: string | undefined
  }
  readonly watchdog: {
    /** 0 disables the in-server watchdog (`quad watchdog` can run it on its own). */
    readonly intervalMs: number
    /** Time between cancelling a query and terminating its backend if it is still running. */
    readonly graceMs: number
    /** Budget of quad* application names that have no budget of their own. */
    readonly defaultMs: number
    /** Per application_name budgets (0 = never touched); overrides the built-in classes. */
    readonly budgets: Readonly<Record<string, number>>
  }
  readonly cache: { readonly l1Bytes: number; readonly viewBytes: number }
  readonly trustProxy: boolean
  /** Where users reach Quad; links in emails (invites) point here. */
  readonly publicUrl: string
  /** University identity provider (OpenID Connect); null when not configured. */
  readonly oidc: OidcConfig | null
  /** Outgoing mail: the outbox sender runs only when smtpUrl is set; otherwise mail stays queued. */
  readonly mail: {
    readonly smtpUrl: string | undefined
    readonly from: string
    readonly pollMs: number
    readonly retryBaseMs: number
    readonly maxAttempts: number
  }
}

export interface OidcConfig {
  readonly issuer: string
  readonly clientId: string
  readonly clientSecret: string | undefined
  readonly redirectUrl: string
}

export class ConfigError extends Error {}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < min) throw new ConfigError(`${name} must be an integer >= ${min}, got "${raw}"`)
  return n
}

/** "quad-batch=60000,quad-seed=0" → { 'quad-batch': 60000, 'quad-seed': 0 } */
function budgets(env: NodeJS.ProcessEnv, name: string): Record<string, number> {
  const out: Record<string, number> = {}
  for (const part of (env[name] ?? '').split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^(quad[\w.-]*)=(\d+)$/.exec(part)
    if (!m) throw new ConfigError(`${name} must look like "quad-web=2000,quad-seed=0", got "${part}"`)
    out[m[1]!] = Number(m[2])
  }
  return out
}

function url(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = env[name]?.trim()
  if (!raw) return undefined
  try {
    const u = new URL(raw)
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('not http(s)')
  } catch {
    throw new ConfigError(`${name} must be an http(s) URL, got "${raw}"`)
  }
  return raw.replace(/\/$/, '')
}

function oidcConfig(env: NodeJS.ProcessEnv): OidcConfig | null {
  const issuer = url(env, 'QUAD_OIDC_ISSUER')
  const clientId = env.QUAD_OIDC_CLIENT_ID?.trim() || undefined
  const redirectUrl = url(env, 'QUAD_OIDC_REDIRECT_URL')
  const clientSecret = env.QUAD_OIDC_CLIENT_SECRET?.trim() || undefined
  if (!issuer && !clientId && !redirectUrl) return null
  if (!issuer || !clientId || !redirectUrl) {
    throw new ConfigError('QUAD_OIDC_ISSUER, QUAD_OIDC_CLIENT_ID and QUAD_OIDC_REDIRECT_URL must be set together')
  }
  return { issuer, clientId, clientSecret, redirectUrl }
}

/** QUAD_REDIS_PREFIX, or one derived from the database's host, port and name (its data folder when embedded). */
function redisPrefix(env: NodeJS.ProcessEnv, db: DbConfig): string {
  const given = env.QUAD_REDIS_PREFIX?.trim()
  if (given) {
    if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(given)) throw new ConfigError('QUAD_REDIS_PREFIX must be 1-64 letters, digits or _ . : -')
    return given.endsWith(':') ? given : `${given}:`
  }
  let identity: string
  if (db.kind === 'postgres') {
    const u = new URL(db.url)
    identity = `${u.hostname}:${u.port || '5432'}/${u.pathname.slice(1) || u.username}`
  } else identity = db.dataDir
  return `quad:${createHash('sha256').update(identity).digest('hex').slice(0, 10)}:`
}

/** Parses the environment once; throws ConfigError with the offending variable on bad input. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const nodeEnv = env.NODE_ENV === 'production' ? 'production' : env.NODE_ENV === 'test' ? 'test' : 'development'
  const databaseUrl = env.DATABASE_URL?.trim()
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql://')
  }
  const redisUrl = env.REDIS_URL?.trim() || undefined
  if (redisUrl && !/^rediss?:\/\//.test(redisUrl)) throw new ConfigError('REDIS_URL must start with redis:// or rediss://')
  const smtpUrl = env.QUAD_SMTP_URL?.trim() || undefined
  if (smtpUrl && !/^smtps?:\/\//.test(smtpUrl)) throw new ConfigError('QUAD_SMTP_URL must start with smtp:// or smtps://')
  const secret = env.QUAD_SECRET?.trim()
  if (nodeEnv === 'production' && (!secret || secret.length < 32)) {
    throw new ConfigError('QUAD_SECRET (32+ characters) is required in production')
  }
  const dataDir = env.QUAD_DATA_DIR?.trim() || '.quad-data'
  const db: DbConfig = databaseUrl
    ? { kind: 'postgres', url: databaseUrl }
    : { kind: 'pglite', dataDir: dataDir.startsWith('memory://') ? dataDir : path.resolve(dataDir) }
  const config: Config = {
    env: nodeEnv,
    host: env.HOST?.trim() || '127.0.0.1',
    port: int(env, 'PORT', 3000),
    db,
    redisUrl,
    redisPrefix: redisPrefix(env, db),
    secret: secret || randomBytes(32).toString('hex'),
    logLevel: env.LOG_LEVEL?.trim() || (nodeEnv === 'test' ? 'silent' : 'info'),
    seedDemoOnEmpty: env.QUAD_SEED_DEMO ? env.QUAD_SEED_DEMO !== '0' : db.kind === 'pglite',
    pool: {
      max: int(env, 'QUAD_DB_POOL_MAX', 10, 1),
      queueMax: int(env, 'QUAD_DB_QUEUE_MAX', 200, 0),
      queueTimeoutMs: int(env, 'QUAD_DB_QUEUE_TIMEOUT_MS', 2000, 1),
      reportMax: int(env, 'QUAD_REPORT_POOL_MAX', 2, 1),
    },
    timeouts: {
      webMs: int(env, 'QUAD_STATEMENT_TIMEOUT_MS', 2000, 1),
      reportMs: int(env, 'QUAD_REPORT_TIMEOUT_MS', 30000, 1),
    },
    ops: {
      slowRequestMs: int(env, 'QUAD_SLOW_REQUEST_MS', 1000, 1),
      slowQueryMs: int(env, 'QUAD_SLOW_QUERY_MS', 250, 1),
      shutdownMs: int(env, 'QUAD_SHUTDOWN_MS', 10000, 0),
      // Tests saturate the machine on purpose; the test that checks shedding turns it on.
      shedLagMs: int(env, 'QUAD_SHED_LAG_MS', nodeEnv === 'test' ? 0 : 100, 0),
      metricsToken: env.QUAD_METRICS_TOKEN?.trim() || undefined,
    },
    watchdog: {
      // Tests start many instances; each test that wants the watchdog turns it on.
      intervalMs: int(env, 'QUAD_WATCHDOG_INTERVAL_MS', nodeEnv === 'test' ? 0 : 5000, 0),
      graceMs: int(env, 'QUAD_WATCHDOG_GRACE_MS', 5000, 0),
      defaultMs: int(env, 'QUAD_WATCHDOG_DEFAULT_MS', 30000, 1),
      budgets: budgets(env, 'QUAD_WATCHDOG_BUDGETS'),
    },
    cache: { l1Bytes: int(env, 'QUAD_L1_BYTES', 48 * 1024 * 1024, 0), viewBytes: int(env, 'QUAD_VIEW_BYTES', 16 * 1024 * 1024, 0) },
    trustProxy: env.QUAD_TRUST_PROXY === '1',
    publicUrl: url(env, 'QUAD_PUBLIC_URL') ?? `http://${env.HOST?.trim() || '127.0.0.1'}:${int(env, 'PORT', 3000)}`,
    oidc: oidcConfig(env),
    mail: {
      smtpUrl,
      from: env.QUAD_MAIL_FROM?.trim() || 'Quad <no-reply@quad.local>',
      pollMs: int(env, 'QUAD_MAIL_POLL_MS', 2000, 10),
      retryBaseMs: int(env, 'QUAD_MAIL_RETRY_BASE_MS', 30_000, 0),
      maxAttempts: int(env, 'QUAD_MAIL_MAX_ATTEMPTS', 6, 1),
    },
  }
  if (config.watchdog.intervalMs > 0 && config.watchdog.intervalMs < 100) {
    throw new ConfigError('QUAD_WATCHDOG_INTERVAL_MS must be 0 (off) or at least 100')
  }
  return Object.freeze(config)
}
