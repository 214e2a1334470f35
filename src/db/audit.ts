import { type Column, getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { FastifyRequest } from 'fastify';
import type { DbOrTx, Tx } from './client.js';
import { auditEvents, idempotencyRecords } from './schema.js';

export interface AuditedChange {
  councilId: string | null;
  action: 'create' | 'update' | 'delete';
  resource: string;
  resourceId: string;
  before?: unknown;
  after?: unknown;
}

/** Records who changed what, inside the same transaction as the change itself. */
export async function recordAudit(tx: Tx, request: FastifyRequest, change: AuditedChange) {
  await tx.insert(auditEvents).values({
    councilId: change.councilId,
    actor: request.principal?.actor ?? 'system',
    action: change.action,
    resource: change.resource,
    resourceId: change.resourceId,
    before: change.before ?? null,
    after: change.after ?? null,
    requestId: request.id,
  });
}

/**
 * A row as the API shows it (see toApi in src/routes/resource.ts), as JSON built by the database: each
 * column under its field name, timestamps as RFC 3339 in UTC with milliseconds (JavaScript's
 * toISOString). Numbers, dates, arrays and text come out as the driver maps them for the API.
 */
function apiJson(columns: Record<string, Column>, alias: string): SQL {
  const pairs = Object.entries(columns).map(([field, column]) => {
    const value = sql`${sql.identifier(alias)}.${sql.identifier(column.name)}`;
    const shown = column.columnType === 'PgTimestamp' ? sql`to_char(${value} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')` : value;
    return sql`${field}::text, ${shown}`;
  });
  return sql`jsonb_build_object(${sql.join(pairs, sql`, `)})`;
}

/**
 * The statement that inserts one row of `table` and the audit event of its creation: atomic without a
 * transaction, and one round trip. Every value is a placeholder (each of `fields`, `councilId`, `actor`
 * and `requestId`), so the statement can be prepared once; an absent field is given as null. The
 * event's `after` is the row inserted, as the API shows it.
 *
 * With `keepsAnswer`, the same statement keeps the create's answer for the request's Idempotency-Key
 * (placeholders `principal`, `idempotencyKey`, `location`): 201, Location and ETag, and the row as the
 * API shows it in place of the body (see idempotencyRecords.responseRow).
 */
export function auditedInsert(db: DbOrTx, table: PgTable, resource: string, fields: readonly string[], keepsAnswer = false) {
  const columns: Record<string, Column> = getTableColumns(table);
  const values = Object.fromEntries([...fields, 'councilId'].map((field) => [field, sql.placeholder(field)]));
  const created = db.$with('created', columns).as(db.insert(table).values(values).returning().getSQL());
  const shown = apiJson(columns, 'created');
  const audited = db.$with('audited', {}).as(sql`insert into ${auditEvents} (council_id, actor, action, resource, resource_id, after, request_id)
    select ${sql.placeholder('councilId')}, ${sql.placeholder('actor')}, 'create', ${resource}, created.id, ${shown}, ${sql.placeholder('requestId')}
    from created`);
  if (!keepsAnswer) return db.with(created, audited).select().from(created);
  // As keepAnswer and keepCreated (src/http/idempotency.ts, src/routes/resource.ts) keep it.
  const kept = db.$with('kept', {}).as(sql`update ${idempotencyRecords}
    set response_status = 201,
      response_headers = jsonb_build_object('content-type', 'application/json; charset=utf-8', 'location', ${sql.placeholder('location')} || created.id, 'etag', '"' || created.version || '"'),
      response_row = ${shown}
    from created
    where ${idempotencyRecords.principal} = ${sql.placeholder('principal')} and ${idempotencyRecords.key} = ${sql.placeholder('idempotencyKey')}
      and ${idempotencyRecords.responseStatus} is null`);
  return db.with(created, audited, kept).select().from(created);
}

/** The placeholder values of auditedInsert for one request (`location`: where the new row's id is appended). */
export function auditedInsertValues(request: FastifyRequest, councilId: string, fields: readonly string[], input: Record<string, unknown>, location: string) {
  const values: Record<string, unknown> = { councilId, actor: request.principal?.actor ?? 'system', requestId: request.id, location };
  if (request.idempotency) Object.assign(values, { principal: request.principal!.actor, idempotencyKey: request.idempotency.key });
  for (const field of fields) values[field] = input[field] ?? null;
  return values;
}
