import type {
  CompiledQuery,
  DatabaseConnection,
  Dialect,
  Driver,
  Kysely,
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryCompiler,
  QueryResult,
  RootOperationNode,
  TransactionSettings,
  UnknownRow,
} from 'kysely'
import { writeMovesCache } from './cached-tables.js'
import { extractDeps } from './dep-extractor.js'
import { currentScope } from './scope.js'

type AnyNode = { kind: string } & Record<string, unknown>
const RAW_WRITE = /\b(?:insert\s+into|(?<!do\s)update|delete\s+from|merge\s+into|truncate(?:\s+table)?)\s+"?([a-z_][a-z0-9_]*)"?/gi

const nameOf = (n: AnyNode | undefined): string | undefined => {
  if (!n) return undefined
  if (n.kind === 'AliasNode') return nameOf(n.node as AnyNode)
  if (n.kind === 'TableNode') return ((n.table as AnyNode).identifier as AnyNode).name as string
  return undefined
}

/** The tables a statement writes (its target, and tables named by raw write SQL). */
function writtenTables(node: RootOperationNode): string[] {
  const n = node as unknown as AnyNode
  switch (n.kind) {
    case 'InsertQueryNode':
    case 'MergeQueryNode':
      return [nameOf(n.into as AnyNode) ?? '?']
    case 'UpdateQueryNode':
      return [nameOf(n.table as AnyNode) ?? '?']
    case 'DeleteQueryNode':
      return ((n.from as AnyNode).froms as AnyNode[]).map((f) => nameOf(f) ?? '?')
    case 'RawNode':
      return [...(n.sqlFragments as string[]).join(' ').matchAll(RAW_WRITE)].map((m) => m[1]!.toLowerCase())
    default:
      return []
  }
}

/**
 * Whether a statement outside a write transaction changes what cached responses may show (so
 * the response must wait for invalidation). Writes to private tables that feed nothing cached,
 * such as sessions, do not.
 */
function movesCache(node: RootOperationNode): boolean {
  return writtenTables(node).some(writeMovesCache)
}

/** Admission gate: bounds how many requests hold a connection; may shed by throwing. */
export interface ConnectionGate {
  acquire(): Promise<() => void>
}

export interface QueryObserver {
  (info: { sql: string; ms: number; error?: unknown }): void
}

/** Every statement this pool sent, request or background (tests and diagnostics read it). */
export interface StatementCounter {
  statements: number
}

/** Records, for the running cacheable handler, what each query reads. */
export class DepsPlugin implements KyselyPlugin {
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const scope = currentScope()
    if (scope?.deps) extractDeps(args.node, (d) => scope.deps!.add(d))
    else if (scope && scope.writeDepth === 0 && movesCache(args.node)) scope.untrackedWrite = true
    return args.node
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result
  }
}

class CountingConnection implements DatabaseConnection {
  constructor(
    readonly inner: DatabaseConnection,
    private readonly observe: QueryObserver | undefined,
    private readonly counter: StatementCounter,
  ) {}

  async executeQuery<R>(q: CompiledQuery): Promise<QueryResult<R>> {
    this.counter.statements++
    const scope = currentScope()
    const t0 = performance.now()
    let error: unknown
    try {
      return await this.inner.executeQuery<R>(q)
    } catch (err) {
      error = err
      throw err
    } finally {
      const ms = performance.now() - t0
      if (scope) {
        scope.queries++
        scope.dbMs += ms
      }
      this.observe?.(error === undefined ? { sql: q.sql, ms } : { sql: q.sql, ms, error })
    }
  }

  streamQuery<R>(q: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    this.counter.statements++
    const scope = currentScope()
    if (scope) scope.queries++
    return this.inner.streamQuery<R>(q, chunkSize)
  }
}

class InstrumentedDriver implements Driver {
  private readonly releases = new WeakMap<DatabaseConnection, () => void>()

  constructor(
    private readonly inner: Driver,
    private readonly gate: ConnectionGate | undefined,
    private readonly observe: QueryObserver | undefined,
    private readonly counter: StatementCounter,
  ) {}

  init() {
    return this.inner.init()
  }

  private destroyed = false

  async acquireConnection(): Promise<DatabaseConnection> {
    const release = this.gate ? await this.gate.acquire() : undefined
    try {
      // Requests still queued when the pool closes (shutdown) get "unavailable", not a crash.
      if (this.destroyed) throw Object.assign(new Error('the database pool is closed'), { code: '57P01' })
      const conn = new CountingConnection(await this.inner.acquireConnection(), this.observe, this.counter)
      if (release) this.releases.set(conn, release)
      return conn
    } catch (err) {
      release?.()
      throw err
    }
  }

  // Transaction statements go through the counting connection so BEGIN/COMMIT are counted too.
  beginTransaction(c: DatabaseConnection, s: TransactionSettings) {
    return this.inner.beginTransaction(c, s)
  }
  commitTransaction(c: DatabaseConnection) {
    return this.inner.commitTransaction(c)
  }
  rollbackTransaction(c: DatabaseConnection) {
    return this.inner.rollbackTransaction(c)
  }
  savepoint(c: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']) {
    return this.inner.savepoint!(c, name, compile)
  }
  rollbackToSavepoint(c: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']) {
    return this.inner.rollbackToSavepoint!(c, name, compile)
  }
  releaseSavepoint(c: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']) {
    return this.inner.releaseSavepoint!(c, name, compile)
  }

  async releaseConnection(c: DatabaseConnection): Promise<void> {
    try {
      await this.inner.releaseConnection((c as CountingConnection).inner)
    } finally {
      this.releases.get(c)?.()
      this.releases.delete(c)
    }
  }

  destroy() {
    this.destroyed = true
    return this.inner.destroy()
  }
}

export class InstrumentedDialect implements Dialect {
  readonly counter: StatementCounter = { statements: 0 }

  constructor(
    private readonly inner: Dialect,
    private readonly opts: { gate?: ConnectionGate; observe?: QueryObserver } = {},
  ) {}
  createAdapter() {
    return this.inner.createAdapter()
  }
  createDriver() {
    return new InstrumentedDriver(this.inner.createDriver(), this.opts.gate, this.opts.observe, this.counter)
  }
  createQueryCompiler() {
    return this.inner.createQueryCompiler()
  }
  createIntrospector(db: Kysely<any>) {
    return this.inner.createIntrospector(db)
  }
}
