// The five routes of a council-owned collection (create, list, read, merge-patch, delete) and the
// helpers routes share: answers, errors, locks and idempotent creates. The queries are in
// src/db/council-rows.ts, scoped by council; the rules of each resource in its own route file.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbOrTx, Tx } from '../db/client.js';
import type { NetworkCache } from '../db/network-cache.js';
import type { NetworkRows } from '../db/network.js';
import { auditedInsertValues, recordAudit } from '../db/audit.js';
import { councilRows, findCouncil, type CouncilRow, type CouncilTable } from '../db/council-rows.js';
import { checkIfMatch, etagOf, ifMatchHeaders, setEtag } from '../http/etag.js';
import { keepAnswer, type KeptAnswer } from '../http/idempotency.js';
import { decodeCursor, toPage } from '../http/pagination.js';
import { alreadySerialized, compileSerializer, sendSerializedOnce } from '../http/serializer.js';
import { notFound, ProblemError, type ProblemFieldError, problemResponses } from '../http/problem.js';
import { databaseErrorCode } from '../http/errors.js';
import { councilParamsSchema, listEnvelope, listQuerySchema, uuidSchema } from '../schemas/common.js';

type Row = CouncilRow;

/** Rows as the API shows them: timestamps as RFC 3339 strings. */
export type ApiRow<T> = { [K in keyof T]: K extends 'createdAt' | 'updatedAt' ? string : T[K] };
export function toApi<T extends Row>(row: T): ApiRow<T> {
  return { ...row, createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString() } as ApiRow<T>;
}

/**
 * Up to `count` rows that `keep` after the cursor, from rows in list order (creation time, then id: the
 * order of the network's rows as read). Timestamps have millisecond precision, so a Date compares exactly.
 */
function pageOf(rows: readonly Row[], cursor: string | undefined, count: number, keep: (row: Row) => boolean): Row[] {
  let start = 0;
  if (cursor) {
    const key = decodeCursor(cursor);
    const time = Date.parse(key.createdAt);
    const id = key.id.toLowerCase();
    while (start < rows.length && (rows[start]!.createdAt.getTime() < time || (rows[start]!.createdAt.getTime() === time && rows[start]!.id <= id))) start++;
  }
  const page: Row[] = [];
  for (let index = start; index < rows.length && page.length < count; index++) if (keep(rows[index]!)) page.push(rows[index]!);
  return page;
}

const rowsById = new WeakMap<readonly Row[], Map<string, Row>>();
/** The rows of a kept network by id, indexed once per reading of the network. */
function byId(rows: readonly Row[]): Map<string, Row> {
  const index = rowsById.get(rows) ?? new Map(rows.map((row) => [row.id, row]));
  rowsById.set(rows, index);
  return index;
}

/** Converts issues of a zod parse into problem field errors (body JSON Pointers). */
export function issuesToFieldErrors(issues: readonly z.core.$ZodIssue[]): ProblemFieldError[] {
  return issues.map((issue) => ({ path: `/${issue.path.map(String).join('/')}`, message: issue.message }));
}

/** The council (locked: see findCouncil), or a 404. */
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

export const sendCreated = (reply: FastifyReply, answer: KeptAnswer) => reply.code(201).headers(answer.headers).serializer(alreadySerialized).send(answer.body);

/** Applies a JSON merge patch (RFC 7396) to a flat resource: null clears, arrays and objects are replaced. */
export function mergePatch<T extends Record<string, unknown>>(current: T, patch: Record<string, unknown>): T {
  const merged: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    merged[key] = value;
  }
  return merged as T;
}

/** Every field optional and without its default, so that an absent field leaves the stored value alone. */
export function patchSchemaOf(fields: z.ZodObject, example: Record<string, unknown>) {
  const shape = Object.fromEntries(
    Object.entries(fields.shape).map(([key, schema]) => [
      key,
      (schema instanceof z.ZodDefault ? (schema.unwrap() as z.ZodType) : (schema as z.ZodType)).optional(),
    ]),
  );
  return z.strictObject(shape).meta({ examples: [example] });
}

export interface ResourceDefinition<Input extends Record<string, unknown>> {
  table: CouncilTable;
  /** Path segment under /councils/{councilId}, e.g. `income-streams`. */
  path: string;
  idParam: string;
  /** Singular and plural nouns for operationIds and messages, e.g. ['IncomeStream', 'IncomeStreams']. */
  nouns: [string, string];
  label: string;
  tag: string;
  /** The writable fields. */
  fields: z.ZodObject;
  /** Rules across fields that a body must keep (also checked on the merged result of a PATCH). */
  rules?: (input: Input) => ProblemFieldError[];
  output: z.ZodType;
  createExample: Record<string, unknown>;
  patchExample: Record<string, unknown>;
  /**
   * Present when the resource is part of the council's network: its writes mark the network as changed
   * (so that kept networks and evaluations are recomputed), and its reads are served from the network
   * kept in memory (src/db/network-cache.ts) rather than queried.
   */
  network?: {
    rows: (network: NetworkRows) => readonly Row[];
    /** Query parameters that filter a list, each by equality with the row's field of the same name. */
    filters?: z.ZodObject;
  };
  /**
   * The checks of a write against other rows (each throws a ProblemError), run inside its transaction;
   * undefined when this write needs none, which lets a create of a network row be a single statement.
   */
  rowChecks?: (councilId: string, next: Input, previous?: Row) => ((tx: Tx) => Promise<void>) | undefined;
  beforeDelete?: (tx: Tx, councilId: string, row: Row) => Promise<void>;
  descriptions?: { create?: string; update?: string; delete?: string; list?: string };
}

function validateRules<Input extends Record<string, unknown>>(def: ResourceDefinition<Input>, input: Input) {
  const errors = def.rules?.(input) ?? [];
  if (errors.length > 0) {
    throw new ProblemError('rule-violation', errors.map((e) => e.message).join('; '), errors);
  }
}

/** The five routes of a council-owned collection: create, list, read, merge-patch, delete. */
export function registerResource<Input extends Record<string, unknown>>(app: FastifyInstance, def: ResourceDefinition<Input>) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { table } = def;
  const [singular, plural] = def.nouns;
  const collectionUrl = `/councils/:councilId/${def.path}`;
  const itemUrl = `${collectionUrl}/:${def.idParam}`;
  const itemParams = councilParamsSchema.extend({ [def.idParam]: uuidSchema });
  const patchSchema = patchSchemaOf(def.fields, def.patchExample);
  const changesNetwork = def.network !== undefined;

  const fields = Object.keys(def.fields.shape);
  const rows = councilRows(app.db, table, def.path, fields, changesNetwork);

  /** The row a write is about, locked until the write's transaction ends. */
  async function lockRow(tx: Tx, councilId: string, id: string) {
    const row = await rows.lock(tx, councilId, id);
    if (!row) throw notFound(`The ${def.label}`);
    return row;
  }

  function writableFields(row: Row): Input {
    const writable: Record<string, unknown> = {};
    for (const key of fields) writable[key] = row[key];
    return writable as Input;
  }

  const serializeOutput = compileSerializer(def.output);
  const serializeKeptRow = (row: unknown) => serializeOutput(toApi(row as Row));

  const id = (params: unknown) => (params as Record<string, string>)[def.idParam]!;

  // Writes to other resources (scenarios) keep the council's network in memory.
  const config = { keepsNetwork: !changesNetwork };
  r.post(
    collectionUrl,
    {
      config,
      schema: {
        operationId: `create${singular}`,
        tags: [def.tag],
        summary: `Create a ${def.label}`,
        ...(def.descriptions?.create ? { description: def.descriptions.create } : {}),
        params: councilParamsSchema,
        body: def.fields.meta({ examples: [def.createExample] }),
        response: { 201: def.output, ...problemResponses(400, 404, 409, 415, 422) },
      },
    },
    async (request, reply) => {
      const input = request.body as Input;
      validateRules(def, input);
      const { councilId } = request.params as { councilId: string };
      const checks = def.rowChecks?.(councilId, input);
      const collection = `/councils/${councilId}/${def.path}/`;
      const values = auditedInsertValues(request, councilId, fields, input, collection);
      const checkedCreate = async (tx: Tx) => {
        await checks?.(tx);
        const row = await rows.create(tx, values);
        return keepCreated(tx, request, collection + row.id, row.version, serializeOutput(toApi(row)));
      };
      if (!changesNetwork) return sendCreated(reply, await councilTransaction(app.db, councilId, checkedCreate));
      if (checks) return sendCreated(reply, await orCouncilNotFound(app.db, councilId, () => app.db.transaction(checkedCreate)));
      // With no other row to check, the create is a single statement, which keeps its answer too.
      const row = await orCouncilNotFound(app.db, councilId, () => rows.createAlone(values, request.idempotency !== undefined));
      if (request.idempotency) request.idempotency.stored = true;
      return sendCreated(reply, createdAnswer(collection + row.id, row.version, serializeOutput(toApi(row))));
    },
  );

  const listQuery = def.network?.filters ? listQuerySchema.extend(def.network.filters.shape) : listQuerySchema;
  r.get(
    collectionUrl,
    {
      schema: {
        operationId: `list${plural}`,
        tags: [def.tag],
        summary: `List the council's ${def.label}s`,
        description: def.descriptions?.list ?? 'Paginated: ordered by creation time, then id; follow links.next.',
        params: councilParamsSchema,
        querystring: listQuery,
        response: { 200: listEnvelope(def.output, `${singular}List`), ...problemResponses(400, 404) },
      },
    },
    async (request) => {
      const { councilId } = request.params as { councilId: string };
      const query = request.query as { limit: number; cursor?: string } & Record<string, unknown>;
      if (def.network) {
        const network = await loadNetworkOrNotFound(app.networkCache, councilId);
        // Stored ids are lower case (PostgreSQL's uuid), as are the enum values filtered on.
        const filters = Object.keys(def.network.filters?.shape ?? {}).flatMap((field) => {
          const value = query[field];
          return value === undefined ? [] : [[field, typeof value === 'string' ? value.toLowerCase() : value] as const];
        });
        const page = pageOf(def.network.rows(network), query.cursor, query.limit + 1, (row) => filters.every(([field, value]) => row[field] === value));
        return toPage(request, page.map(toApi), query.limit);
      }
      const page = await rows.list(councilId, query.cursor, query.limit + 1);
      // Rows prove the council exists; only an empty page needs to ask (an unknown council is a 404).
      if (page.length === 0) await requireCouncil(app.db, councilId);
      return toPage(request, page.map(toApi), query.limit);
    },
  );

  r.get(
    itemUrl,
    {
      schema: {
        operationId: `get${singular}`,
        tags: [def.tag],
        summary: `Read a ${def.label}`,
        params: itemParams,
        response: { 200: def.output, ...problemResponses(400, 404) },
      },
    },
    async (request, reply) => {
      const { councilId } = request.params as { councilId: string };
      if (def.network) {
        const network = await app.networkCache.load(councilId);
        const row = network && byId(def.network.rows(network)).get(id(request.params).toLowerCase());
        if (!row) throw notFound(`The ${def.label}`);
        setEtag(reply, row.version);
        // A kept row never changes (a change reads the network afresh): its JSON is made once.
        return sendSerializedOnce(reply, row, serializeKeptRow);
      }
      const row = await rows.read(councilId, id(request.params));
      if (!row) throw notFound(`The ${def.label}`);
      setEtag(reply, row.version);
      return toApi(row);
    },
  );

  r.patch(
    itemUrl,
    {
      config,
      schema: {
        operationId: `update${singular}`,
        tags: [def.tag],
        summary: `Change a ${def.label} (JSON merge patch)`,
        description:
          def.descriptions?.update ??
          'JSON merge patch (RFC 7396): fields present replace the stored ones, null clears an optional field, arrays are replaced whole.',
        params: itemParams,
        headers: ifMatchHeaders,
        consumes: ['application/json', 'application/merge-patch+json'],
        body: patchSchema,
        response: { 200: def.output, ...problemResponses(400, 404, 409, 412, 415, 422) },
      },
    },
    async (request: FastifyRequest, reply: FastifyReply) => {
      const { councilId } = request.params as { councilId: string };
      const patch = request.body as Record<string, unknown>;
      const updated = await councilTransaction(app.db, councilId, async (tx) => {
        const current = await lockRow(tx, councilId, id(request.params));
        checkIfMatch(request, current.version);
        const next = mergePatch(writableFields(current), patch) as Input;
        validateRules(def, next);
        await def.rowChecks?.(councilId, next, current)?.(tx);
        const row = await rows.update(tx, councilId, current.id, next);
        await recordAudit(tx, request, {
          councilId,
          action: 'update',
          resource: def.path,
          resourceId: current.id,
          before: toApi(current),
          after: toApi(row),
        });
        return row;
      });
      setEtag(reply, updated.version);
      return reply.send(toApi(updated));
    },
  );

  r.delete(
    itemUrl,
    {
      config,
      schema: {
        operationId: `delete${singular}`,
        tags: [def.tag],
        summary: `Delete a ${def.label}`,
        ...(def.descriptions?.delete ? { description: def.descriptions.delete } : {}),
        params: itemParams,
        headers: ifMatchHeaders,
        response: { 204: z.null().describe('Deleted'), ...problemResponses(400, 404, 409, 412) },
      },
    },
    async (request, reply) => {
      const { councilId } = request.params as { councilId: string };
      await councilTransaction(app.db, councilId, async (tx) => {
        const current = await lockRow(tx, councilId, id(request.params));
        checkIfMatch(request, current.version);
        await def.beforeDelete?.(tx, councilId, current);
        await rows.remove(tx, councilId, current.id);
        await recordAudit(tx, request, { councilId, action: 'delete', resource: def.path, resourceId: current.id, before: toApi(current) });
      });
      return reply.status(204).send(null);
    },
  );
}
