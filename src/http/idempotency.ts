import { createHash } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { FastifyInstance, onSendAsyncHookHandler, preHandlerAsyncHookHandler } from 'fastify';
import { idempotencyRecords } from '../db/schema.js';
import { z } from 'zod';
import { ProblemError, problemResponses } from './problem.js';

declare module 'fastify' {
  interface FastifyRequest {
    idempotency?: { key: string; requestHash: string };
  }
}

const replayedHeaders = ['content-type', 'location', 'etag'];

const idempotencyHeaders = z.looseObject({
  'idempotency-key': z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe('Any unique text, e.g. a UUID: a retry with the same key and body replays the first answer instead of writing again.'),
});

// A claim with no answer after this long belongs to a request that never finished (the process
// stopped): the key may be used again. Far longer than any request here takes.
const abandonedAfter = sql`interval '60 seconds'`;

/**
 * Idempotency-Key on POST (as Stripe): the same key and body replays the first answer, the same key with
 * another body is a 422. Records live in the database, so replays survive a restart. A request first
 * claims its key (one row, inserted or not in one statement), so that requests sent at once with one key
 * create once: the others answer 409 until the first has answered. Answers of 5xx are not kept.
 */
export function registerIdempotency(app: FastifyInstance) {
  // Only POST routes carry the hooks: reads pay nothing for them.
  app.addHook('onRoute', (route) => {
    if (route.method !== 'POST') return;
    if (route.schema) {
      route.schema.headers ??= idempotencyHeaders;
      route.schema.response = { ...problemResponses(409), ...(route.schema.response as object | undefined) };
    }
    route.preHandler = [...[route.preHandler ?? []].flat(), replayOrClaim];
    route.onSend = [...[route.onSend ?? []].flat(), remember];
  });

  const record = (principal: string, key: string) =>
    and(eq(idempotencyRecords.principal, principal), eq(idempotencyRecords.key, key));

  const replayOrClaim: preHandlerAsyncHookHandler = async function (request, reply) {
    const key = request.headers['idempotency-key'];
    if (typeof key !== 'string' || !request.principal) return;
    const principal = request.principal.actor;
    const requestHash = createHash('sha256')
      .update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`)
      .digest('hex');
    const claimed = await app.db
      .insert(idempotencyRecords)
      .values({ principal, key, requestHash })
      .onConflictDoUpdate({
        target: [idempotencyRecords.principal, idempotencyRecords.key],
        set: { requestHash, createdAt: sql`now()` },
        where: sql`${idempotencyRecords.responseStatus} is null and ${idempotencyRecords.createdAt} < now() - ${abandonedAfter}`,
      })
      .returning({ key: idempotencyRecords.key });
    if (claimed.length > 0) {
      request.idempotency = { key, requestHash };
      return;
    }
    const [first] = await app.db.select().from(idempotencyRecords).where(record(principal, key));
    if (!first || first.responseStatus === null) {
      reply.header('retry-after', '1');
      throw new ProblemError('conflict', 'A request with this Idempotency-Key is still in progress: retry shortly');
    }
    if (first.requestHash !== requestHash) {
      throw new ProblemError('rule-violation', 'This Idempotency-Key was used with a different request', [
        { path: 'headers.idempotency-key', message: 'was already used with another request' },
      ]);
    }
    for (const [name, value] of Object.entries(first.responseHeaders as Record<string, string>)) reply.header(name, value);
    reply.header('idempotent-replayed', 'true');
    reply.status(first.responseStatus);
    return reply.serializer((payload: unknown) => payload as string).send(first.responseBody);
  };

  const remember: onSendAsyncHookHandler = async function (request, reply, payload) {
    if (!request.idempotency) return payload;
    const claim = and(record(request.principal.actor, request.idempotency.key), isNull(idempotencyRecords.responseStatus));
    if (reply.statusCode >= 500 || typeof payload !== 'string') {
      // Nothing to replay: the key is free for a retry.
      await app.db.delete(idempotencyRecords).where(claim);
      return payload;
    }
    const headers = Object.fromEntries(
      replayedHeaders.flatMap((name) => {
        const value = reply.getHeader(name);
        return value === undefined ? [] : [[name, String(value)]];
      }),
    );
    await app.db
      .update(idempotencyRecords)
      .set({ responseStatus: reply.statusCode, responseHeaders: headers, responseBody: payload })
      .where(claim);
    return payload;
  };
}
