/**
 * Evaluations keyed by what they depend on: the scenario's version, the reading of the council's network
 * (src/db/network.ts: networkKey) and the evaluation date (which fixes the default start date). A write
 * to the scenario bumps its version and a change to the network makes a new reading, so a stale entry is
 * never hit again; the oldest entries make way when the cache is full.
 */
export class EvaluationCache<T> {
  private readonly entries = new Map<string, T>();

  constructor(private readonly capacity = 500) {}

  getOrCompute(key: string, compute: () => T): T {
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      // Re-insert to mark it most recently used.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const value = compute();
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return value;
  }

  get size() {
    return this.entries.size;
  }
}
