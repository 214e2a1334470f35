import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { FastifyInstance, onSendAsyncHookHandler, preHandlerAsyncHookHandler } from 'fastify';
import { idempotencyRecords } from '../db/schema.js';
import { ProblemError } from './problem.js';

declare module 'fastify' {
  interface FastifyRequest {
    idempotency?: { key: string; requestHash: string };
  }
}

const replayedHeaders = ['content-type', 'location', 'etag'];

/**
 * Idempotency-Key on POST (as Stripe): the same key and body replays the first answer, the same key with
 * another body is a 422. Records live in the database, so replays survive a restart.
 */
export function registerIdempotency(app: FastifyInstance) {
  // Only POST routes carry the hooks: reads pay nothing for them.
  app.addHook('onRoute', (route) => {
    if (route.method !== 'POST') return;
    route.preHandler = [...[route.preHandler ?? []].flat(), replayOrRemember];
    route.onSend = [...[route.onSend ?? []].flat(), remember];
  });

  const replayOrRemember: preHandlerAsyncHookHandler = async function (request, reply) {
    const key = request.headers['idempotency-key'];
    if (typeof key !== 'string' || !request.principal) return;
    if (key.length < 1 || key.length > 200) {
      throw new ProblemError('validation', 'Idempotency-Key must be 1 to 200 characters', [
        { path: 'headers.idempotency-key', message: 'must be 1 to 200 characters' },
      ]);
    }
    const requestHash = createHash('sha256')
      .update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`)
      .digest('hex');
    const [record] = await app.db
      .select()
      .from(idempotencyRecords)
      .where(and(eq(idempotencyRecords.principal, request.principal.actor), eq(idempotencyRecords.key, key)));
    if (!record) {
      request.idempotency = { key, requestHash };
      return;
    }
    if (record.requestHash !== requestHash) {
      throw new ProblemError('rule-violation', 'This Idempotency-Key was used with a different request', [
        { path: 'headers.idempotency-key', message: 'was already used with another request' },
      ]);
    }
    for (const [name, value] of Object.entries(record.responseHeaders as Record<string, string>)) reply.header(name, value);
    reply.header('idempotent-replayed', 'true');
    reply.status(record.responseStatus);
    return reply.serializer((payload: unknown) => payload as string).send(record.responseBody);
  };

  const remember: onSendAsyncHookHandler = async function (request, reply, payload) {
    if (!request.idempotency || reply.statusCode >= 500 || typeof payload !== 'string') return payload;
    const headers = Object.fromEntries(
      replayedHeaders.flatMap((name) => {
        const value = reply.getHeader(name);
        return value === undefined ? [] : [[name, String(value)]];
      }),
    );
    await app.db
      .insert(idempotencyRecords)
      .values({
        principal: request.principal.actor,
        key: request.idempotency.key,
        requestHash: request.idempotency.requestHash,
        responseStatus: reply.statusCode,
        responseHeaders: headers,
        responseBody: payload,
      })
      .onConflictDoNothing();
    return payload;
  };
}
