import { sql } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import type { Db } from '../db/client.js';
import { rateLimitWindows } from '../db/schema.js';
import { bearerKey, type KeyResolver } from './auth.js';
import { problemResponses } from './problem.js';

/**
 * The rate limit's bucket for a request: its key's, however the header spells it, when the key is valid;
 * its client address's for requests with no key or a bad one. A key not seen before is looked up here,
 * at most `max` a minute per address (the budget of the address's own bucket): past that, and for keys
 * already found bad, nothing is looked up and the request counts for its address.
 */
export function rateLimitBucket(resolver: KeyResolver, max: number) {
  let minute = 0;
  const lookUps = new Map<string, number>();
  const mayLookUp = (address: string) => {
    const now = Math.floor(Date.now() / 60_000);
    if (now !== minute) {
      minute = now;
      lookUps.clear();
    }
    const used = (lookUps.get(address) ?? 0) + 1;
    lookUps.set(address, used);
    return used <= max;
  };
  return async (request: FastifyRequest) => {
    const address = `address ${request.ip}`;
    const key = bearerKey(request);
    if (key === undefined) return address;
    let principal = resolver.known(key);
    if (!principal && !resolver.refused(key) && mayLookUp(request.ip)) {
      // Unreachable database: the request counts for its address, and authentication answers it.
      principal = (await resolver.resolve(key).catch(() => null)) ?? undefined;
    }
    return principal ? `key ${principal.actor}` : address;
  };
}

type Counted = (error: Error | null, result: { current: number; ttl: number }) => void;

/**
 * Counts each bucket's requests in fixed windows (of the clock, so every instance has the same ones) in
 * the database, so that all the instances on it share one limit. An instance claims a run of places
 * in the window's count at a time (one atomic upsert) and hands them to its requests without a query:
 * a run is a sixteenth of what was left of the limit when claimed, or the requests waiting for it,
 * whichever is more; near the limit, one place. Requests that arrive while a claim is on its way wait
 * for it. Places are never handed out twice, so the instances together never let more than the limit
 * through; they may refuse a little early, by the places other instances claimed and have not used
 * yet. Once a window's count is past the limit, the rest of the window is refused without a query.
 * When the database does not answer within 1.5 s, an instance counts by itself from the last
 * count it knew, and asks the database again a few seconds later: the limit never holds up a request.
 */
export class SharedRateLimitStore {
  /** Per bucket, in the current window: the next place to hand out, the last claimed, the requests waiting. */
  private readonly claims = new Map<string, { next: number; last: number; waiting: ((place: number) => void)[] }>();
  private currentWindow = 0;
  /** Until then, after a claim failed, count without asking the database. */
  private aloneUntil = 0;

  constructor(private readonly db: Db) {}

  incr(bucket: string, counted: Counted, windowMs: number, max: number) {
    const now = Date.now();
    const window = Math.floor(now / windowMs);
    const ttl = (window + 1) * windowMs - now;
    if (window !== this.currentWindow) this.startWindow(window);
    const claim = this.claims.get(bucket) ?? { next: 1, last: 0, waiting: [] };
    this.claims.set(bucket, claim);
    const give = (place: number) => counted(null, { current: place, ttl });
    if (claim.next <= claim.last || (claim.last >= max && claim.waiting.length === 0) || now < this.aloneUntil) {
      claim.last = Math.max(claim.last, claim.next);
      return give(claim.next++);
    }
    claim.waiting.push(give);
    if (claim.waiting.length === 1) this.refill(bucket, window, claim, max);
  }

  /** Claims places for the requests waiting on a bucket, and hands them out. */
  private refill(bucket: string, window: number, claim: { next: number; last: number; waiting: ((place: number) => void)[] }, max: number) {
    const left = Math.max(0, max - claim.last);
    const run = Math.max(1, Math.floor(left / 16), Math.min(claim.waiting.length, left));
    const handOut = () => {
      while (claim.waiting.length && (claim.next <= claim.last || claim.last >= max)) {
        claim.last = Math.max(claim.last, claim.next);
        claim.waiting.shift()!(claim.next++);
      }
      if (claim.waiting.length) this.refill(bucket, window, claim, max);
    };
    this.claim(bucket, window, run).then(
      (last) => {
        Object.assign(claim, { next: last - run + 1, last });
        handOut();
      },
      () => {
        this.aloneUntil = Date.now() + 3_000;
        claim.last = claim.next + claim.waiting.length - 1;
        handOut();
      },
    );
  }

  /** The window's count after adding `run` places: the last of them. */
  private async claim(bucket: string, window: number, run: number): Promise<number> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('the database did not answer')), 1_500);
    });
    return Promise.race([this.upsert(bucket, window, run), late]).finally(() => clearTimeout(timer));
  }

  private async upsert(bucket: string, window: number, run: number): Promise<number> {
    const [row] = await this.db
      .insert(rateLimitWindows)
      .values({ bucket, window, hits: run })
      .onConflictDoUpdate({ target: [rateLimitWindows.bucket, rateLimitWindows.window], set: { hits: sql`${rateLimitWindows.hits} + ${run}` } })
      .returning({ hits: rateLimitWindows.hits });
    return row!.hits;
  }

  /** A new window: the claims of the last are forgotten, and the database's older windows removed. */
  private startWindow(window: number) {
    this.currentWindow = window;
    this.claims.clear();
    this.db
      .delete(rateLimitWindows)
      .where(sql`${rateLimitWindows.window} < ${window - 1}`)
      .catch(() => {});
  }

  /** The same counts for every route. */
  child() {
    return this;
  }
}

const count = { type: 'integer', format: 'int32', minimum: 0, maximum: 1_000_000 };
const rateLimitHeaders = {
  'X-RateLimit-Limit': { description: 'Requests allowed a minute in this bucket (the key, or the client address without a valid key)', schema: count },
  'X-RateLimit-Remaining': { description: 'Requests left in the current minute', schema: count },
  'X-RateLimit-Reset': { description: 'Seconds until the window resets', schema: { ...count, maximum: 60 } },
};
const retryAfter = { 'Retry-After': { description: 'Seconds to wait before sending again', schema: { ...count, maximum: 3600 } } };

/**
 * Limits every request to `max` a minute per bucket (rateLimitBucket), in a hook that runs before
 * authentication's, so that requests refused for their key count too (the plugin's own hooks, added to
 * each route, run after it). Every operation documents its 429 with the headers. The counts are kept
 * in the database, shared by all the instances on it (SharedRateLimitStore).
 */
export async function registerRateLimit(app: FastifyInstance, resolver: KeyResolver, max: number, db: Db) {
  await app.register(rateLimit, {
    max,
    store: class extends SharedRateLimitStore {
      constructor() {
        super(db);
      }
    },
    timeWindow: 60_000,
    keyGenerator: rateLimitBucket(resolver, max),
    global: false,
    errorResponseBuilder: (_request, context) => ({
      statusCode: 429,
      message: `Rate limit of ${context.max} requests a minute exceeded; retry in ${Math.ceil(context.ttl / 1000)} s`,
    }),
  });
  app.addHook('onRequest', app.rateLimit());
  app.addHook('onRoute', (route) => {
    if (route.schema) route.schema.response = { ...problemResponses(429), ...(route.schema.response as object | undefined) };
  });
}

type OpenApiDocument = {
  components?: { headers?: Record<string, object> };
  paths?: Record<string, Record<string, { responses?: Record<string, { headers?: Record<string, object> }> }>>;
};

/**
 * Documents the rate limit's headers (components.headers) on every operation's 2xx and 4xx answers,
 * which all carry them (the limit's hook runs first), and Retry-After on its 429s.
 */
export function documentRateLimitHeaders<T extends OpenApiDocument>(document: T): T {
  document.components = { ...document.components, headers: { ...document.components?.headers, ...rateLimitHeaders, ...retryAfter } };
  const refs = (names: string[]) => Object.fromEntries(names.map((name) => [name, { $ref: `#/components/headers/${name}` }]));
  for (const operations of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(operations)) {
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        if (!/^[24]/.test(status)) continue;
        const names = Object.keys(status === '429' ? { ...rateLimitHeaders, ...retryAfter } : rateLimitHeaders);
        response.headers = { ...response.headers, ...refs(names) };
      }
    }
  }
  return document;
}
