import type { Database } from './client.js';
import { type NetworkRows, readNetworkSnapshot } from './network.js';

/** The channel that migrations/0002 notifies with a council's id when the council or its network changes. */
export const networkChangedChannel = 'network_changed';
const cachedCouncils = 200;

/**
 * Each council's network (the council, sites, posts, income streams and areas) kept in memory, so that
 * reads and evaluations need no query at all while it holds.
 *
 * While this process listens for the database's change notices, a kept network is served as it is and
 * forgotten on the notice its council's next change sends when it commits (whoever made the change:
 * this process, another instance, or SQL typed by hand). A write through this process also forgets it
 * at once, before answering, so that its caller reads what it wrote. Other instances see a change once
 * the notice reaches them, a millisecond or so after the commit.
 *
 * While not listening (the connection dropped; it reconnects by itself), nothing is kept: every read
 * reads the network afresh.
 *
 * A network is read in one snapshot. A write that commits after the snapshot sends its notice after the
 * read began, so either the notice arrives before the read ends (the rows are not kept) or it forgets
 * them afterwards.
 */
export class NetworkCache {
  private readonly networks = new Map<string, NetworkRows>();
  /** Changes seen per council: a read that a change overtook must not keep what it read. */
  private readonly changes = new Map<string, number>();
  /** Bumped when listening starts or stops: a read that straddled either must not keep what it read. */
  private epoch = 0;
  private listening = false;

  constructor(private readonly database: Pick<Database, 'db'>) {}

  /** Starts listening for change notices; resolves to the function that stops. */
  start(database: Pick<Database, 'listen'>): Promise<() => Promise<void>> {
    return database.listen(networkChangedChannel, {
      onNotice: (councilId) => this.forget(councilId),
      onListening: () => {
        // Notices may have been missed while not listening.
        this.networks.clear();
        this.epoch++;
        this.listening = true;
      },
      onLost: () => {
        this.listening = false;
        this.epoch++;
      },
    });
  }

  /** True while kept networks are served without asking the database. */
  get trusted() {
    return this.listening;
  }

  forget(councilId: string) {
    this.networks.delete(councilId);
    this.changes.set(councilId, (this.changes.get(councilId) ?? 0) + 1);
    if (this.changes.size > 10 * cachedCouncils) {
      this.changes.clear();
      this.epoch++;
    }
  }

  /** The council's network; undefined for an unknown council. */
  async load(councilId: string): Promise<NetworkRows | undefined> {
    const kept = this.networks.get(councilId);
    if (kept && this.listening) return kept;
    const epoch = this.epoch;
    const changes = this.changes.get(councilId);
    const rows = await readNetworkSnapshot(this.database.db, councilId);
    if (rows && this.listening && epoch === this.epoch && changes === this.changes.get(councilId)) {
      this.networks.delete(councilId);
      this.networks.set(councilId, rows);
      if (this.networks.size > cachedCouncils) this.networks.delete(this.networks.keys().next().value!);
    }
    return rows;
  }
}
