import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { chown } from 'node:fs/promises'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo
      srv.close(() => resolve(port))
    })
    srv.on('error', reject)
  })
}

function pgHome(): string {
  const root = '/usr/lib/postgresql'
  const version = readdirSync(root).sort().at(-1)
  return path.join(root, version!)
}

function pgBin(name: string): string {
  return path.join(pgHome(), 'bin', name)
}

/** Whether this machine's PostgreSQL can make clusters of its own (initdb is installed). */
export function canMakeClusters(): boolean {
  try {
    return existsSync(pgBin('initdb'))
  } catch {
    return false
  }
}

/** Whether a server library (e.g. pg_stat_statements) is installed for shared_preload_libraries. */
export function hasPgLibrary(name: string): boolean {
  try {
    return existsSync(path.join(pgHome(), 'lib', `${name}.so`))
  } catch {
    return false
  }
}

/** Runs a PostgreSQL tool as the postgres user when we are root (initdb refuses root). */
async function asPostgres(cmd: string, args: string[]) {
  if (process.getuid?.() === 0) return run('runuser', ['-u', 'postgres', '--', cmd, ...args])
  return run(cmd, args)
}

/**
 * A PostgreSQL cluster of our own (temporary folder, own port) that a fault drill may stop and
 * restart without touching the machine's shared server.
 */
/** Server settings (`-c name=value`) of a throwaway cluster, on top of its own port and socket. */
export type PgSettings = Record<string, string>

/** Throwaway clusters lose nothing worth an fsync; a measured one keeps the machine's default (on). */
const DEFAULT_SETTINGS: PgSettings = { fsync: 'off' }

export class ThrowawayPostgres {
  private constructor(
    readonly dir: string,
    readonly port: number,
    readonly settings: PgSettings = DEFAULT_SETTINGS,
  ) {}

  get url() {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`
  }

  static async start(): Promise<ThrowawayPostgres> {
    const dir = await ownedTempDir()
    await asPostgres(pgBin('initdb'), ['-D', dir, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8'])
    const pg = new ThrowawayPostgres(dir, await freePort())
    await pg.startServer()
    return pg
  }

  /**
   * A new cluster whose files are a copy of a stopped one's data folder: seeding once and copying
   * is much faster than initdb + seed for every drill, and each copy is still a cluster of its own.
   */
  static async copyOf(source: string, settings: PgSettings = DEFAULT_SETTINGS): Promise<ThrowawayPostgres> {
    const dir = await ownedTempDir()
    await run('cp', ['-a', `${source}/.`, dir])
    rmSync(path.join(dir, 'postmaster.pid'), { force: true })
    rmSync(path.join(dir, 'log'), { force: true })
    const pg = new ThrowawayPostgres(dir, await freePort(), settings)
    try {
      await pg.startServer()
    } catch (err) {
      rmSync(dir, { recursive: true, force: true })
      throw err
    }
    return pg
  }

  async startServer(): Promise<void> {
    const extra = Object.entries(this.settings).map(([k, v]) => ` -c ${k}=${v}`).join('')
    const opts = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c max_connections=200${extra}`
    await asPostgres(pgBin('pg_ctl'), ['-D', this.dir, '-o', opts, '-l', path.join(this.dir, 'log'), '-w', '-t', '30', 'start'])
  }

  /** mode 'immediate' is a crash; 'fast' a clean shutdown that disconnects clients. */
  async stopServer(mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
    await asPostgres(pgBin('pg_ctl'), ['-D', this.dir, '-m', mode, '-w', 'stop']).catch(() => {})
  }

  async restart(): Promise<void> {
    await this.stopServer('fast')
    await this.startServer()
  }

  async destroy(): Promise<void> {
    await this.stopServer('immediate')
    rmSync(this.dir, { recursive: true, force: true })
  }

  /** Synchronous destroy, for a process that is exiting. */
  killSync(): void {
    const args = ['-D', this.dir, '-m', 'immediate', '-w', 'stop']
    try {
      if (process.getuid?.() === 0) execFileSync('runuser', ['-u', 'postgres', '--', pgBin('pg_ctl'), ...args], { stdio: 'ignore' })
      else execFileSync(pgBin('pg_ctl'), args, { stdio: 'ignore' })
    } catch {
      // already stopped
    }
    rmSync(this.dir, { recursive: true, force: true })
  }
}

async function ownedTempDir(): Promise<string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'quad-pg-'))
  if (process.getuid?.() === 0) await chown(dir, ...(await postgresIds()))
  return dir
}

async function postgresIds(): Promise<[number, number]> {
  const { stdout } = await run('id', ['-u', 'postgres'])
  const { stdout: g } = await run('id', ['-g', 'postgres'])
  return [Number(stdout.trim()), Number(g.trim())]
}

/** A Redis of our own on its own port, which a test may kill and restart. */
export class ThrowawayRedis {
  private proc: ChildProcess | null = null

  private constructor(readonly port: number) {}

  get url() {
    return `redis://127.0.0.1:${this.port}`
  }

  static async start(): Promise<ThrowawayRedis> {
    const r = new ThrowawayRedis(await freePort())
    await r.startServer()
    return r
  }

  async startServer(): Promise<void> {
    if (!existsSync('/usr/bin/redis-server')) throw new Error('redis-server is not installed')
    const proc = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    })
    this.proc = proc
    for (let i = 0; i < 100; i++) {
      if (await canConnect(this.port)) return
      await new Promise((r) => setTimeout(r, 50))
    }
    throw new Error('throwaway redis did not start')
  }

  async stopServer(): Promise<void> {
    const p = this.proc
    this.proc = null
    if (!p || p.exitCode !== null) return
    await new Promise<void>((resolve) => {
      p.once('exit', () => resolve())
      p.kill('SIGKILL')
    })
  }

  async destroy(): Promise<void> {
    await this.stopServer()
  }

  killSync(): void {
    if (this.proc && this.proc.exitCode === null) this.proc.kill('SIGKILL')
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1')
    s.once('connect', () => {
      s.destroy()
      resolve(true)
    })
    s.once('error', () => resolve(false))
  })
}
