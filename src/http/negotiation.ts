// Content negotiation (RFC 9110 §12): each operation answers one media type, named in its OpenAPI
// responses; CSV and GeoJSON have paths of their own (….csv, ….geojson), so generated clients get
// exact types. A request whose Accept header (q-values honoured, by @fastify/accepts) takes none of
// an operation's types is answered 406; the answer varies with Accept, and says so.
import accepts from '@fastify/accepts';
import type { FastifyInstance } from 'fastify';
import { ProblemError } from './problem.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The media types of the operation's successful answers, from its response schemas. */
    produces?: string[];
  }
}

type ResponseSchemas = Record<string, { content?: Record<string, unknown> } | undefined>;

/** The media types of an operation's 2xx answers: those its responses name, JSON where they name none. */
export function successMediaTypes(responses: ResponseSchemas | undefined): string[] {
  const types = new Set<string>();
  for (const [status, response] of Object.entries(responses ?? {})) {
    if (!status.startsWith('2') || status === '204') continue;
    for (const type of response?.content ? Object.keys(response.content) : ['application/json']) types.add(type);
  }
  return [...types];
}

export async function registerNegotiation(app: FastifyInstance) {
  await app.register(accepts);
  app.addHook('onRoute', (route) => {
    const produces = successMediaTypes(route.schema?.response as ResponseSchemas | undefined);
    if (produces.length) route.config = { ...route.config, produces };
  });
  app.addHook('onRequest', (request, reply, done) => {
    const produces = request.routeOptions.config.produces;
    if (!produces) return done();
    const vary = reply.getHeader('vary');
    reply.header('vary', vary ? `${String(vary)}, Accept` : 'Accept');
    if (request.headers.accept === undefined || request.accepts().type(produces)) return done();
    done(
      new ProblemError(
        'not-acceptable',
        `This operation answers ${produces.join(' or ')}, which the Accept header refuses. CSV and GeoJSON have paths of their own (….csv, ….geojson).`,
      ),
    );
  });
}
