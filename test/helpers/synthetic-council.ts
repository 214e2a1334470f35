import { getTableColumns, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { syntheticNetwork } from '../../bench/synthetic-network.js';
import type { Db } from '../../src/db/client.js';
import { areas, incomeStreams, posts, sites } from '../../src/db/schema.js';
import { type Client, createCouncil } from './api.js';

/**
 * Inserts many rows in one statement: the rows go as one JSON document, which the database turns into
 * rows of the table's type. Thousands of bound parameters, as `db.insert().values()` sends, cost far more
 * to build, send and parse. Only the columns the first row names are written; the others take their defaults.
 */
export async function insertRows<T extends PgTable>(db: Db, table: T, rows: readonly T['$inferInsert'][]) {
  if (rows.length === 0) return;
  const columns = Object.entries(getTableColumns(table)).filter(([key]) => key in rows[0]!);
  const names = sql.join(
    columns.map(([, column]) => sql.identifier(column.name)),
    sql`, `,
  );
  const json = JSON.stringify(rows.map((row) => Object.fromEntries(columns.map(([key, column]) => [column.name, row[key as keyof typeof row]]))));
  // Sent as text: as a json parameter postgres.js would encode the string once more.
  await db.execute(sql`insert into ${table} (${names}) select ${names} from json_populate_recordset(null::${table}, ${json}::text::json)`);
}

/** A council with a synthetic network of `siteCount` sites and ten areas a site (bench/synthetic-network.ts). */
export async function syntheticCouncil(db: Db, api: Client, siteCount: number) {
  const councilId = await createCouncil(api, 'Largeshire');
  const network = syntheticNetwork(siteCount);
  const owned = <T extends object>(rows: readonly T[]) => rows.map((row) => ({ ...row, councilId }));
  // Spokes name their hubs: the foreign key is checked once the statement has inserted them all.
  await insertRows(db, sites, owned(network.sites));
  await insertRows(db, posts, owned(network.posts));
  await insertRows(db, incomeStreams, owned(network.incomeStreams));
  await insertRows(db, areas, owned(network.areas));
  return { councilId, network };
}
