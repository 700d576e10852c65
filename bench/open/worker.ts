// The open-loop generator's process: set up once with the targets, fixtures and class shares, then
// runs steps one after the other and answers each with what it measured. Started by
// bench/open/client.ts; it never shares an event loop with what it measures.
import { OpenLoop } from './engine.js'
import type { FromOpen, ToOpen } from './protocol.js'

const send = (m: FromOpen) =>
  new Promise<void>((resolve) => {
    if (!process.send) return resolve()
    process.send(m, undefined, {}, () => resolve())
  })

let engine: OpenLoop | null = null
let queue: Promise<void> = Promise.resolve()

process.on('message', (m: ToOpen) => {
  queue = queue.then(async () => {
    try {
      if (m.type === 'init') {
        engine = new OpenLoop(m.init)
        await send({ type: 'ready', shares: engine.shares })
      } else if (m.type === 'step') {
        const result = await engine!.step(m.step, (elapsedS, responses, errors) => void send({ type: 'progress', elapsedS, responses, errors }))
        await send({ type: 'step-result', result })
      } else if (m.type === 'finish') {
        await send({ type: 'final', final: engine!.final() })
      } else if (m.type === 'exit') {
        await engine?.close()
        process.exit(0)
      }
    } catch (err) {
      await send({ type: 'error', message: (err as Error).stack ?? String(err) })
    }
  })
})
process.on('disconnect', () => process.exit(0))
