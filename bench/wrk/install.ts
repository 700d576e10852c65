import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'

const CANDIDATES = ['/usr/bin/wrk', '/usr/local/bin/wrk']

function found(): string | null {
  for (const c of CANDIDATES) if (existsSync(c)) return c
  try {
    return execFileSync('sh', ['-c', 'command -v wrk'], { encoding: 'utf8' }).trim() || null
  } catch {
    return null
  }
}

/**
 * The wrk binary, installed with apt-get (Debian's package) when missing: a fresh machine only runs
 * `npm install && npm run bench`. Returns the reason instead when it cannot be had.
 */
export function ensureWrk(log: (message: string) => void): { bin: string } | { error: string } {
  const have = found()
  if (have) return { bin: have }
  const sudo = process.getuid?.() === 0 ? [] : ['sudo', '-n']
  const apt = (...args: string[]) => {
    const [cmd, ...rest] = [...sudo, 'apt-get', ...args]
    execFileSync(cmd!, rest, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, timeout: 300_000 })
  }
  log('wrk is not installed: apt-get install -y wrk')
  try {
    try {
      apt('install', '-y', '-q', 'wrk')
    } catch {
      // A fresh image often has no package lists yet.
      apt('update', '-q')
      apt('install', '-y', '-q', 'wrk')
    }
  } catch (err) {
    const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim().split('\n').slice(-3).join(' ') ?? ''
    return { error: `wrk is missing and apt-get install -y wrk failed: ${stderr || (err as Error).message}` }
  }
  const bin = found()
  return bin ? { bin } : { error: 'apt-get installed wrk but no wrk binary was found' }
}
