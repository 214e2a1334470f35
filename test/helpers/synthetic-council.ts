import { syntheticNetwork } from '../../bench/synthetic-network.js';
import type { Db } from '../../src/db/client.js';
import { areas, incomeStreams, posts, sites } from '../../src/db/schema.js';
import { type Client, createCouncil } from './api.js';

export async function insertChunked(db: Db, table: Parameters<Db['insert']>[0], rows: object[]) {
  for (let start = 0; start < rows.length; start += 1000) await db.insert(table).values(rows.slice(start, start + 1000) as never);
}

/** A council with a synthetic network of `siteCount` sites and ten areas a site (bench/synthetic-network.ts). */
export async function syntheticCouncil(db: Db, api: Client, siteCount: number) {
  const councilId = await createCouncil(api, 'Largeshire');
  const network = syntheticNetwork(siteCount);
  const owned = <T extends object>(rows: readonly T[]) => rows.map((row) => ({ ...row, councilId }));
  // Hubs first: spokes name them.
  await insertChunked(db, sites, owned([...network.sites].sort((a, b) => Number(b.role === 'hub') - Number(a.role === 'hub'))));
  await insertChunked(db, posts, owned(network.posts));
  await insertChunked(db, incomeStreams, owned(network.incomeStreams));
  await insertChunked(db, areas, owned(network.areas));
  return { councilId, network };
}
