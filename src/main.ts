import { parseArgs } from 'node:util'
import { buildApp } from './app.js'
import { ConfigError, loadConfig } from './config.js'
import { openDatabase } from './db/database.js'
import { migrateToLatest } from './db/migrate.js'
import { installSignalHandlers } from './ops/shutdown.js'
import { runWatchdogCli } from './ops/watchdog-cli.js'
import { createRuntime } from './runtime.js'
import { type Scale, SCALE_NAMES } from './seed/generate.js'
import { seed } from './seed/seed.js'

const USAGE = `Usage: quad <command> [options]

Commands:
  serve                       run the server (migrates the database first)
  migrate                     apply database migrations
  seed --scale demo|seed|10x|multicampus
                              fill an empty database with generated data [--random-seed N]
  watchdog [--once]           cancel quad* queries past their budget (needs DATABASE_URL)

Configuration comes from the environment: DATABASE_URL, REDIS_URL, PORT, QUAD_DATA_DIR (see README).
The deadline-day benchmark is not part of this command: run \`npm run bench\` from a checkout.`

async function serve() {
  const config = loadConfig()
  const runtime = await createRuntime(config)
  const app = await buildApp(runtime)
  installSignalHandlers(app, runtime)
  await app.listen({ host: config.host, port: config.port })
  const where = config.db.kind === 'pglite' ? `embedded database in ${config.db.dataDir}` : 'PostgreSQL'
  runtime.log.info(`Quad is serving http://${config.host}:${config.port} (${where}, ${config.redisUrl ? 'Redis' : 'in-process'} cache)`)
}

async function migrate() {
  const config = loadConfig()
  const database = await openDatabase(config.db, { appName: 'quad-migrate' })
  try {
    const applied = await migrateToLatest(database.db)
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'already up to date')
  } finally {
    await database.close()
  }
}

async function seedCommand(args: string[]) {
  const { values } = parseArgs({ args, options: { scale: { type: 'string', default: 'demo' }, 'random-seed': { type: 'string', default: '42' } } })
  const scale = values.scale as Scale
  if (!SCALE_NAMES.includes(scale)) throw new ConfigError(`--scale must be one of ${SCALE_NAMES.join(', ')}`)
  const randomSeed = Number(values['random-seed'])
  if (!Number.isInteger(randomSeed)) throw new ConfigError('--random-seed must be an integer')
  const config = loadConfig()
  const database = await openDatabase(config.db, { appName: 'quad-seed', statementTimeoutMs: 0 })
  try {
    await migrateToLatest(database.db)
    const result = await seed(database.db, { scale, randomSeed, progress: process.stderr.isTTY })
    const rows = Object.values(result.counts).reduce((a, b) => a + b, 0)
    console.log(`seeded ${rows} rows at scale ${scale} in ${(result.ms / 1000).toFixed(1)} s`)
    for (const [table, n] of Object.entries(result.counts)) console.log(`  ${table.padEnd(24)} ${n}`)
  } finally {
    await database.close()
  }
}

async function main(argv: string[]) {
  const [command, ...rest] = argv
  switch (command) {
    case 'serve':
      return serve()
    case 'migrate':
      return migrate()
    case 'seed':
      return seedCommand(rest)
    case 'watchdog':
      return runWatchdogCli(rest)
    case 'bench':
      // The benchmark and its libraries are development tools, never loaded by the server.
      console.error('quad bench: the benchmark has its own entry; run `npm run bench -- [options]` from a checkout')
      process.exitCode = 2
      return
    case undefined:
    case 'help':
    case '--help':
      console.log(USAGE)
      return
    default:
      console.error(`unknown command: ${command}\n\n${USAGE}`)
      process.exitCode = 2
  }
}

main(process.argv.slice(2)).catch((err) => {
  if (err instanceof ConfigError) {
    console.error(`configuration error: ${err.message}`)
    process.exitCode = 2
  } else {
    console.error(err)
    process.exitCode = 1
  }
})
