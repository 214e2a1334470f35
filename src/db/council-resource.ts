// The reads and writes of one council-owned resource, scoped by council: which transaction and lock a
// write takes, its checks against other rows, its audit event and the answer kept for an
// Idempotency-Key. The routes (src/routes/resource.ts) only validate, call these and answer.
import { sql } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import { checkIfMatch, etagOf } from '../http/etag.js';
import { databaseErrorCode } from '../http/errors.js';
import { keepAnswer, type KeptAnswer } from '../http/idempotency.js';
import { decodeCursor } from '../http/pagination.js';
import { notFound, ProblemError } from '../http/problem.js';
import { auditedInsertValues, recordAudit } from './audit.js';
import type { Db, DbOrTx, Tx } from './client.js';
import { councilRows, findCouncil, type CouncilRow, type CouncilTable } from './council-rows.js';
import type { NetworkCache } from './network-cache.js';
import type { NetworkRows } from './network.js';

/** Rows as the API shows them: timestamps as RFC 3339 strings. */
export type ApiRow<T> = { [K in keyof T]: K extends 'createdAt' | 'updatedAt' ? string : T[K] };
export function toApi<T extends CouncilRow>(row: T): ApiRow<T> {
  return { ...row, createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString() } as ApiRow<T>;
}

export async function requireCouncil(db: DbOrTx, councilId: string, lock = false) {
  const council = await findCouncil(db, councilId, lock);
  if (!council) throw notFound('The council');
  return council;
}

/** The council's network, kept in memory (src/db/network-cache.ts); 404 when there is no such council. */
export async function loadNetworkOrNotFound(networks: NetworkCache, councilId: string) {
  const rows = await networks.load(councilId);
  if (!rows) throw notFound('The council');
  return rows;
}

/** How long a transaction waits for the council's lock, and how long any one of its statements may run. */
export interface TransactionLimits {
  lockWaitMs: number;
  statementMs: number;
}

/**
 * Runs `work` in a transaction that first takes the council's lock: changes and deletions, imports and
 * the writes of scenarios serialise on it, so that rules that read many rows (a hub's spokes before it
 * closes, an import's checks across the file) hold. 404 when there is no such council.
 */
export function councilTransaction<T>(db: Db, councilId: string, work: (tx: Tx) => Promise<T>, limits?: TransactionLimits): Promise<T> {
  return db.transaction(async (tx) => {
    if (limits) {
      // Past either, PostgreSQL refuses the statement: a 503 (src/http/errors.ts), the transaction undone.
      await tx.execute(sql.raw(`set local lock_timeout = ${Math.trunc(limits.lockWaitMs)}`));
      await tx.execute(sql.raw(`set local statement_timeout = ${Math.trunc(limits.statementMs)}`));
    }
    await requireCouncil(tx, councilId, true);
    return work(tx);
  });
}

/**
 * Runs the create of a network row (site, post, income stream, area), which takes no council lock, so
 * that a council's creates do not queue behind each other. A create only adds a row: the one other
 * row its rules read (a spoke's hub, a post's site) is locked while they are checked (siteOfCouncil),
 * and the foreign keys hold the rest. An unknown council fails the create on a rule or on a foreign
 * key; only then is the council looked up, to answer 404 as a locked create would. Any other failure
 * (the database unreachable, say) answers at once.
 */
async function orCouncilNotFound<T>(db: Db, councilId: string, create: () => Promise<T>): Promise<T> {
  try {
    return await create();
  } catch (error) {
    if (error instanceof ProblemError || databaseErrorCode(error) === foreignKeyViolation) await requireCouncil(db, councilId);
    throw error;
  }
}
const foreignKeyViolation = '23503';

/**
 * A create's answer (201 with Location and ETag). With an Idempotency-Key it is kept for replays inside
 * the write's transaction (see keepAnswer), so that a create that commits always leaves its answer.
 */
export async function keepCreated(db: DbOrTx, request: FastifyRequest, location: string, version: number, body: string): Promise<KeptAnswer> {
  const answer = createdAnswer(location, version, body);
  await keepAnswer(db, request, answer);
  return answer;
}

const createdAnswer = (location: string, version: number, body: string): KeptAnswer => ({
  status: 201,
  headers: { 'content-type': 'application/json; charset=utf-8', location, etag: etagOf(version) },
  body,
});

/** A change's answer (200 with ETag), made inside its transaction so that no failure to make it follows the commit. */
export const updatedAnswer = (version: number, body: string): KeptAnswer => ({
  status: 200,
  headers: { 'content-type': 'application/json; charset=utf-8', etag: etagOf(version) },
  body,
});

/** Applies a JSON merge patch (RFC 7396) to a flat resource: null clears, arrays and objects are replaced. */
export function mergePatch<T extends Record<string, unknown>>(current: T, patch: Record<string, unknown>): T {
  const merged: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    merged[key] = value;
  }
  return merged as T;
}

/**
 * Up to `count` rows that `keep` after the cursor, from rows in list order (creation time, then id: the
 * order of the network's rows as read). Timestamps have millisecond precision, so a Date compares exactly.
 */
function pageOf(rows: readonly CouncilRow[], cursor: string | undefined, count: number, keep: (row: CouncilRow) => boolean): CouncilRow[] {
  let start = 0;
  if (cursor) {
    const key = decodeCursor(cursor);
    const time = Date.parse(key.createdAt);
    const id = key.id.toLowerCase();
    while (start < rows.length && (rows[start]!.createdAt.getTime() < time || (rows[start]!.createdAt.getTime() === time && rows[start]!.id <= id))) start++;
  }
  const page: CouncilRow[] = [];
  for (let index = start; index < rows.length && page.length < count; index++) if (keep(rows[index]!)) page.push(rows[index]!);
  return page;
}

const rowsById = new WeakMap<readonly CouncilRow[], Map<string, CouncilRow>>();
/** The rows of a kept network by id, indexed once per reading of the network. */
function byId(rows: readonly CouncilRow[]): Map<string, CouncilRow> {
  const index = rowsById.get(rows) ?? new Map(rows.map((row) => [row.id, row]));
  rowsById.set(rows, index);
  return index;
}

/** What the data layer needs to know of a resource (src/routes/resource.ts ResourceDefinition). */
export interface CouncilResourceShape<Input extends Record<string, unknown>> {
  table: CouncilTable;
  /** Path segment under /councils/{councilId}: names it in the audit trail and in Location. */
  path: string;
  /** Lower-case noun for "The … was not found". */
  label: string;
  /** The writable fields. */
  fields: readonly string[];
  /** Rules across fields, checked on a create's body and on the merged result of a PATCH (throws a ProblemError). */
  validate: (input: Input) => void;
  /** Present when the rows are part of the council's network, which is then read from memory. */
  network?: { rows: (network: NetworkRows) => readonly CouncilRow[] };
  rowChecks?: (councilId: string, next: Input, previous?: CouncilRow) => ((tx: Tx) => Promise<void>) | undefined;
  beforeDelete?: (tx: Tx, councilId: string, row: CouncilRow) => Promise<void>;
  /** The API's JSON of a row. */
  serialize: (row: CouncilRow) => string;
}

/** The reads and writes of one council-owned resource. */
export function councilResource<Input extends Record<string, unknown>>(db: Db, networks: NetworkCache, shape: CouncilResourceShape<Input>) {
  const changesNetwork = shape.network !== undefined;
  const rows = councilRows(db, shape.table, shape.path, shape.fields, changesNetwork);

  /** The row a write is about, locked until the write's transaction ends. */
  async function lockRow(tx: Tx, councilId: string, id: string) {
    const row = await rows.lock(tx, councilId, id);
    if (!row) throw notFound(`The ${shape.label}`);
    return row;
  }

  /**
   * The JSON of a row its single statement has already committed. Should the serialiser fail, the row
   * as JSON.stringify writes it: its 201, rather than a 500 that a retry without a key would create again.
   */
  function committedJson(request: FastifyRequest, row: CouncilRow): string {
    try {
      return shape.serialize(row);
    } catch (error) {
      request.log.error({ err: error }, 'a committed create answered without its serialiser');
      return JSON.stringify(toApi(row));
    }
  }

  function writableFields(row: CouncilRow): Input {
    const writable: Record<string, unknown> = {};
    for (const key of shape.fields) writable[key] = row[key];
    return writable as Input;
  }

  return {
    /**
     * Creates a row with its audit event and answers 201. Rows outside the network take the council's
     * lock; network rows do not (see orCouncilNotFound), and one with no other row to check is a single
     * statement that keeps its answer for an Idempotency-Key too.
     */
    async create(request: FastifyRequest, councilId: string, input: Input): Promise<KeptAnswer> {
      shape.validate(input);
      const checks = shape.rowChecks?.(councilId, input);
      const collection = `/councils/${councilId}/${shape.path}/`;
      const values = auditedInsertValues(request, councilId, shape.fields, input, collection);
      const checkedCreate = async (tx: Tx) => {
        await checks?.(tx);
        const row = await rows.create(tx, values);
        return keepCreated(tx, request, collection + row.id, row.version, shape.serialize(row));
      };
      if (!changesNetwork) return councilTransaction(db, councilId, checkedCreate);
      if (checks) return orCouncilNotFound(db, councilId, () => db.transaction(checkedCreate));
      const row = await orCouncilNotFound(db, councilId, () => rows.createAlone(values, request.idempotency !== undefined));
      if (request.idempotency) request.idempotency.stored = true;
      return createdAnswer(collection + row.id, row.version, committedJson(request, row));
    },

    /** Up to `count` rows after the cursor in list order; network rows from memory, filtered by `keep`. */
    async list(councilId: string, cursor: string | undefined, count: number, keep: (row: CouncilRow) => boolean): Promise<CouncilRow[]> {
      if (shape.network) return pageOf(shape.network.rows(await loadNetworkOrNotFound(networks, councilId)), cursor, count, keep);
      const page = await rows.list(councilId, cursor, count);
      // Rows prove the council exists; only an empty page needs to ask (an unknown council is a 404).
      if (page.length === 0) await requireCouncil(db, councilId);
      return page;
    },

    /** The row; `kept` when it comes from the network in memory, which never changes it. */
    async read(councilId: string, id: string): Promise<{ row: CouncilRow; kept: boolean }> {
      const row = shape.network
        ? await networks.load(councilId).then((network) => network && byId(shape.network!.rows(network)).get(id.toLowerCase()))
        : await rows.read(councilId, id);
      if (!row) throw notFound(`The ${shape.label}`);
      return { row, kept: changesNetwork };
    },

    /** Applies a merge patch under the council's lock, after If-Match, the rules and the row checks; answers 200. */
    update(request: FastifyRequest, councilId: string, id: string, patch: Record<string, unknown>): Promise<KeptAnswer> {
      return councilTransaction(db, councilId, async (tx) => {
        const current = await lockRow(tx, councilId, id);
        checkIfMatch(request, current.version);
        const next = mergePatch(writableFields(current), patch) as Input;
        shape.validate(next);
        await shape.rowChecks?.(councilId, next, current)?.(tx);
        const row = await rows.update(tx, councilId, current.id, next);
        await recordAudit(tx, request, {
          councilId,
          action: 'update',
          resource: shape.path,
          resourceId: current.id,
          before: toApi(current),
          after: toApi(row),
        });
        return updatedAnswer(row.version, shape.serialize(row));
      });
    },

    /** Deletes the row under the council's lock, after If-Match and the resource's own checks. */
    remove(request: FastifyRequest, councilId: string, id: string): Promise<void> {
      return councilTransaction(db, councilId, async (tx) => {
        const current = await lockRow(tx, councilId, id);
        checkIfMatch(request, current.version);
        await shape.beforeDelete?.(tx, councilId, current);
        await rows.remove(tx, councilId, current.id);
        await recordAudit(tx, request, { councilId, action: 'delete', resource: shape.path, resourceId: current.id, before: toApi(current) });
      });
    },
  };
}
