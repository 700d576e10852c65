import type { FastifyInstance } from 'fastify'
import type { Runtime } from '../runtime.js'

export interface ShutdownResult {
  /** True when in-flight requests outlived the limit and their connections were cut. */
  forced: boolean
  ms: number
}

/**
 * Graceful stop: /readyz turns 503, the listener stops accepting, in-flight requests get up to
 * `limitMs` to finish (later ones on kept-alive connections get 503), then whatever is left is cut
 * and the watchdog, cache and pools are closed.
 */
export async function shutdown(app: FastifyInstance, runtime: Runtime, limitMs = runtime.config.ops.shutdownMs): Promise<ShutdownResult> {
  const t0 = performance.now()
  runtime.ops.shuttingDown = true
  let timer: NodeJS.Timeout | undefined
  const closed = app.close().then(() => false)
  // Connections that finish their last request while draining are closed as soon as they idle.
  const idle = setInterval(() => app.server.closeIdleConnections(), 100)
  const limit = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(true), limitMs)
  })
  const forced = await Promise.race([closed, limit])
  clearTimeout(timer)
  clearInterval(idle)
  if (forced) {
    runtime.log.warn({ limitMs }, 'in-flight requests outlived the shutdown limit; closing their connections')
    app.server.closeAllConnections()
    await closed.catch(() => {})
  }
  await runtime.close()
  return { forced, ms: Math.round(performance.now() - t0) }
}

/** SIGTERM/SIGINT handling for `quad serve`; a second signal exits at once. */
export function installSignalHandlers(app: FastifyInstance, runtime: Runtime): void {
  let stopping = false
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      runtime.log.warn({ signal }, 'second signal: exiting now')
      process.exit(1)
    }
    stopping = true
    runtime.log.info({ signal, limitMs: runtime.config.ops.shutdownMs }, 'shutting down')
    shutdown(app, runtime)
      .then((r) => {
        runtime.log.info(r, 'shut down')
        process.exit(0)
      })
      .catch((err) => {
        runtime.log.error({ err }, 'shutdown failed')
        process.exit(1)
      })
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
}
