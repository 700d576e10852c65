/**
 * What the benchmark started (servers, clusters, databases), undone in reverse order at the end or
 * on Ctrl-C. `kill` is the synchronous last resort used when the process is exiting.
 */
export class Cleanup {
  private readonly items: { undo: () => Promise<void>; kill?: () => void }[] = []

  add(undo: () => Promise<void>, kill?: () => void): () => Promise<void> {
    const item = { undo, kill }
    this.items.push(item)
    return async () => {
      const i = this.items.indexOf(item)
      if (i < 0) return
      this.items.splice(i, 1)
      await undo()
    }
  }

  async run(): Promise<void> {
    while (this.items.length) {
      const item = this.items.pop()!
      await item.undo().catch((err) => process.stderr.write(`cleanup: ${(err as Error).message}\n`))
    }
  }

  killAll(): void {
    for (const item of this.items.reverse()) {
      try {
        item.kill?.()
      } catch {
        // exiting anyway
      }
    }
  }
}
