import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const SRC = path.join(ROOT, 'src')

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name)
    if (statSync(p).isDirectory()) return sources(p)
    return p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : []
  })
}

const rel = (p: string) => path.relative(ROOT, p).split(path.sep).join('/')
const FILES = sources(SRC).map((p) => ({ file: rel(p), text: readFileSync(p, 'utf8') }))

/** Where SQL may be written: repositories, the database layer, migrations and the seed. */
const SQL_PLACES = [/^src\/modules\/[^/]+\/[^/]+\.repository\.ts$/, /^src\/db\//, /^src\/seed\//]
const mayHoldSql = (file: string) => SQL_PLACES.some((re) => re.test(file))

/** Query building and raw SQL: method calls on a database handle or transaction, and the sql tag. */
const SQL_USE =
  /\.(selectFrom|selectNoFrom|insertInto|updateTable|deleteFrom|mergeInto|replaceInto)\(|\bsql(?:<[^>]*>)?`|\bsql\.(raw|ref|table|id|lit|join|val)\(|\.query(?:<[^>]*>)?\(\s*['"`]/
/** A value import of kysely (types are fine anywhere). */
const KYSELY_VALUE_IMPORT = /^import\s+(?!type\b)\{?[^}]*\}?\s*from\s+'kysely(?:\/[^']*)?'/m

describe('architecture', () => {
  it('writes SQL only in repositories, src/db, migrations and the seed', () => {
    const offenders = FILES.filter((f) => !mayHoldSql(f.file) && (SQL_USE.test(f.text) || hasKyselyValue(f.text))).map((f) => f.file)
    expect(offenders).toEqual([])
  })

  it('lets no module import another module’s repository or schema', () => {
    const offenders: string[] = []
    for (const f of FILES) {
      const own = /^src\/modules\/([^/]+)\//.exec(f.file)?.[1]
      if (!own) continue
      for (const m of f.text.matchAll(/from\s+'\.\.\/([^/']+)\/([^']+)'/g)) {
        const [, other, file] = m
        if (other !== own && /\.(repository|schema)\.js$/.test(file!)) offenders.push(`${f.file} -> ${other}/${file}`)
      }
    }
    expect(offenders).toEqual([])
  })

  it('gives services what they use, never the whole runtime', () => {
    const offenders = FILES.filter((f) => /^src\/modules\//.test(f.file) && /\bRuntime\b/.test(f.text)).map((f) => f.file)
    expect(offenders).toEqual([])
  })

  it('gives every module its routes file, and schema, service and repository files where it has schemas, rules or SQL', () => {
    const modules = readdirSync(path.join(SRC, 'modules'))
    const missing: string[] = []
    for (const m of modules) {
      const files = readdirSync(path.join(SRC, 'modules', m))
      const has = (suffix: string) => files.some((f) => f.endsWith(`${suffix}.ts`))
      const routes = files.filter((f) => f.endsWith('.routes.ts'))
      if (!routes.length && !files.some((f) => f.endsWith('.plugin.ts'))) missing.push(`${m}: routes`)
      // Route files declare and delegate: schemas, rules and SQL live in their own files.
      for (const r of routes) {
        const text = readFileSync(path.join(SRC, 'modules', m, r), 'utf8')
        if (/Type\.Object\(/.test(text) && !has('.schema')) missing.push(`${m}: schema (declared in ${r})`)
        if (!has('.service') && !has('.plugin')) missing.push(`${m}: service`)
      }
    }
    expect(missing).toEqual([])
  })
})

function hasKyselyValue(text: string): boolean {
  return text.split('\n').some((line) => KYSELY_VALUE_IMPORT.test(line))
}
