import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ProblemError, problemResponses } from '../http/problem.js';

const healthSchema = z.object({ status: z.enum(['ok']) }).meta({ id: 'Health' });

export function registerHealth(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/health/live',
    {
      config: { access: 'public' },
      schema: {
        operationId: 'getLiveness',
        tags: ['Health'],
        summary: 'The process is up',
        security: [],
        response: { 200: healthSchema },
      },
    },
    async () => ({ status: 'ok' as const }),
  );
  r.get(
    '/health/ready',
    {
      config: { access: 'public' },
      schema: {
        operationId: 'getReadiness',
        tags: ['Health'],
        summary: 'The service can reach its database',
        security: [],
        response: { 200: healthSchema, ...problemResponses(503) },
      },
    },
    async () => {
      await app.database.ping().catch(() => {
        throw new ProblemError('service-unavailable', 'The database is unreachable');
      });
      return { status: 'ok' as const };
    },
  );
}
