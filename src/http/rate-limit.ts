import type { FastifyInstance, FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
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
 * each route, run after it). Every operation documents its 429 with the headers.
 */
export async function registerRateLimit(app: FastifyInstance, resolver: KeyResolver, max: number) {
  await app.register(rateLimit, {
    max,
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
