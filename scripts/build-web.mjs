#!/usr/bin/env node
// Builds the web app into web/dist (and precompresses it). With --if-stale it is a fast no-op
// when web/dist is newer than every source file, so `npm start` builds only on a fresh checkout
// or after the web sources changed.
import { existsSync, readdirSync, statSync, writeFileSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { brotliCompressSync, gzipSync, constants } from 'node:zlib'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const web = path.join(root, 'web')
const dist = path.join(web, 'dist')
const stamp = path.join(dist, '.build-stamp')
const SOURCES = ['src', 'index.html', 'vite.config.ts', 'public'].map((p) => path.join(web, p))

function newestMtime(p) {
  if (!existsSync(p)) return 0
  const st = statSync(p)
  if (!st.isDirectory()) return st.mtimeMs
  let max = st.mtimeMs
  for (const name of readdirSync(p)) max = Math.max(max, newestMtime(path.join(p, name)))
  return max
}

function listFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? listFiles(path.join(dir, d.name)) : [path.join(dir, d.name)],
  )
}

const ifStale = process.argv.includes('--if-stale')
if (ifStale && existsSync(stamp)) {
  const built = statSync(stamp).mtimeMs
  const sources = Math.max(...SOURCES.map(newestMtime), newestMtime(path.join(root, 'package-lock.json')))
  if (sources <= built) process.exit(0)
}

const started = Date.now()
const { build } = await import('vite')
await build({ configFile: path.join(web, 'vite.config.ts'), logLevel: 'warn' })

// Precompressed siblings: the server sends .br/.gz without compressing per request.
for (const file of listFiles(dist)) {
  if (!/\.(js|css|html|svg|json|txt)$/.test(file)) continue
  const body = readFileSync(file)
  if (body.length < 1024) continue
  writeFileSync(`${file}.gz`, gzipSync(body, { level: 9 }))
  writeFileSync(`${file}.br`, brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }))
}
writeFileSync(stamp, new Date().toISOString())
console.log(`web app built in ${((Date.now() - started) / 1000).toFixed(1)} s → web/dist`)
