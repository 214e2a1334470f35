import { asc, eq, sql } from 'drizzle-orm';
import type { Network } from '../domain/types.js';
import type { DbOrTx } from './client.js';
import { areas, councils, incomeStreams, posts, sites } from './schema.js';

const byCouncil = <T extends typeof sites | typeof posts | typeof incomeStreams | typeof areas>(table: T) =>
  eq(table.councilId, sql.placeholder('councilId'));

function prepareStatements(db: DbOrTx) {
  // Prepared once per database handle: the network is read on every evaluation.
  return {
    council: db
      .select({ id: councils.id, code: councils.code, name: councils.name, networkVersion: councils.networkVersion })
      .from(councils)
      .where(eq(councils.id, sql.placeholder('councilId')))
      .prepare('network_council'),
    sites: db.select().from(sites).where(byCouncil(sites)).orderBy(asc(sites.createdAt), asc(sites.id)).prepare('network_sites'),
    posts: db.select().from(posts).where(byCouncil(posts)).orderBy(asc(posts.createdAt), asc(posts.id)).prepare('network_posts'),
    incomeStreams: db
      .select()
      .from(incomeStreams)
      .where(byCouncil(incomeStreams))
      .orderBy(asc(incomeStreams.createdAt), asc(incomeStreams.id))
      .prepare('network_income_streams'),
    areas: db.select().from(areas).where(byCouncil(areas)).orderBy(asc(areas.createdAt), asc(areas.id)).prepare('network_areas'),
  };
}

const statements = new WeakMap<DbOrTx, ReturnType<typeof prepareStatements>>();

export type NetworkRows = Awaited<ReturnType<typeof loadNetworkRows>>;

function statementsFor(db: DbOrTx) {
  let prepared = statements.get(db);
  if (!prepared) {
    prepared = prepareStatements(db);
    statements.set(db, prepared);
  }
  return prepared;
}

async function readRows(prepared: ReturnType<typeof prepareStatements>, council: { id: string; code: string; name: string; networkVersion: number }) {
  const councilId = council.id;
  const [siteRows, postRows, incomeRows, areaRows] = await Promise.all([
    prepared.sites.execute({ councilId }),
    prepared.posts.execute({ councilId }),
    prepared.incomeStreams.execute({ councilId }),
    prepared.areas.execute({ councilId }),
  ]);
  return { council, sites: siteRows, posts: postRows, incomeStreams: incomeRows, areas: areaRows };
}

/** Everything a council holds, read afresh (use inside a transaction); undefined for an unknown council. */
export async function loadNetworkRows(db: DbOrTx, councilId: string) {
  const prepared = statementsFor(db);
  const [council] = await prepared.council.execute({ councilId });
  return council ? readRows(prepared, council) : undefined;
}

const cachedCouncils = 200;
const rowCaches = new WeakMap<DbOrTx, Map<string, NonNullable<NetworkRows>>>();

/**
 * The same, for reads: one query for the council's network version, and the four big reads only when
 * it has changed since the last time (every write to the network bumps it). The rows are cached only
 * when the version still holds after reading them, so a write landing mid-read is never cached.
 */
export async function loadNetworkRowsCached(db: DbOrTx, councilId: string) {
  const prepared = statementsFor(db);
  const [council] = await prepared.council.execute({ councilId });
  if (!council) return undefined;
  let cache = rowCaches.get(db);
  if (!cache) rowCaches.set(db, (cache = new Map()));
  const hit = cache.get(councilId);
  if (hit && hit.council.networkVersion === council.networkVersion) {
    // The name and code may change without a network change.
    return { ...hit, council };
  }
  const rows = await readRows(prepared, council);
  const [after] = await prepared.council.execute({ councilId });
  if (after?.networkVersion === council.networkVersion) {
    cache.delete(councilId);
    cache.set(councilId, rows);
    if (cache.size > cachedCouncils) cache.delete(cache.keys().next().value!);
  }
  return rows;
}

// One domain network per set of rows read, so that the planning domain's preparation of a network
// (src/domain/prepared.ts) serves every request on the same cached network version.
const domainNetworks = new WeakMap<object, Network>();

/** The plain data the planning domain works on: the rows themselves, whose columns are a superset of it. */
export function toDomainNetwork(rows: NetworkRows & object): Network {
  let network = domainNetworks.get(rows.sites);
  if (!network) {
    network = { sites: rows.sites, posts: rows.posts, incomeStreams: rows.incomeStreams, areas: rows.areas };
    domainNetworks.set(rows.sites, network);
  }
  return network;
}
