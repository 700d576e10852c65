import type { OperationNode } from 'kysely'
import { CACHED_TABLES, isCachedTable, isPrivateTable } from './cached-tables.js'

export class UntrackableQueryError extends Error {}

type Node = OperationNode & Record<string, unknown>
type Value = string | number

interface Occurrence {
  table: string
  alias: string
  refinable: boolean
}

interface Equality {
  qualifier: string | undefined
  column: string
  values: Value[]
}

const WRITE_KINDS = new Set(['InsertQueryNode', 'UpdateQueryNode', 'DeleteQueryNode', 'MergeQueryNode'])

/**
 * Derives the dependency keys of a query from its syntax tree. A table read is narrowed to row or
 * partition keys only when the query provably reads nothing else of it: the table is in FROM or an
 * inner join, and the top-level WHERE conjunction pins a tracked column to literal values.
 * Everything else depends on the whole table. Over-approximation is safe; under-approximation
 * is impossible by construction.
 */
export function extractDeps(root: OperationNode, add: (dep: string) => void): void {
  const ctes = new Set<string>()
  collectCtes(root as Node, ctes)
  walk(root as Node, { add, handled: new Set(), ctes })
}

interface Walk {
  add: (dep: string) => void
  handled: Set<OperationNode>
  /** Names of common table expressions: relations of the query, not tables. */
  ctes: ReadonlySet<string>
}

const RAW_CTE = /\b([a-z_][a-z0-9_]*)\s*(?:\([^()]*\))?\s+as\s+(?:not\s+)?(?:materialized\s+)?\(/gi

function collectCtes(node: Node, out: Set<string>): void {
  if (node.kind === 'CommonTableExpressionNameNode') out.add(tableName(node.table as Node))
  if (node.kind === 'RawNode') for (const f of node.sqlFragments as readonly string[]) for (const m of f.matchAll(RAW_CTE)) out.add(m[1]!.toLowerCase())
  for (const child of Object.values(node)) {
    if (Array.isArray(child)) for (const c of child) if (c && typeof c === 'object' && typeof c.kind === 'string') collectCtes(c, out)
    if (child && typeof child === 'object' && !Array.isArray(child) && typeof (child as Node).kind === 'string') collectCtes(child as Node, out)
  }
}

function walk(node: Node, w: Walk): void {
  if (WRITE_KINDS.has(node.kind)) throw new UntrackableQueryError(`a cacheable handler may not write (${node.kind})`)
  if (node.kind === 'SelectQueryNode') scopeDeps(node, w)
  if (node.kind === 'TableNode' && !w.handled.has(node)) addTable(tableName(node), w)
  if (node.kind === 'RawNode') rawDeps(node.sqlFragments as readonly string[], w)
  for (const [key, child] of Object.entries(node)) {
    if (node.kind === 'ReferenceNode' && key === 'table') continue // a column qualifier, not a read
    if (node.kind === 'CommonTableExpressionNode' && key === 'name') continue
    visit(child, w)
  }
}

function visit(child: unknown, w: Walk): void {
  if (Array.isArray(child)) for (const c of child) visit(c, w)
  else if (child && typeof child === 'object' && typeof (child as Node).kind === 'string') walk(child as Node, w)
}

function tableName(node: Node): string {
  const ident = (node.table as Node).identifier as Node
  return ident.name as string
}

/** strict: a table of the query tree (raw SQL is scanned by pattern, so a name there may be a column or function). */
function addTable(table: string, w: Walk, strict = true): void {
  if (w.ctes.has(table)) return
  if (isPrivateTable(table)) throw new UntrackableQueryError(`a cacheable handler may not read ${table}`)
  if (!isCachedTable(table)) {
    // Every migrated table is classified (a test checks), so this is not a table we know.
    if (strict) throw new UntrackableQueryError(`a cacheable handler read "${table}", which is neither cached nor private`)
    return
  }
  w.add(`t:${table}`)
  w.add(`s:${table}`)
}

function scopeDeps(node: Node, w: Walk): void {
  const { add, handled } = w
  const occurrences: Occurrence[] = []
  const from = node.from as Node | undefined
  for (const f of (from?.froms as Node[] | undefined) ?? []) collectOccurrence(f, true, occurrences, handled)
  for (const j of (node.joins as Node[] | undefined) ?? []) {
    collectOccurrence(j.table as Node, j.joinType === 'InnerJoin', occurrences, handled)
  }
  const where = node.where as Node | undefined
  const equalities = where ? conjunctEqualities(where.where as Node) : []
  const single = occurrences.length === 1
  for (const occ of occurrences) {
    const spec = CACHED_TABLES[occ.table]
    const keys = occ.refinable && spec ? narrowKeys(occ, spec, equalities, single) : null
    if (keys) {
      if (isPrivateTable(occ.table)) throw new UntrackableQueryError(`a cacheable handler may not read ${occ.table}`)
      for (const k of keys) add(k)
      add(`s:${occ.table}`)
    } else {
      addTable(occ.table, w)
    }
  }
}

function collectOccurrence(n: Node, refinable: boolean, out: Occurrence[], handled: Set<OperationNode>): void {
  if (n.kind === 'TableNode') {
    handled.add(n)
    const t = tableName(n)
    out.push({ table: t, alias: t, refinable })
  } else if (n.kind === 'AliasNode' && (n.node as Node).kind === 'TableNode') {
    handled.add(n.node as Node)
    const t = tableName(n.node as Node)
    out.push({ table: t, alias: ((n.alias as Node).name as string) ?? t, refinable })
  }
}

function narrowKeys(
  occ: Occurrence,
  spec: { row?: string; partitions: readonly string[] },
  equalities: Equality[],
  single: boolean,
): string[] | null {
  for (const eq of equalities) {
    const mine = eq.qualifier === undefined ? single : eq.qualifier === occ.alias
    if (!mine) continue
    if (eq.column === spec.row && eq.values.every(isCanonicalKey)) {
      return eq.values.map((v) => `r:${occ.table}:${v}`)
    }
    if (spec.partitions.includes(eq.column)) return eq.values.map((v) => `p:${occ.table}:${eq.column}=${v}`)
  }
  return null
}

const isCanonicalKey = (v: Value) => typeof v === 'number' || String(Number(v)) === v

function conjunctEqualities(n: Node): Equality[] {
  if (n.kind === 'AndNode') return [...conjunctEqualities(n.left as Node), ...conjunctEqualities(n.right as Node)]
  if (n.kind === 'ParensNode') return conjunctEqualities(n.node as Node)
  if (n.kind !== 'BinaryOperationNode') return []
  const left = n.leftOperand as Node
  const op = (n.operator as Node).operator
  if (left.kind !== 'ReferenceNode' || (left.column as Node).kind !== 'ColumnNode') return []
  const column = ((left.column as Node).column as Node).name as string
  const qualifier = left.table ? tableName(left.table as Node) : undefined
  const values = literalValues(n.rightOperand as Node, op as string)
  return values ? [{ qualifier, column, values }] : []
}

function literalValues(n: Node, op: string): Value[] | null {
  const ok = (v: unknown): v is Value => (typeof v === 'number' && Number.isFinite(v)) || typeof v === 'string'
  if (op === '=' && n.kind === 'ValueNode') return ok(n.value) ? [n.value] : null
  if (op === 'in' && n.kind === 'PrimitiveValueListNode') {
    const vs = n.values as unknown[]
    return vs.length > 0 && vs.every(ok) ? (vs as Value[]) : null
  }
  if (op === 'in' && n.kind === 'ValueListNode') {
    const vs = (n.values as Node[]).map((v) => (v.kind === 'ValueNode' ? v.value : undefined))
    return vs.length > 0 && vs.every(ok) ? (vs as Value[]) : null
  }
  return null
}

const RAW_TABLE_REF = /\b(from|join|update|into)\s+"?([a-z_][a-z0-9_]*)"?\s*(\()?/gi

/** Raw SQL cannot be narrowed: every table it names is a whole-table dependency. */
function rawDeps(fragments: readonly string[], w: Walk): void {
  for (const frag of fragments) {
    for (const m of frag.matchAll(RAW_TABLE_REF)) {
      const verb = m[1]!.toLowerCase()
      if (verb === 'update' || verb === 'into') throw new UntrackableQueryError('a cacheable handler may not write')
      if (m[3]) continue // a set-returning function, e.g. from unnest(...)
      addTable(m[2]!.toLowerCase(), w, false)
    }
  }
}
