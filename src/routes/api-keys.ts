import { and, eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { recordAudit } from '../db/audit.js';
import { apiKeys } from '../db/schema.js';
import { generateKey, type KeyResolver } from '../http/auth.js';
import { keepShownOnce } from '../http/idempotency.js';
import { toPage } from '../http/pagination.js';
import { compileSerializer } from '../http/serializer.js';
import { sendAnswer } from './resource.js';
import { notFound, problemResponses } from '../http/problem.js';
import { councilParamsSchema, listEnvelope, listQuerySchema, uuidSchema } from '../schemas/common.js';
import { afterCursor } from '../db/council-rows.js';
import { requireCouncil } from '../db/council-resource.js';

const apiKeySchema = z
  .object({
    id: uuidSchema,
    councilId: uuidSchema,
    name: z.string().max(200),
    prefix: z.string().max(20).describe('The first characters of the key, to tell keys apart'),
    readOnly: z.boolean(),
    createdAt: z.iso.datetime(),
    revokedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'ApiKey' });

const createdKeySchema = apiKeySchema
  .extend({ key: z.string().max(100).describe('The key itself: shown this once, never again') })
  .meta({ id: 'CreatedApiKey' });

const keyColumns = {
  id: apiKeys.id,
  councilId: apiKeys.councilId,
  name: apiKeys.name,
  prefix: apiKeys.prefix,
  readOnly: apiKeys.readOnly,
  createdAt: apiKeys.createdAt,
  revokedAt: apiKeys.revokedAt,
};

interface KeyRow {
  id: string;
  councilId: string | null;
  name: string;
  prefix: string;
  readOnly: boolean;
  createdAt: Date;
  revokedAt: Date | null;
}
// Keys reached through these routes always belong to the council in the path.
const keyToApi = (row: KeyRow, councilId: string) => ({
  ...row,
  councilId,
  createdAt: row.createdAt.toISOString(),
  revokedAt: row.revokedAt?.toISOString() ?? null,
});

const keyLocation = (councilId: string, keyId: string) => `/councils/${councilId}/api-keys/${keyId}`;

export function registerApiKeys(app: FastifyInstance, resolver: KeyResolver) {
  const serializeCreatedKey = compileSerializer(createdKeySchema, app.serializerCompiler);
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['API keys'];
  const url = '/councils/:councilId/api-keys';

  r.post(
    url,
    {
      config: { keepsNetwork: true },
      schema: {
        operationId: 'createApiKey',
        tags,
        summary: "Create a key for this council's data",
        description: 'The key is in the answer once; only its hash is kept. Read-only keys may only read.',
        params: councilParamsSchema,
        body: z
          .strictObject({ name: z.string().trim().min(1).max(100), readOnly: z.boolean().default(false) })
          .meta({ examples: [{ name: 'Finance dashboard', readOnly: true }] }),
        response: { 201: createdKeySchema, ...problemResponses(400, 401, 403, 404, 415) },
      },
    },
    async (request, reply) => {
      const { councilId } = request.params;
      const generated = generateKey();
      const answer = await app.db.transaction(async (tx) => {
        await requireCouncil(tx, councilId);
        const [row] = await tx
          .insert(apiKeys)
          .values({ councilId, name: request.body.name, readOnly: request.body.readOnly, hash: generated.hash, prefix: generated.prefix })
          .returning(keyColumns);
        await recordAudit(tx, request, { councilId, action: 'create', resource: 'api-keys', resourceId: row!.id, after: keyToApi(row!, councilId) });
        // Kept as the key commits; a replay names the key but never shows it again.
        await keepShownOnce(tx, request, keyLocation(councilId, row!.id));
        // Made before the commit: a key that commits is never answered 500 (and so never lost).
        return { id: row!.id, body: serializeCreatedKey({ ...keyToApi(row!, councilId), key: generated.key }) };
      });
      return sendAnswer(reply, {
        status: 201,
        // The one answer that shows the key: no cache on the way may keep it.
        headers: { 'content-type': 'application/json; charset=utf-8', location: keyLocation(councilId, answer.id), 'cache-control': 'no-store' },
        body: answer.body,
      });
    },
  );

  r.get(
    url,
    {
      schema: {
        operationId: 'listApiKeys',
        tags,
        summary: "List the council's keys (by prefix only)",
        params: councilParamsSchema,
        querystring: listQuerySchema,
        response: { 200: listEnvelope(apiKeySchema, 'ApiKeyList'), ...problemResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const { councilId } = request.params;
      await requireCouncil(app.db, councilId);
      const rows = await app.db
        .select(keyColumns)
        .from(apiKeys)
        .where(and(eq(apiKeys.councilId, councilId), afterCursor(apiKeys, request.query.cursor)))
        .orderBy(apiKeys.createdAt, apiKeys.id)
        .limit(request.query.limit + 1);
      return toPage(
        request,
        rows.map((row) => keyToApi(row, councilId)),
        request.query.limit,
      );
    },
  );

  r.delete(
    `${url}/:keyId`,
    {
      config: { keepsNetwork: true },
      schema: {
        operationId: 'revokeApiKey',
        tags,
        summary: 'Revoke a key',
        description: 'The key stops working at once on this instance, and within 30 seconds on others.',
        params: councilParamsSchema.extend({ keyId: uuidSchema }),
        response: { 204: z.null().describe('Revoked'), ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { councilId, keyId } = request.params;
      await app.db.transaction(async (tx) => {
        const [row] = await tx
          .update(apiKeys)
          .set({ revokedAt: sql`coalesce(${apiKeys.revokedAt}, now())` })
          .where(and(eq(apiKeys.id, keyId), eq(apiKeys.councilId, councilId)))
          .returning(keyColumns);
        if (!row) throw notFound('The key');
        await recordAudit(tx, request, { councilId, action: 'update', resource: 'api-keys', resourceId: keyId, after: keyToApi(row, councilId) });
      });
      resolver.forget();
      return reply.status(204).send(null);
    },
  );
}
