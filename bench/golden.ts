import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { ThrowawayPostgres } from './services.js'
import type { Ui } from './ui.js'

const GOLDEN_PREFIX = 'quad-bench-golden-'

export interface GoldenCluster<T> {
  /** Data folder of the stopped cluster: start copies of it (ThrowawayPostgres.copyOf). */
  dir: string
  /** What the builder stored with it (fixtures, the database name...). */
  meta: T
  /** Built by this call (false: found in the temporary folder). */
  built: boolean
  buildMs: number
}

/**
 * The data folder of a stopped PostgreSQL cluster, built once by `build` and kept in the temporary
 * folder as `quad-bench-golden-<day>-<name>` while the data set's identity (the day and a key in
 * `name`) is unchanged; every user starts a copy of it, a cluster of its own. Clusters of earlier
 * days are removed; other versions of the code (worktrees, branches) may keep theirs for the day.
 */
export async function goldenCluster<T>(
  o: { day: string; name: string; fresh: boolean; metaFile: string; ui: Ui; message: string },
  build: (pg: ThrowawayPostgres) => Promise<T>,
): Promise<GoldenCluster<T>> {
  const home = path.join(os.tmpdir(), `${GOLDEN_PREFIX}${o.day}-${o.name}`)
  if (!o.fresh && existsSync(path.join(home, o.metaFile))) {
    return { dir: path.join(home, 'data'), meta: JSON.parse(readFileSync(path.join(home, o.metaFile), 'utf8')) as T, built: false, buildMs: 0 }
  }
  o.ui.step(o.message)
  const t0 = performance.now()
  const pg = await ThrowawayPostgres.start()
  let meta: T
  try {
    meta = await build(pg)
    await pg.stopServer('fast')
  } catch (err) {
    await pg.destroy()
    throw err
  }
  for (const old of readdirSync(os.tmpdir()).filter((f) => f.startsWith(GOLDEN_PREFIX) && f.slice(GOLDEN_PREFIX.length, GOLDEN_PREFIX.length + 8) < o.day)) {
    rmSync(path.join(os.tmpdir(), old), { recursive: true, force: true })
  }
  // Built aside and renamed into place, so a concurrent run never copies a half-made folder.
  const building = `${home}.${process.pid}`
  mkdirSync(building, { recursive: true })
  renameSync(pg.dir, path.join(building, 'data'))
  writeFileSync(path.join(building, o.metaFile), JSON.stringify(meta))
  if (o.fresh) rmSync(home, { recursive: true, force: true })
  try {
    renameSync(building, home)
  } catch {
    // Another run put its copy in place first: use that one.
    rmSync(building, { recursive: true, force: true })
  }
  return { dir: path.join(home, 'data'), meta: JSON.parse(readFileSync(path.join(home, o.metaFile), 'utf8')) as T, built: true, buildMs: performance.now() - t0 }
}
