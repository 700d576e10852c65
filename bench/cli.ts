import { ConfigError } from '../src/config.js'
import { capacityText, writeCapacityReport } from './capacity/report.js'
import { runCapacity } from './capacity/run.js'
import { Cleanup } from './cleanup.js'
import { parseBenchArgs, usage } from './options.js'
import { printable } from './report/table.js'
import { writeReport } from './report/write.js'
import { runBench } from './run.js'
import { Ui } from './ui.js'

/** `npm run bench` (bench/main.ts): exit code 0 when every check held, 1 when a drill failed or an invariant broke. */
export async function runBenchCli(args: string[]): Promise<void> {
  const o = parseBenchArgs(args)
  if (o === 'help') {
    console.log(usage())
    return
  }
  const ui = new Ui(o.progress)
  const cleanup = new Cleanup()
  const interrupted = (signal: NodeJS.Signals) => {
    process.stderr.write(`\n${signal}: stopping and cleaning up\n`)
    void cleanup.run().finally(() => process.exit(130))
  }
  process.once('SIGINT', interrupted)
  process.once('SIGTERM', interrupted)
  process.once('exit', () => cleanup.killAll())
  try {
    if (o.findCapacity) {
      const report = await runCapacity(o, ui, cleanup)
      const files = writeCapacityReport(o.out, report)
      console.log(capacityText(report))
      console.log(`\nreport: ${files.join(', ')}`)
      const broken = [
        report.consistency.stale_reads > 0 && 'stale reads after acknowledgement',
        Object.values(report.writes).some((w) => w.found !== w.acknowledged) && 'acknowledged writes missing',
        Object.keys(report.anomalies).length > 0 && 'contradictory acknowledgements',
      ].filter(Boolean)
      if (broken.length) {
        console.log(`\nFAILED: ${broken.join(', ')}`)
        process.exitCode = 1
      }
      return
    }
    const report = await runBench(o, ui, cleanup)
    const files = writeReport(o.out, report)
    console.log(printable(report))
    console.log(`\nreport: ${files.join(', ')}`)
    const broken = [
      report.submissions.acknowledged !== report.submissions.found && 'acknowledged submissions missing',
      report.stale_reads > 0 && 'stale reads after acknowledgement',
      Object.values(report.writes).some((w) => w.found !== w.acknowledged) && 'acknowledged writes missing',
      Object.keys(report.anomalies).length > 0 && 'contradictory acknowledgements',
      report.drills.some((d) => d.pass === false) && 'a drill failed',
      report.memory.flat === false && 'memory not flat',
    ].filter(Boolean)
    if (broken.length) {
      console.log(`\nFAILED: ${broken.join(', ')}`)
      process.exitCode = 1
    }
  } catch (err) {
    if (err instanceof ConfigError) throw err
    process.exitCode = 1
    console.error(err)
  } finally {
    await cleanup.run()
    process.removeListener('SIGINT', interrupted)
    process.removeListener('SIGTERM', interrupted)
  }
}
