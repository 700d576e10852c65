#!/usr/bin/env node
// Compiles the server (src/ → dist/) with `tsc -p tsconfig.build.json`: transpile only, a few
// seconds; `npm run typecheck` is what checks types. With --if-stale it is a fast no-op (mtime
// checks) when dist/ is newer than src/, package-lock.json, the tsconfigs and this script, so
// `npm start` compiles only on a fresh checkout or after the sources changed.
//
// The new build is written beside dist/ and swapped in when complete, so a server starting from
// dist/ never sees half a build; files of deleted sources do not linger.
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const dist = path.join(root, 'dist')
const STAMP = '.build-stamp'
const SOURCES = ['src', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'scripts/build-server.mjs'].map((p) => path.join(root, p))

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
if (ifStale && existsSync(path.join(dist, STAMP))) {
  const built = statSync(path.join(dist, STAMP)).mtimeMs
  if (Math.max(...SOURCES.map(newestMtime)) <= built) process.exit(0)
}

const started = Date.now()
const out = path.join(root, `dist.tmp-${process.pid}`)
rmSync(out, { recursive: true, force: true })
let tsc
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
} catch {
  console.error('build-server: TypeScript is not installed; run `npm install` first')
  process.exit(1)
}
try {
  execFileSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json'), '--outDir', out], { cwd: root, stdio: 'inherit' })
} catch {
  rmSync(out, { recursive: true, force: true })
  console.error('build-server: tsc failed (see above); dist/ was left as it was')
  process.exit(1)
}

// The server must stand on its own: every relative import of the output resolves inside it
// (a reference to bench/, test/ or a .ts file would only fail when that code path runs).
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s*)(['"])(\.{1,2}\/[^'"]*)\1/gm
const broken = []
for (const file of listFiles(out)) {
  if (!file.endsWith('.js')) continue
  for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
    const target = path.resolve(path.dirname(file), m[2])
    if (!target.startsWith(out + path.sep) || !existsSync(target)) broken.push(`${path.relative(out, file)}: ${m[2]}`)
  }
}
if (broken.length) {
  rmSync(out, { recursive: true, force: true })
  console.error(`build-server: the build imports files outside src/ or missing from it:\n  ${broken.join('\n  ')}`)
  process.exit(1)
}
writeFileSync(path.join(out, STAMP), new Date().toISOString())

// Swap in the new build (retried: another build may be swapping at the same moment).
const old = path.join(root, `dist.old-${process.pid}`)
for (let attempt = 0; ; attempt++) {
  try {
    renameSync(dist, old)
  } catch (err) {
    if (err.code !== 'ENOENT') throw err
  }
  try {
    renameSync(out, dist)
    break
  } catch (err) {
    if (attempt >= 5 || (err.code !== 'ENOTEMPTY' && err.code !== 'EEXIST')) throw err
  }
}
rmSync(old, { recursive: true, force: true })
console.log(`server built in ${((Date.now() - started) / 1000).toFixed(1)} s → dist`)
