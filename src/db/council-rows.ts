// The data layer of a council's resources: every query is scoped by council, and nothing here knows
// HTTP (the routes in src/routes/resource.ts turn a missing row into a 404).
import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { decodeCursor } from '../http/pagination.js';
import { auditedInsert } from './audit.js';
import type { Db, DbOrTx, Tx } from './client.js';
import { councils } from './schema.js';

/** A table owned by a council, with the columns every resource has. */
export type CouncilTable = PgTable & {
  id: PgColumn;
  councilId: PgColumn;
  createdAt: PgColumn;
  updatedAt: PgColumn;
  version: PgColumn;
};

/** A row of such a table. */
export type CouncilRow = Record<string, unknown> & { id: string; createdAt: Date; updatedAt: Date; version: number };

/** Lists are ordered by creation time, then id; the cursor is the last row's key. */
export function afterCursor(table: { createdAt: PgColumn; id: PgColumn }, cursor: string | undefined): SQL | undefined {
  if (!cursor) return undefined;
  const key = decodeCursor(cursor);
  return sql`(${table.createdAt}, ${table.id}) > (${key.createdAt}::timestamptz, ${key.id}::uuid)`;
}

/**
 * The council, if there is one. `lock` takes its row's lock (FOR NO KEY UPDATE: it waits for no create,
 * whose foreign key to the council only shares the row) until the transaction ends.
 */
export async function findCouncil(db: DbOrTx, councilId: string, lock = false) {
  const query = db.select({ id: councils.id, code: councils.code }).from(councils).where(eq(councils.id, councilId));
  const [council] = lock ? await query.for('no key update') : await query;
  return council;
}

/**
 * The queries of one council-owned table. `resource` names it in statements and the audit trail;
 * `fields` are its writable columns. `audited` prepares the single-statement creates (row and audit
 * event together, with or without the answer kept for an Idempotency-Key), for network rows.
 */
export function councilRows(db: Db, table: CouncilTable, resource: string, fields: readonly string[], audited: boolean) {
  const scoped = (councilId: string, id: string) => and(eq(table.id, id), eq(table.councilId, councilId));
  const statement = resource.replaceAll('-', '_');
  // The hottest read, prepared once: no query building per request and, on PostgreSQL, one round trip
  // instead of two (postgres.js describes an unprepared statement with parameters before running it).
  const readItem = db
    .select()
    .from(table)
    .where(and(eq(table.id, sql.placeholder('id')), eq(table.councilId, sql.placeholder('councilId'))))
    .prepare(`read_${statement}`);
  const insert = audited ? auditedInsert(db, table, resource, fields).prepare(`create_${statement}`) : undefined;
  const insertKeepingAnswer = audited ? auditedInsert(db, table, resource, fields, true).prepare(`create_${statement}_kept`) : undefined;

  return {
    async read(councilId: string, id: string): Promise<CouncilRow | undefined> {
      const [row] = (await readItem.execute({ councilId, id })) as CouncilRow[];
      return row;
    },
    /** The row, locked until the transaction ends. */
    async lock(tx: Tx, councilId: string, id: string): Promise<CouncilRow | undefined> {
      const [row] = (await tx.select().from(table).where(scoped(councilId, id)).for('update')) as CouncilRow[];
      return row;
    },
    /** Up to `count` rows after the cursor, in list order. */
    async list(councilId: string, cursor: string | undefined, count: number): Promise<CouncilRow[]> {
      const rows = await db
        .select()
        .from(table)
        .where(and(eq(table.councilId, councilId), afterCursor(table, cursor)))
        .orderBy(table.createdAt, table.id)
        .limit(count);
      return rows as CouncilRow[];
    },
    /** Creates a row with its audit event in `tx` (values: auditedInsertValues). */
    async create(tx: Tx, values: Record<string, unknown>): Promise<CouncilRow> {
      const [row] = (await auditedInsert(tx, table, resource, fields).execute(values)) as CouncilRow[];
      return row!;
    },
    /** The same in one prepared statement, keeping the answer too when `keepingAnswer` (audited tables only). */
    async createAlone(values: Record<string, unknown>, keepingAnswer: boolean): Promise<CouncilRow> {
      const [row] = (await (keepingAnswer ? insertKeepingAnswer! : insert!).execute(values)) as CouncilRow[];
      return row!;
    },
    async update(tx: Tx, councilId: string, id: string, next: Record<string, unknown>): Promise<CouncilRow> {
      const [row] = (await tx
        .update(table)
        .set({ ...next, updatedAt: sql`now()`, version: sql`${table.version} + 1` } as never)
        .where(scoped(councilId, id))
        .returning()) as CouncilRow[];
      return row!;
    },
    async remove(tx: Tx, councilId: string, id: string): Promise<void> {
      await tx.delete(table).where(scoped(councilId, id));
    },
  };
}
