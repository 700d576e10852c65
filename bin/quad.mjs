#!/usr/bin/env node
// Runs the compiled server (dist/, built by `npm run build`; `npm start` builds it when stale).
import { existsSync } from 'node:fs'

const main = new URL('../dist/main.js', import.meta.url)
if (!existsSync(main)) {
  console.error('quad: dist/main.js is missing; run `npm run build` first (`npm start` and `npm run quad` build it when needed)')
  process.exit(1)
}
await import(main.href)
