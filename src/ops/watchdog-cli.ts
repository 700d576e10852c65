import { parseArgs } from 'node:util'
import pino from 'pino'
import { ConfigError, loadConfig } from '../config.js'
import { classBudgets, Watchdog } from './watchdog.js'

/**
 * `quad watchdog`: the watchdog as its own process (e.g. next to servers started with
 * QUAD_WATCHDOG_INTERVAL_MS=0, or from cron with --once). The advisory lock lets it run beside
 * in-server watchdogs without double action.
 */
export async function runWatchdogCli(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { once: { type: 'boolean', default: false }, interval: { type: 'string' } } })
  const config = loadConfig()
  if (config.db.kind !== 'postgres') throw new ConfigError('the watchdog needs PostgreSQL: set DATABASE_URL (the embedded database has no other sessions to watch)')
  const intervalMs = values.interval ? Number(values.interval) : config.watchdog.intervalMs || 5000
  if (!Number.isInteger(intervalMs) || intervalMs < 100) throw new ConfigError('--interval must be an integer number of milliseconds >= 100')
  const log = pino({ level: config.logLevel === 'silent' ? 'info' : config.logLevel })
  const watchdog = new Watchdog({
    connectionString: config.db.url,
    intervalMs,
    graceMs: config.watchdog.graceMs,
    budgetFor: classBudgets(config),
    log,
  })
  if (values.once) {
    const r = await watchdog.tick()
    await watchdog.stop()
    log.info({ leader: r.leader, overBudget: r.overBudget, actions: r.actions.length }, 'watchdog pass done')
    return
  }
  log.info({ intervalMs, graceMs: config.watchdog.graceMs }, 'watchdog running')
  watchdog.start()
  const alive = setInterval(() => {}, 1 << 30) // the watchdog's own timer does not hold the process
  await new Promise<void>((resolve) => {
    const stop = () => {
      clearInterval(alive)
      void watchdog.stop().then(resolve)
    }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
}
