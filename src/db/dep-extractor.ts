import type { OperationNode } from 'kysely'
import { CACHED_TABLES, isCachedTable } from './cached-tables.js'

/** Tables that hold private or high-churn data: a shared (cacheable) response must never read them. */
export const PRIVATE_TABLES = new Set([
  'sessions', 'club_revisions', 'membership_requests', 'invites', 'bookmarks', 'subscriptions', 'extensions',
  'submissions', 'submission_committees', 'responses', 'review_notes', 'email_outbox', 'club_visits',
  'search_terms', 'cache_outbox',
])

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
  walk(root as Node, add, new Set())
}

function walk(node: Node, add: (dep: string) => void, handled: Set<OperationNode>): void {
  if (WRITE_KINDS.has(node.kind)) throw new UntrackableQueryError(`a cacheable handler may not write (${node.kind})`)
  if (node.kind === 'SelectQueryNode') scopeDeps(node, add, handled)
  if (node.kind === 'TableNode' && !handled.has(node)) addTable(tableName(node), add)
  if (node.kind === 'RawNode') rawDeps(node.sqlFragments as readonly string[], add)
  for (const [key, child] of Object.entries(node)) {
    if (node.kind === 'ReferenceNode' && key === 'table') continue // a column qualifier, not a read
    if (node.kind === 'CommonTableExpressionNode' && key === 'name') continue
    visit(child, add, handled)
  }
}

function visit(child: unknown, add: (dep: string) => void, handled: Set<OperationNode>): void {
  if (Array.isArray(child)) for (const c of child) visit(c, add, handled)
  else if (child && typeof child === 'object' && typeof (child as Node).kind === 'string') walk(child as Node, add, handled)
}

function tableName(node: Node): string {
  const ident = (node.table as Node).identifier as Node
  return ident.name as string
}

function addTable(table: string, add: (dep: string) => void): void {
  if (PRIVATE_TABLES.has(table)) throw new UntrackableQueryError(`a cacheable handler may not read ${table}`)
  if (!isCachedTable(table)) return // a CTE name or a function; real tables are all classified
  add(`t:${table}`)
  add(`s:${table}`)
}

function scopeDeps(node: Node, add: (dep: string) => void, handled: Set<OperationNode>): void {
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
      if (PRIVATE_TABLES.has(occ.table)) throw new UntrackableQueryError(`a cacheable handler may not read ${occ.table}`)
      for (const k of keys) add(k)
      add(`s:${occ.table}`)
    } else {
      addTable(occ.table, add)
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
function rawDeps(fragments: readonly string[], add: (dep: string) => void): void {
  for (const frag of fragments) {
    for (const m of frag.matchAll(RAW_TABLE_REF)) {
      const verb = m[1]!.toLowerCase()
      if (verb === 'update' || verb === 'into') throw new UntrackableQueryError('a cacheable handler may not write')
      if (m[3]) continue // a set-returning function, e.g. from unnest(...)
      addTable(m[2]!.toLowerCase(), add)
    }
  }
}
