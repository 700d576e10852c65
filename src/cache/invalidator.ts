import type { Kysely } from 'kysely'
import pg from 'pg'
import { listenForCommits, pollOutbox, pruneOutbox, snapshotXmin } from '../db/outbox.js'
import type { OutboxRow } from './versions.js'

export interface InvalidatorOptions {
  /** Real PostgreSQL connection settings for LISTEN (absent in embedded mode: polling only). */
  listen?: pg.ClientConfig
  /** Poll interval while nothing wakes the invalidator (no LISTEN connection). */
  intervalMs?: number
  /**
   * While LISTEN is up every commit wakes a poll (the capture trigger notifies); the timer then
   * only polls when no poll ran for this long, in case the connection died unnoticed.
   */
  backstopMs?: number
  /** Durable cursor across restarts (kept next to the versions in Redis). */
  loadCursor?: () => Promise<string | null>
  saveCursor?: (xid: string) => Promise<void>
  apply: (rows: readonly OutboxRow[]) => Promise<unknown>
  onLag?: (ms: number) => void
  onError?: (err: unknown) => void
}

/**
 * Drains committed cache_outbox rows into the version store. Ids are not in commit order, so the
 * cursor is a transaction id: every poll re-reads rows of transactions that might still have been
 * running at the previous poll (xid >= that poll's snapshot xmin). Nothing committed is skipped,
 * whatever the commit order; rows seen twice are deduplicated by id. NOTIFY only wakes it early.
 */
export class Invalidator {
  private cursor: string | null = null
  private running: Promise<void> | null = null
  private queued: Promise<void> | null = null
  private readonly seen = new Set<number>()
  private timer: NodeJS.Timeout | null = null
  private pruneTimer: NodeJS.Timeout | null = null
  private listener: pg.Client | null = null
  private stopped = false
  private lastPollAt = 0

  constructor(
    private readonly db: Kysely<any>,
    private readonly opts: InvalidatorOptions,
  ) {}

  async start(): Promise<void> {
    this.cursor = (await this.opts.loadCursor?.().catch(() => null)) ?? (await this.currentXmin())
    const every = this.opts.intervalMs ?? 250
    const backstop = this.opts.backstopMs ?? 2000
    this.timer = setInterval(() => {
      if (this.listener && Date.now() - this.lastPollAt < backstop) return
      void this.catchUp().catch(() => {})
    }, every)
    this.timer.unref()
    this.pruneTimer = setInterval(() => void this.prune().catch(() => {}), 60_000)
    this.pruneTimer.unref()
    if (this.opts.listen) await this.listen(this.opts.listen)
  }

  /** Resolves after a poll that started after this call has applied everything committed. */
  catchUp(): Promise<void> {
    if (!this.running) return this.startPoll()
    if (!this.queued) {
      this.queued = this.running
        .catch(() => {})
        .then(() => {
          this.queued = null
          return this.startPoll()
        })
    }
    return this.queued
  }

  private startPoll(): Promise<void> {
    const p = this.poll().finally(() => {
      if (this.running === p) this.running = null
    })
    this.running = p
    return p
  }

  private currentXmin(): Promise<string> {
    return snapshotXmin(this.db)
  }

  private async poll(): Promise<void> {
    if (this.stopped) return
    this.lastPollAt = Date.now()
    const cursor = this.cursor ?? (await this.currentXmin())
    const { xmin, rows } = await pollOutbox(this.db, cursor)
    const fresh: OutboxRow[] = []
    let oldest = Infinity
    for (const [id, dep, at] of rows) {
      if (this.seen.has(id)) continue
      fresh.push({ id, dep })
      oldest = Math.min(oldest, at)
    }
    if (fresh.length) {
      await this.opts.apply(fresh)
      this.opts.onLag?.(Date.now() - oldest)
    }
    // Rows below the new cursor are never read again, so only the re-read window is remembered.
    this.seen.clear()
    for (const [id] of rows) this.seen.add(id)
    if (xmin !== cursor) {
      this.cursor = xmin
      await this.opts.saveCursor?.(xmin).catch(() => {})
    }
  }

  private async prune(): Promise<void> {
    if (!this.cursor) return
    await pruneOutbox(this.db, this.cursor)
  }

  private async listen(cfg: pg.ClientConfig): Promise<void> {
    const client = new pg.Client({ ...cfg, application_name: 'quad-listen' })
    client.on('notification', () => void this.catchUp().catch(() => {}))
    client.on('error', () => this.relisten(cfg, client))
    client.on('end', () => this.relisten(cfg, client))
    try {
      await client.connect()
      await listenForCommits(client)
      this.listener = client
      void this.catchUp().catch(() => {}) // anything committed while we were not listening
    } catch (err) {
      this.opts.onError?.(err)
      this.relisten(cfg, client)
    }
  }

  private relisten(cfg: pg.ClientConfig, client: pg.Client): void {
    if (this.stopped || client.listenerCount('notification') === 0) return
    client.removeAllListeners()
    client.on('error', () => {})
    client.end().catch(() => {})
    if (this.listener === client) this.listener = null
    setTimeout(() => void this.listen(cfg), 1000).unref()
  }

  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearInterval(this.timer)
    if (this.pruneTimer) clearInterval(this.pruneTimer)
    const l = this.listener
    this.listener = null
    l?.removeAllListeners()
    await l?.end().catch(() => {})
    await this.running?.catch(() => {})
  }
}
