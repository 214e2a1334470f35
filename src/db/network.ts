import { asc, eq } from 'drizzle-orm';
import type { Network } from '../domain/types.js';
import type { Db, DbOrTx } from './client.js';
import { areas, centralCosts, councils, incomeStreams, outcomes, posts, sites } from './schema.js';

export type NetworkRows = NonNullable<Awaited<ReturnType<typeof loadNetworkRows>>>;

/** Everything a council holds, read afresh (use inside a transaction); undefined for an unknown council. */
export async function loadNetworkRows(db: DbOrTx, councilId: string) {
  // Issued together: inside a transaction on PostgreSQL they are pipelined, one round trip.
  const [[council], siteRows, postRows, incomeRows, areaRows, outcomeRows, centralRows] = await Promise.all([
    db.select({ id: councils.id, code: councils.code, name: councils.name }).from(councils).where(eq(councils.id, councilId)),
    db.select().from(sites).where(eq(sites.councilId, councilId)).orderBy(asc(sites.createdAt), asc(sites.id)),
    db.select().from(posts).where(eq(posts.councilId, councilId)).orderBy(asc(posts.createdAt), asc(posts.id)),
    db.select().from(incomeStreams).where(eq(incomeStreams.councilId, councilId)).orderBy(asc(incomeStreams.createdAt), asc(incomeStreams.id)),
    db.select().from(areas).where(eq(areas.councilId, councilId)).orderBy(asc(areas.createdAt), asc(areas.id)),
    db.select().from(outcomes).where(eq(outcomes.councilId, councilId)).orderBy(asc(outcomes.createdAt), asc(outcomes.id)),
    db.select().from(centralCosts).where(eq(centralCosts.councilId, councilId)).orderBy(asc(centralCosts.createdAt), asc(centralCosts.id)),
  ]);
  return council
    ? { council, sites: siteRows, posts: postRows, incomeStreams: incomeRows, areas: areaRows, outcomes: outcomeRows, centralCosts: centralRows }
    : undefined;
}

/**
 * The council's network read in one snapshot (a read-only repeatable-read transaction), so that its
 * parts agree although writes to the council run concurrently; undefined for an unknown council.
 */
export const readNetworkSnapshot = (db: Db, councilId: string) =>
  db.transaction((tx) => loadNetworkRows(tx, councilId), { isolationLevel: 'repeatable read', accessMode: 'read only' });

// One domain network per set of rows read, so that the planning domain's preparation of a network
// (src/domain/prepared.ts) serves every request on the same kept network (src/db/network-cache.ts).
const domainNetworks = new WeakMap<object, { network: Network; key: string }>();
let networksRead = 0;

function kept(rows: NetworkRows) {
  let entry = domainNetworks.get(rows.sites);
  if (!entry) {
    const network = {
      sites: rows.sites,
      posts: rows.posts,
      incomeStreams: rows.incomeStreams,
      areas: rows.areas,
      outcomes: rows.outcomes,
      centralCosts: rows.centralCosts,
    };
    entry = { network, key: `${rows.council.id}:${++networksRead}` };
    domainNetworks.set(rows.sites, entry);
  }
  return entry;
}

/** The plain data the planning domain works on: the rows themselves, whose columns are a superset of it. */
export const toDomainNetwork = (rows: NetworkRows): Network => kept(rows).network;

/**
 * Names one reading of a council's network, for caches of what is computed from it: every fresh read
 * (after any change, whoever made it) gets a new name.
 */
export const networkKey = (rows: NetworkRows): string => kept(rows).key;
