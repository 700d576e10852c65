/** Kinds of acknowledged writes whose durability is checked in the database afterwards. */
export type WriteKind = 'submission' | 'signup' | 'bookmark'

/**
 * Every write the server acknowledged (2xx), by kind and key (a submission id from its receipt,
 * an email, "user:club"). After the run each key is looked up in the database: acknowledged
 * must equal found.
 */
export class Ledger {
  private readonly acked = new Map<WriteKind, Set<string>>()
  private readonly anomalies = new Map<string, number>()

  ack(kind: WriteKind, key: string | number): void {
    let set = this.acked.get(kind)
    if (!set) this.acked.set(kind, (set = new Set()))
    set.add(String(key))
  }

  /** Something the server acknowledged that contradicts an earlier answer (e.g. two receipts for one key). */
  anomaly(what: string): void {
    this.anomalies.set(what, (this.anomalies.get(what) ?? 0) + 1)
  }

  anomalyCounts(): Record<string, number> {
    return Object.fromEntries(this.anomalies)
  }

  count(kind: WriteKind): number {
    return this.acked.get(kind)?.size ?? 0
  }

  toJSON(): Partial<Record<WriteKind, string[]>> {
    return Object.fromEntries([...this.acked].map(([k, v]) => [k, [...v]]))
  }
}
