// `npm run bench`: the benchmark's own entry (node --import tsx bench/main.ts [options]). It is a
// development tool: the server never loads it, and the Quad servers it starts run the compiled
// build (dist/, compiled first when src/ is newer), like production.
import { ConfigError } from '../src/config.js'
import { runBenchCli } from './cli.js'

runBenchCli(process.argv.slice(2)).catch((err) => {
  if (err instanceof ConfigError) {
    console.error(`configuration error: ${err.message}`)
    process.exitCode = 2
  } else {
    console.error(err)
    process.exitCode = 1
  }
})
