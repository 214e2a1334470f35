import { and, eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { DbOrTx } from '../db/client.js';
import { councils } from '../db/schema.js';
import { recordAudit } from '../db/audit.js';
import { checkIfMatch, ifMatchHeaders, setEtag } from '../http/etag.js';
import { toPage } from '../http/pagination.js';
import { notFound, problemResponses } from '../http/problem.js';
import { councilParamsSchema, listEnvelope, listQuerySchema } from '../schemas/common.js';
import { councilFields, councilSchema } from '../schemas/resources.js';
import { compileSerializer } from '../http/serializer.js';
import { afterCursor } from '../db/council-rows.js';
import { keepCreated, mergePatch, updatedAnswer, toApi } from '../db/council-resource.js';
import { patchSchemaOf, sendAnswer } from './resource.js';

const columns = {
  id: councils.id,
  code: councils.code,
  name: councils.name,
  createdAt: councils.createdAt,
  updatedAt: councils.updatedAt,
  version: councils.version,
};

async function loadCouncil(db: DbOrTx, councilId: string, forUpdate = false) {
  const query = db.select(columns).from(councils).where(eq(councils.id, councilId));
  const [row] = forUpdate ? await query.for('update') : await query;
  if (!row) throw notFound('The council');
  return row;
}

export function registerCouncils(app: FastifyInstance) {
  const serializeCouncil = compileSerializer(councilSchema, app.serializerCompiler);
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['Councils'];

  r.post(
    '/councils',
    {
      config: { access: 'admin' },
      schema: {
        operationId: 'createCouncil',
        tags,
        summary: 'Create a council',
        body: councilFields.meta({ examples: [{ code: 'E08000012', name: 'Liverpool' }] }),
        response: { 201: councilSchema, ...problemResponses(400, 403, 409, 415) },
      },
    },
    async (request, reply) => {
      const answer = await app.db.transaction(async (tx) => {
        const [row] = await tx.insert(councils).values(request.body).returning(columns);
        const created = toApi(row!);
        await recordAudit(tx, request, { councilId: row!.id, action: 'create', resource: 'councils', resourceId: row!.id, after: created });
        return keepCreated(tx, request, `/councils/${row!.id}`, row!.version, serializeCouncil(created));
      });
      return sendAnswer(reply, answer);
    },
  );

  r.get(
    '/councils',
    {
      schema: {
        operationId: 'listCouncils',
        tags,
        summary: 'List councils',
        description: "An administrator sees every council; a council's key sees its own.",
        querystring: listQuerySchema.extend({ code: councilFields.shape.code.optional() }),
        response: { 200: listEnvelope(councilSchema, 'CouncilList'), ...problemResponses(400) },
      },
    },
    async (request) => {
      const { limit, cursor, code } = request.query;
      const rows = await app.db
        .select(columns)
        .from(councils)
        .where(
          and(
            afterCursor(councils, cursor),
            code ? eq(councils.code, code) : undefined,
            request.principal.councilId ? eq(councils.id, request.principal.councilId) : undefined,
          ),
        )
        .orderBy(councils.createdAt, councils.id)
        .limit(limit + 1);
      return toPage(request, rows.map(toApi), limit);
    },
  );

  r.get(
    '/councils/:councilId',
    {
      schema: {
        operationId: 'getCouncil',
        tags,
        summary: 'Read a council',
        params: councilParamsSchema,
        response: { 200: councilSchema, ...problemResponses(400, 404) },
      },
    },
    async (request, reply) => {
      const council = await loadCouncil(app.db, request.params.councilId);
      setEtag(reply, council.version);
      return toApi(council);
    },
  );

  r.patch(
    '/councils/:councilId',
    {
      schema: {
        operationId: 'updateCouncil',
        tags,
        summary: 'Change a council (JSON merge patch)',
        params: councilParamsSchema,
        headers: ifMatchHeaders,
        body: patchSchemaOf(councilFields, { name: 'Liverpool City Council' }),
        response: { 200: councilSchema, ...problemResponses(400, 404, 409, 412, 415) },
      },
    },
    async (request, reply) => {
      const answer = await app.db.transaction(async (tx) => {
        const current = await loadCouncil(tx, request.params.councilId, true);
        checkIfMatch(request, current.version);
        const next = mergePatch({ code: current.code, name: current.name }, request.body);
        const [row] = await tx
          .update(councils)
          .set({ ...next, updatedAt: sql`now()`, version: sql`${councils.version} + 1` })
          .where(eq(councils.id, current.id))
          .returning(columns);
        await recordAudit(tx, request, {
          councilId: current.id,
          action: 'update',
          resource: 'councils',
          resourceId: current.id,
          before: toApi(current),
          after: toApi(row!),
        });
        return updatedAnswer(row!.version, serializeCouncil(toApi(row!)));
      });
      return sendAnswer(reply, answer);
    },
  );

  r.delete(
    '/councils/:councilId',
    {
      config: { access: 'admin' },
      schema: {
        operationId: 'deleteCouncil',
        tags,
        summary: 'Delete a council and everything it holds',
        description: 'Deletes the council with its sites, posts, income streams, areas and scenarios, in one transaction.',
        params: councilParamsSchema,
        headers: ifMatchHeaders,
        response: { 204: z.null().describe('Deleted'), ...problemResponses(400, 403, 404, 412) },
      },
    },
    async (request, reply) => {
      await app.db.transaction(async (tx) => {
        const current = await loadCouncil(tx, request.params.councilId, true);
        checkIfMatch(request, current.version);
        await tx.delete(councils).where(eq(councils.id, current.id));
        await recordAudit(tx, request, { councilId: current.id, action: 'delete', resource: 'councils', resourceId: current.id, before: toApi(current) });
      });
      return reply.status(204).send(null);
    },
  );
}
