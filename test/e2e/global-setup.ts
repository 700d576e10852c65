import { type ChildProcess, execSync, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { TestProject } from 'vitest/node'
import { createTestDatabase, type TestDatabase } from '../helpers/db.js'
import { CHROMIUM } from './browser.js'

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string
  }
}

const root = path.resolve(import.meta.dirname, '../..')

function ensureChromium(): void {
  if (existsSync(CHROMIUM)) return
  console.log('e2e: installing Chromium from Debian (apt-get install -y chromium)')
  execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium', { stdio: 'inherit' })
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is still missing at ${CHROMIUM}`)
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.unref()
    s.on('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number }
      s.close(() => resolve(port))
    })
  })
}

async function waitUntilUp(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`Quad exited with code ${child.exitCode} before serving`)
    try {
      const res = await fetch(`${url}/api/me`)
      if (res.ok) return
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`Quad did not answer at ${url} within ${timeoutMs} ms`)
}

/** The test PostgreSQL when it answers (seeds in a few seconds); otherwise the embedded database. */
async function database(): Promise<TestDatabase | null> {
  if (process.env.QUAD_E2E_DB === 'pglite') return null
  try {
    return await createTestDatabase()
  } catch (err) {
    console.log(`e2e: PostgreSQL not reachable (${(err as Error).message}); using the embedded database`)
    return null
  }
}

/**
 * One real Quad server for the whole e2e run, on a fresh database (a new PostgreSQL database, or
 * embedded PGlite in a temporary folder) seeded with the demo data on first start, serving the
 * built web app and the API on one port.
 */
export default async function setup(project: TestProject) {
  ensureChromium()
  if (!existsSync(path.join(root, 'web/dist/index.html'))) throw new Error('web/dist is missing: run `npm run build:web` (npm run test:e2e does)')
  const dataDir = mkdtempSync(path.join(tmpdir(), 'quad-e2e-'))
  const pg = await database()
  const port = await freePort()
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1', QUAD_DATA_DIR: dataDir, QUAD_SEED_DEMO: '1', LOG_LEVEL: 'warn', NODE_ENV: 'development' }
  delete env.DATABASE_URL
  delete env.REDIS_URL
  if (pg) env.DATABASE_URL = pg.url
  const child = spawn(process.execPath, [path.join(root, 'bin/quad.mjs'), 'serve'], { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'] })
  const baseUrl = `http://127.0.0.1:${port}`
  const started = Date.now()
  await waitUntilUp(baseUrl, child, 120_000)
  console.log(`e2e: Quad up at ${baseUrl} in ${((Date.now() - started) / 1000).toFixed(1)} s (${pg ? `PostgreSQL ${pg.name}` : 'embedded database'}, demo data)`)
  project.provide('baseUrl', baseUrl)

  return async () => {
    child.kill('SIGTERM')
    await new Promise((r) => {
      const t = setTimeout(() => {
        child.kill('SIGKILL')
        r(null)
      }, 10_000)
      child.once('exit', () => {
        clearTimeout(t)
        r(null)
      })
    })
    rmSync(dataDir, { recursive: true, force: true })
    await pg?.drop()
  }
}
