import { randomBytes } from 'node:crypto'
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
  /** HMAC key for read-your-writes tokens and sessions; must be shared by all instances. */
  readonly secret: string
  readonly logLevel: string
  /** Seed demo data when the database is empty (embedded default). */
  readonly seedDemoOnEmpty: boolean
  readonly pool: { readonly max: number; readonly queueMax: number; readonly queueTimeoutMs: number }
  readonly timeouts: { readonly webMs: number; readonly reportMs: number }
  readonly cache: { readonly l1Bytes: number }
  readonly trustProxy: boolean
  /** Outgoing mail: the outbox sender runs only when smtpUrl is set; otherwise mail stays queued. */
  readonly mail: {
    readonly smtpUrl: string | undefined
    readonly from: string
    readonly pollMs: number
    readonly retryBaseMs: number
    readonly maxAttempts: number
  }
}

export class ConfigError extends Error {}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < min) throw new ConfigError(`${name} must be an integer >= ${min}, got "${raw}"`)
  return n
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
    secret: secret || randomBytes(32).toString('hex'),
    logLevel: env.LOG_LEVEL?.trim() || (nodeEnv === 'test' ? 'silent' : 'info'),
    seedDemoOnEmpty: env.QUAD_SEED_DEMO ? env.QUAD_SEED_DEMO !== '0' : db.kind === 'pglite',
    pool: {
      max: int(env, 'QUAD_DB_POOL_MAX', 10, 1),
      queueMax: int(env, 'QUAD_DB_QUEUE_MAX', 200, 0),
      queueTimeoutMs: int(env, 'QUAD_DB_QUEUE_TIMEOUT_MS', 2000, 1),
    },
    timeouts: {
      webMs: int(env, 'QUAD_STATEMENT_TIMEOUT_MS', 2000, 1),
      reportMs: int(env, 'QUAD_REPORT_TIMEOUT_MS', 30000, 1),
    },
    cache: { l1Bytes: int(env, 'QUAD_L1_BYTES', 128 * 1024 * 1024, 0) },
    trustProxy: env.QUAD_TRUST_PROXY === '1',
    mail: {
      smtpUrl,
      from: env.QUAD_MAIL_FROM?.trim() || 'Quad <no-reply@quad.local>',
      pollMs: int(env, 'QUAD_MAIL_POLL_MS', 2000, 10),
      retryBaseMs: int(env, 'QUAD_MAIL_RETRY_BASE_MS', 30_000, 0),
      maxAttempts: int(env, 'QUAD_MAIL_MAX_ATTEMPTS', 6, 1),
    },
  }
  return Object.freeze(config)
}
