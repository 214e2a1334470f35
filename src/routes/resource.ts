// The five routes of a council-owned collection (create, list, read, merge-patch, delete): each
// validates, calls the resource's data layer (src/db/council-resource.ts, queries in
// src/db/council-rows.ts) and answers. The rules of each resource are in its own route file.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Tx } from '../db/client.js';
import { councilResource, toApi } from '../db/council-resource.js';
import type { CouncilRow, CouncilTable } from '../db/council-rows.js';
import type { NetworkRows } from '../db/network.js';
import type { KeptAnswer } from '../http/idempotency.js';
import { ifMatchHeaders, setEtag } from '../http/etag.js';
import { toPage } from '../http/pagination.js';
import { alreadySerialized, compileSerializer, sendSerializedOnce } from '../http/serializer.js';
import { ProblemError, type ProblemFieldError, problemResponses } from '../http/problem.js';
import { councilParamsSchema, listEnvelope, listQuerySchema, uuidSchema } from '../schemas/common.js';

type Row = CouncilRow;

/** Converts issues of a zod parse into problem field errors (body JSON Pointers). */
export function issuesToFieldErrors(issues: readonly z.core.$ZodIssue[]): ProblemFieldError[] {
  return issues.map((issue) => ({ path: `/${issue.path.map(String).join('/')}`, message: issue.message }));
}

/**
 * Sends a write's answer, made (serialised) before the write committed: a write that commits is never
 * answered 500 for a failure in making its answer.
 */
export const sendAnswer = (reply: FastifyReply, answer: KeptAnswer) =>
  reply.code(answer.status).headers(answer.headers).serializer(alreadySerialized).send(answer.body);

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

/** Throws a 422 naming each rule across fields that the input breaks. */
function rulesOf<Input extends Record<string, unknown>>(def: ResourceDefinition<Input>) {
  return (input: Input) => {
    const errors = def.rules?.(input) ?? [];
    if (errors.length > 0) throw new ProblemError('rule-violation', errors.map((e) => e.message).join('; '), errors);
  };
}

const withZod = (app: FastifyInstance) => app.withTypeProvider<ZodTypeProvider>();
type Routes = ReturnType<typeof withZod>;

/** What the five routes of one resource share. */
function resourceRoutes<Input extends Record<string, unknown>>(app: FastifyInstance, def: ResourceDefinition<Input>) {
  const serializeOutput = compileSerializer(def.output, app.serializerCompiler);
  const serialize = (row: unknown) => serializeOutput(toApi(row as Row));
  const [singular, plural] = def.nouns;
  const collectionUrl = `/councils/:councilId/${def.path}`;
  return {
    def,
    singular,
    plural,
    serialize,
    collectionUrl,
    itemUrl: `${collectionUrl}/:${def.idParam}`,
    itemParams: councilParamsSchema.extend({ [def.idParam]: uuidSchema }),
    tags: [def.tag],
    // Writes to other resources (scenarios) keep the council's network in memory.
    config: { keepsNetwork: def.network === undefined },
    id: (params: unknown) => (params as Record<string, string>)[def.idParam]!,
    councilId: (params: unknown) => (params as { councilId: string }).councilId,
    resource: councilResource<Input>(app.db, app.networkCache, {
      table: def.table,
      path: def.path,
      label: def.label,
      fields: Object.keys(def.fields.shape),
      validate: rulesOf(def),
      network: def.network,
      rowChecks: def.rowChecks,
      beforeDelete: def.beforeDelete,
      serialize,
    }),
  };
}
type ResourceRoutes<Input extends Record<string, unknown>> = ReturnType<typeof resourceRoutes<Input>>;

function createRoute<Input extends Record<string, unknown>>(r: Routes, it: ResourceRoutes<Input>) {
  const { def } = it;
  r.post(
    it.collectionUrl,
    {
      config: it.config,
      schema: {
        operationId: `create${it.singular}`,
        tags: it.tags,
        summary: `Create a ${def.label}`,
        ...(def.descriptions?.create ? { description: def.descriptions.create } : {}),
        params: councilParamsSchema,
        body: def.fields.meta({ examples: [def.createExample] }),
        response: { 201: def.output, ...problemResponses(400, 404, 409, 415, 422) },
      },
    },
    async (request, reply) => sendAnswer(reply, await it.resource.create(request, it.councilId(request.params), request.body as Input)),
  );
}

function listRoute<Input extends Record<string, unknown>>(r: Routes, it: ResourceRoutes<Input>) {
  const { def } = it;
  const filterFields = Object.keys(def.network?.filters?.shape ?? {});
  r.get(
    it.collectionUrl,
    {
      schema: {
        operationId: `list${it.plural}`,
        tags: it.tags,
        summary: `List the council's ${def.label}s`,
        description: def.descriptions?.list ?? 'Paginated: ordered by creation time, then id; follow links.next.',
        params: councilParamsSchema,
        querystring: def.network?.filters ? listQuerySchema.extend(def.network.filters.shape) : listQuerySchema,
        response: { 200: listEnvelope(def.output, `${it.singular}List`), ...problemResponses(400, 404) },
      },
    },
    async (request) => {
      const query = request.query as { limit: number; cursor?: string } & Record<string, unknown>;
      // Stored ids are lower case (PostgreSQL's uuid), as are the enum values filtered on.
      const filters = filterFields.flatMap((field) => {
        const value = query[field];
        return value === undefined ? [] : [[field, typeof value === 'string' ? value.toLowerCase() : value] as const];
      });
      const keep = (row: Row) => filters.every(([field, value]) => row[field] === value);
      const page = await it.resource.list(it.councilId(request.params), query.cursor, query.limit + 1, keep);
      return toPage(request, page.map(toApi), query.limit);
    },
  );
}

function readRoute<Input extends Record<string, unknown>>(r: Routes, it: ResourceRoutes<Input>) {
  r.get(
    it.itemUrl,
    {
      schema: {
        operationId: `get${it.singular}`,
        tags: it.tags,
        summary: `Read a ${it.def.label}`,
        params: it.itemParams,
        response: { 200: it.def.output, ...problemResponses(400, 404) },
      },
    },
    async (request, reply) => {
      const { row, kept } = await it.resource.read(it.councilId(request.params), it.id(request.params));
      setEtag(reply, row.version);
      // A kept row never changes (a change reads the network afresh): its JSON is made once.
      return kept ? sendSerializedOnce(reply, row, it.serialize) : toApi(row);
    },
  );
}

function updateRoute<Input extends Record<string, unknown>>(r: Routes, it: ResourceRoutes<Input>) {
  const { def } = it;
  r.patch(
    it.itemUrl,
    {
      config: it.config,
      schema: {
        operationId: `update${it.singular}`,
        tags: it.tags,
        summary: `Change a ${def.label} (JSON merge patch)`,
        description:
          def.descriptions?.update ??
          'JSON merge patch (RFC 7396): fields present replace the stored ones, null clears an optional field, arrays are replaced whole.',
        params: it.itemParams,
        headers: ifMatchHeaders,
        consumes: ['application/json', 'application/merge-patch+json'],
        body: patchSchemaOf(def.fields, def.patchExample),
        response: { 200: def.output, ...problemResponses(400, 404, 409, 412, 415, 422) },
      },
    },
    async (request, reply) =>
      sendAnswer(reply, await it.resource.update(request, it.councilId(request.params), it.id(request.params), request.body as Record<string, unknown>)),
  );
}

function deleteRoute<Input extends Record<string, unknown>>(r: Routes, it: ResourceRoutes<Input>) {
  r.delete(
    it.itemUrl,
    {
      config: it.config,
      schema: {
        operationId: `delete${it.singular}`,
        tags: it.tags,
        summary: `Delete a ${it.def.label}`,
        ...(it.def.descriptions?.delete ? { description: it.def.descriptions.delete } : {}),
        params: it.itemParams,
        headers: ifMatchHeaders,
        response: { 204: z.null().describe('Deleted'), ...problemResponses(400, 404, 409, 412) },
      },
    },
    async (request, reply) => {
      await it.resource.remove(request, it.councilId(request.params), it.id(request.params));
      return reply.status(204).send(null);
    },
  );
}

/** The five routes of a council-owned collection: create, list, read, merge-patch, delete. */
export function registerResource<Input extends Record<string, unknown>>(app: FastifyInstance, def: ResourceDefinition<Input>) {
  const routes = resourceRoutes(app, def);
  for (const register of [createRoute, listRoute, readRoute, updateRoute, deleteRoute]) register(withZod(app), routes);
}
