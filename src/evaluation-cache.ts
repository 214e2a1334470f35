/**
 * Serialised answers of evaluations and comparisons, keyed by what they depend on: the scenarios'
 * versions, the reading of the council's network (src/db/network.ts: networkKey) and the evaluation date
 * (which fixes the default start date). A write to a scenario bumps its version and a change to the
 * network makes a new reading, so a stale entry is never hit again. Capped by bytes, not entries: one
 * answer may be a thousand times another's size. The least recently used go first.
 */
export class AnswerCache {
  private readonly entries = new Map<string, Buffer>();
  private bytes = 0;

  constructor(private readonly capacityBytes: number) {}

  get(key: string): Buffer | undefined {
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      // Re-insert to mark it most recently used.
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  set(key: string, value: Buffer) {
    if (value.byteLength > this.capacityBytes) return;
    const previous = this.entries.get(key);
    if (previous) {
      this.entries.delete(key);
      this.bytes -= previous.byteLength;
    }
    this.entries.set(key, value);
    this.bytes += value.byteLength;
    for (const [oldest, entry] of this.entries) {
      if (this.bytes <= this.capacityBytes) break;
      this.entries.delete(oldest);
      this.bytes -= entry.byteLength;
    }
  }

  /** Bytes held. */
  get size() {
    return this.bytes;
  }
}
