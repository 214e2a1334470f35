import { createHash, type Hash } from 'node:crypto';
import { type Readable, Transform } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest, onSendAsyncHookHandler, preHandlerAsyncHookHandler } from 'fastify';
import type { DbOrTx } from '../db/client.js';
import { idempotencyRecords } from '../db/schema.js';
import { z } from 'zod';
import { toProblem } from './errors.js';
import { ProblemError, problemResponses } from './problem.js';
import { alreadySerialized } from './serializer.js';

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * Set when this request claimed its Idempotency-Key; `stored` once its answer is kept. A streamed
     * body (a CSV import) is hashed as the handler reads it: `bodyHash` until then.
     */
    idempotency?: { key: string; requestHash: string; stored?: boolean; bodyHash?: StreamedBodyHash };
  }
}

/** The hash of a streamed body, worked out as the body passes through on its way to the handler. */
interface StreamedBodyHash {
  hash: Hash;
  complete: boolean;
  hex?: string;
}

/** The request's hash to keep with its answer; undefined while a streamed body is not read to its end. */
function finalHash(request: FastifyRequest): string | undefined {
  const { requestHash, bodyHash } = request.idempotency!;
  if (!bodyHash) return requestHash;
  if (!bodyHash.complete) return undefined;
  bodyHash.hex ??= bodyHash.hash.digest('hex');
  return bodyHash.hex;
}

const isStream = (body: unknown): body is Readable => typeof (body as Readable | null | undefined)?.pipe === 'function';

/** What a request is compared by: its method, path and query, and body. */
const requestHasher = (request: FastifyRequest) => createHash('sha256').update(`${request.method} ${request.url}\n`);

/**
 * Hands the handler the body through a pass-through that hashes it: a streamed body (up to 64 MB of CSV)
 * is never held in memory whole, so its hash is known only once the handler has read it all.
 */
function hashAsRead(request: FastifyRequest & { body: Readable }): StreamedBodyHash {
  const streamed: StreamedBodyHash = { hash: requestHasher(request), complete: false };
  const body = request.body;
  request.body = body.pipe(
    new Transform({
      transform(chunk: Buffer, _encoding, done) {
        streamed.hash.update(chunk);
        done(null, chunk);
      },
      flush(done) {
        streamed.complete = true;
        done();
      },
    }),
  );
  body.once('error', (error) => (request.body as Readable).destroy(error));
  return streamed;
}

/** The hash of a whole streamed body, read to its end (a replay does not run the handler). */
async function hashOfStream(request: FastifyRequest & { body: Readable }): Promise<string> {
  const hash = requestHasher(request);
  for await (const chunk of request.body) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** An answer as kept for replays. */
export interface KeptAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
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

const record = (principal: string, key: string) => and(eq(idempotencyRecords.principal, principal), eq(idempotencyRecords.key, key));
const claimOf = (request: FastifyRequest) => and(record(request.principal!.actor, request.idempotency!.key), isNull(idempotencyRecords.responseStatus));

/**
 * Keeps the answer of a request that claimed its Idempotency-Key. A write calls it in its own
 * transaction, so that a write that commits always leaves its answer for a retry, even if the process
 * stops before answering; other requests keep theirs as they answer. Does nothing for a request without
 * a key.
 */
export async function keepAnswer(db: DbOrTx, request: FastifyRequest, answer: KeptAnswer) {
  const requestHash = request.idempotency && finalHash(request);
  if (!requestHash) return;
  await db
    .update(idempotencyRecords)
    .set({ requestHash, responseStatus: answer.status, responseHeaders: answer.headers, responseBody: answer.body })
    .where(claimOf(request));
  request.idempotency!.stored = true;
}

/**
 * keepAnswer for a create whose answer holds a secret (a new API key), shown once: a replay answers 409
 * naming what was created (`location`) instead, and the secret itself is never kept.
 */
export function keepShownOnce(db: DbOrTx, request: FastifyRequest, location: string) {
  const detail =
    'This Idempotency-Key has already created this resource (see Location), and its secret was shown once and is not kept: ' +
    'if it was lost, revoke it and create another';
  return keepAnswer(db, request, {
    status: 409,
    headers: { 'content-type': 'application/problem+json; charset=utf-8', location },
    body: JSON.stringify(toProblem(new ProblemError('conflict', detail), request)),
  });
}

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

  const replayOrClaim: preHandlerAsyncHookHandler = async (request, reply) => {
    const key = request.headers['idempotency-key'];
    if (typeof key !== 'string' || !request.principal) return;
    const principal = request.principal.actor;
    const streamed = isStream(request.body);
    // A streamed body's hash is stored with its answer; until then the claim holds a placeholder.
    const requestHash = streamed
      ? 'streamed body: hashed as it is read'
      : requestHasher(request)
          .update(JSON.stringify(request.body ?? null))
          .digest('hex');
    await releaseUnreleased(request, key);
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
      request.idempotency = { key, requestHash, ...(streamed ? { bodyHash: hashAsRead(request as FastifyRequest & { body: Readable }) } : {}) };
      return;
    }
    const [first] = await app.db.select().from(idempotencyRecords).where(record(principal, key));
    if (!first || first.responseStatus === null) {
      reply.header('retry-after', '1');
      throw new ProblemError('conflict', 'A request with this Idempotency-Key is still in progress: retry shortly');
    }
    const sentHash = streamed ? await hashOfStream(request as FastifyRequest & { body: Readable }) : requestHash;
    if (first.requestHash !== sentHash) {
      throw new ProblemError('rule-violation', 'This Idempotency-Key was used with a different request', [
        { path: 'headers.idempotency-key', message: 'was already used with another request' },
      ]);
    }
    for (const [name, value] of Object.entries(first.responseHeaders as Record<string, string>)) reply.header(name, value);
    reply.header('idempotent-replayed', 'true');
    reply.status(first.responseStatus);
    // A create made in one statement kept its row, not its body: serialised again as the route does.
    if (first.responseRow !== null) return reply.send(first.responseRow);
    return reply.serializer(alreadySerialized).send(first.responseBody);
  };

  /**
   * Claims that a 5xx or an unkept answer could not free because the database was away, by principal and
   * key: freed as soon as it is back (retried every second, and before any new claim of the same key), so
   * that a retry is not kept waiting for the claim to be taken as abandoned.
   */
  const unreleased = new Map<string, { principal: string; key: string }>();
  const claimId = (principal: string, key: string) => `${principal}\u0000${key}`;
  const release = async (principal: string, key: string) => {
    await app.db.delete(idempotencyRecords).where(and(record(principal, key), isNull(idempotencyRecords.responseStatus)));
    unreleased.delete(claimId(principal, key));
  };
  const retryReleases = setInterval(() => {
    for (const { principal, key } of unreleased.values()) release(principal, key).catch(() => {});
  }, 1_000).unref();
  app.addHook('onClose', async () => clearInterval(retryReleases));

  async function releaseUnreleased(request: FastifyRequest, key: string) {
    const principal = request.principal!.actor;
    if (unreleased.has(claimId(principal, key))) await release(principal, key);
  }

  /** How long an answer waits for its claim to be freed before leaving that to the retries. */
  const releaseWaitMs = 2_000;

  /** Frees this request's claim; when the database is away, as soon as it is back. Never throws. */
  async function releaseClaim(request: FastifyRequest) {
    const { actor } = request.principal!;
    const { key } = request.idempotency!;
    try {
      // A database that went away mid-request can leave the delete waiting on the driver without end: the
      // answer (a 503, mostly) goes out after a bounded wait, and the retries free the claim later.
      await Promise.race([
        release(actor, key),
        sleep(releaseWaitMs, undefined, { ref: false }).then(() => {
          throw new Error(`freeing the claim took longer than ${releaseWaitMs} ms`);
        }),
      ]);
    } catch (error) {
      unreleased.set(claimId(actor, key), { principal: actor, key });
      request.log.warn({ err: error }, 'Idempotency-Key claim not freed yet: the database is unavailable; retrying');
    }
  }

  // Never throws: an error here would reach Fastify's fallback handler, whose plain JSON shows its message.
  const remember: onSendAsyncHookHandler = async (request, reply, payload) => {
    if (!request.idempotency) return payload;
    // Nothing to replay (or, for a body not read to its end, nothing to compare a retry with): the key is
    // free for a retry, unless the write kept its answer as it committed.
    if (reply.statusCode >= 500 || typeof payload !== 'string' || !finalHash(request)) {
      await releaseClaim(request);
      return payload;
    }
    // Kept by the write itself, which answers with success only once it has committed.
    if (request.idempotency.stored && reply.statusCode < 300) return payload;
    const headers = Object.fromEntries(
      replayedHeaders.flatMap((name) => {
        const value = reply.getHeader(name);
        return value === undefined ? [] : [[name, String(value)]];
      }),
    );
    try {
      await keepAnswer(app.db, request, { status: reply.statusCode, headers, body: payload });
    } catch {
      // Only answers that wrote nothing are kept here (a write keeps its own as it commits): a retry
      // may do the same again.
      await releaseClaim(request);
    }
    return payload;
  };
}
