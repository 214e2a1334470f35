import { and, eq, gte, lt } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditEvents } from '../db/schema.js';
import { toPage } from '../http/pagination.js';
import { problemResponses } from '../http/problem.js';
import { councilParamsSchema, listEnvelope, listQuerySchema, uuidSchema } from '../schemas/common.js';
import { afterCursor } from '../db/council-rows.js';
import { requireCouncil } from '../db/council-resource.js';

const auditEventSchema = z
  .object({
    id: uuidSchema,
    councilId: uuidSchema.nullable(),
    actor: z.string().max(100).describe('The id of the API key, or config-admin'),
    action: z.enum(['create', 'update', 'delete']),
    resource: z.string().max(50).describe('The collection, e.g. sites'),
    resourceId: uuidSchema,
    before: z.unknown().describe('The resource before the write (null on create)'),
    after: z.unknown().describe('The resource after the write (null on delete)'),
    requestId: z.string().max(60).nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'AuditEvent' });

export function registerAuditEvents(app: FastifyInstance) {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/councils/:councilId/audit-events',
    {
      schema: {
        operationId: 'listAuditEvents',
        tags: ['Audit'],
        summary: 'Who changed what, and when',
        description: 'Every write, recorded in the same transaction as the write. Oldest first.',
        params: councilParamsSchema,
        querystring: listQuerySchema.extend({
          resource: z.string().max(50).optional().describe('e.g. sites, posts, scenarios'),
          since: z.iso.datetime({ offset: true }).optional().describe('From this time, inclusive'),
          until: z.iso.datetime({ offset: true }).optional().describe('Before this time'),
        }),
        response: { 200: listEnvelope(auditEventSchema, 'AuditEventList'), ...problemResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const { councilId } = request.params;
      const { limit, cursor, resource, since, until } = request.query;
      await requireCouncil(app.db, councilId);
      const rows = await app.db
        .select()
        .from(auditEvents)
        .where(
          and(
            eq(auditEvents.councilId, councilId),
            afterCursor(auditEvents, cursor),
            resource ? eq(auditEvents.resource, resource) : undefined,
            since ? gte(auditEvents.createdAt, new Date(since)) : undefined,
            until ? lt(auditEvents.createdAt, new Date(until)) : undefined,
          ),
        )
        .orderBy(auditEvents.createdAt, auditEvents.id)
        .limit(limit + 1);
      return toPage(
        request,
        rows.map((row) => ({ ...row, createdAt: row.createdAt.toISOString() })),
        limit,
      );
    },
  );
}
