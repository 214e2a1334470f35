import cors from '@fastify/cors';
import helmet from 'helmet';
import underPressure from '@fastify/under-pressure';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifySerializerCompiler, type FastifyServerOptions } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject, validatorCompiler } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { type ServerTimeouts, serverTimeoutDefaults } from './config.js';
import type { Database, Db } from './db/client.js';
import { NetworkCache } from './db/network-cache.js';
import { EvaluationPool, type EvaluationPoolOptions, evaluationDefaults } from './evaluation-pool.js';
import { KeyResolver, readMethods, registerAuth } from './http/auth.js';
import { PageSessions } from './http/page-sessions.js';
import { documentRateLimitHeaders, registerRateLimit } from './http/rate-limit.js';
import { completeContract, shareProblemResponses } from './openapi-contract.js';
import { ProblemError } from './http/problem.js';
import { answerUnreadableRequest, loggableError, registerErrorHandling, sendProblem, toProblem } from './http/errors.js';
import { registerIdempotency } from './http/idempotency.js';
import { registerNegotiation } from './http/negotiation.js';
import { serializerCompiler } from './http/serializer.js';
import { registerApiKeys } from './routes/api-keys.js';
import { registerAreas } from './routes/areas.js';
import { registerAuditEvents } from './routes/audit-events.js';
import { registerComparisons } from './routes/comparisons.js';
import { registerCouncils } from './routes/councils.js';
import { registerHealth } from './routes/health.js';
import { bundledOnsDataDir } from './imports/ons-areas.js';
import { registerImports } from './routes/imports.js';
import { registerCentralCosts } from './routes/central-costs.js';
import { registerIncomeStreams } from './routes/income-streams.js';
import { registerNetwork } from './routes/network.js';
import { registerOpenReferral } from './routes/open-referral.js';
import { registerOutcomes } from './routes/outcomes.js';
import { registerPages } from './routes/pages.js';
import { registerPosts } from './routes/posts.js';
import { maxAnswerMiB, registerScenarios } from './routes/scenarios.js';
import { registerSites } from './routes/sites.js';

declare module 'fastify' {
  interface FastifyInstance {
    database: Database;
    db: Db;
    networkCache: NetworkCache;
    evaluations: EvaluationPool;
  }
  interface FastifyContextConfig {
    /** A write that leaves the council's network as it is: its kept network stays (see the onSend hook in buildApp). */
    keepsNetwork?: boolean;
  }
}

/**
 * The security headers helmet sets for a configuration. They depend on nothing in the request, so they
 * are worked out once: @fastify/helmet rebuilds helmet's middleware on every request, which cost a
 * route served from memory about 13% of its time (measured in-process, through inject).
 */
function helmetHeaders(options: Parameters<typeof helmet>[0]): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: string) => {
      headers[name.toLowerCase()] = value;
    },
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
  };
  helmet(options)({} as never, response as never, () => {});
  return headers;
}

const upperCaseUuid = /^(?=.*[A-F])[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$/;

/**
 * UUIDs in the path, in lower case as the database writes them: the same id in upper case names the same
 * council, whose kept network and change notices are filed under the lower-case id.
 */
function lowerCaseIds(params: unknown) {
  if (!params || typeof params !== 'object') return;
  const record = params as Record<string, unknown>;
  for (const [name, value] of Object.entries(record)) {
    if (typeof value === 'string' && upperCaseUuid.test(value)) record[name] = value.toLowerCase();
  }
}

export const bodyLimitBytes = 1_048_576;

export interface AppOptions {
  database: Database;
  logger?: FastifyServerOptions['logger'];
  /** Accepted as an administrator key when set. */
  adminApiKey?: string | undefined;
  /** Origins allowed by CORS; none when empty. */
  corsOrigins?: string[];
  /** Requests a minute per key (or per address without one). */
  rateLimitPerMinute?: number;
  /**
   * Addresses or CIDR ranges of the load balancers in front: a request from one of them is taken to come
   * from the client its X-Forwarded-For names (the rate limit's buckets without a key are per client).
   */
  trustProxy?: string[];
  /** Folder of the ONS/MHCLG files behind POST …/imports/areas/ons; data/open/ons by default. */
  onsDataDir?: string;
  /** Event-loop delay past which requests are shed with 503; 0 (the default) never sheds. */
  maxEventLoopDelayMs?: number;
  /** The demo council: Swagger UI offers its id in every operation that names a council. */
  demoCouncilId?: string | undefined;
  /** Deadlines for slow clients (README "Limits"); serverTimeoutDefaults by default. */
  timeouts?: Partial<ServerTimeouts>;
  /** Evaluations, comparisons and imports' work: worker threads, time limits per request, imports waiting, bytes of answers kept. */
  evaluation?: Partial<Omit<EvaluationPoolOptions, 'maxAnswerBytes'>>;
  /**
   * Worker threads to share with other apps in this process (tests build many), instead of threads of
   * the app's own made from `evaluation`: the caller closes them. Each app names its networks apart.
   */
  evaluations?: EvaluationPool;
  /**
   * Makes the serialiser of every answer from its response schema, the routes' and those a write makes
   * before its commit: src/http/serializer.ts's by default. The fault test passes one that fails.
   */
  serializerCompiler?: FastifySerializerCompiler<z.ZodType>;
}

export const apiInfo = {
  title: 'Centre Network API',
  version: '0.1.0',
  description:
    "Plan a council's network of children's centres (family hubs): hubs, spokes and standalone centres, shared management, " +
    'staff, running costs, income from health partners and others, and the reach of the network among under-fives, above all ' +
    'in the most deprived areas. Money is in integer pence, distances in metres. Errors are RFC 9457 problem details. ' +
    "Every answer carries the rate limit's X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset headers (see any 429).\n\n" +
    "**Pages for people** (maps, charts, tables; printable): a council's options compared at `/councils/{councilId}/compare`, " +
    'its network at `/councils/{councilId}/view`, a scenario at `/councils/{councilId}/view/scenarios/{scenarioId}`. ' +
    '[Sign in](/login) once with a key (the browser keeps a session, never the key), or issue a one-time link with ' +
    '`POST /councils/{councilId}/page-links` for someone who should not handle keys.',
};

/**
 * The document as Swagger UI shows it with the demo loaded: every `councilId` parameter has the demo
 * council's id as its example, which Swagger UI puts in the field when "Try it out" is pressed. The
 * committed document (/openapi.json) names no council.
 */
function withDemoCouncil(document: Record<string, unknown>, councilId: string) {
  const paths = (document.paths ?? {}) as Record<string, Record<string, { parameters?: { in: string; name: string; example?: unknown }[] }>>;
  for (const operations of Object.values(paths)) {
    for (const operation of Object.values(operations)) {
      for (const parameter of operation.parameters ?? []) {
        if (parameter.in === 'path' && parameter.name === 'councilId') parameter.example = councilId;
      }
    }
  }
  return document;
}

/** Builds the service: plugins, then routes. Used by the server and by the tests. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const timeouts = { ...serverTimeoutDefaults, ...options.timeouts };
  const app = Fastify({
    // Past headersMs or requestMs, Node answers through clientErrorHandler (a 408 problem) and closes the
    // connection; it checks them every connectionsCheckingInterval.
    http: {
      headersTimeout: timeouts.headersMs,
      requestTimeout: timeouts.requestMs,
      connectionsCheckingInterval: Math.min(1_000, timeouts.headersMs / 2),
    },
    requestTimeout: timeouts.requestMs,
    connectionTimeout: timeouts.idleMs,
    keepAliveTimeout: timeouts.idleMs,
    // Errors are logged by class and code, never with their SQL or its parameters (loggableError).
    logger: options.logger ? { ...(options.logger === true ? {} : options.logger), serializers: { err: loggableError } } : false,
    bodyLimit: bodyLimitBytes,
    genReqId: () => `req-${crypto.randomUUID()}`,
    requestIdHeader: false,
    ...(options.trustProxy?.length ? { trustProxy: options.trustProxy } : {}),
    routerOptions: { ignoreTrailingSlash: true },
    // Errors met before routing (a bad URL encoding, an over-long parameter) are problems too.
    frameworkErrors: (error, request, reply) => sendProblem(reply, toProblem(error, request)),
    // So are requests that are not HTTP at all, which never become a request (Fastify's own answer to
    // them is plain JSON).
    clientErrorHandler: answerUnreadableRequest,
  });
  // JSON only (CSV imports add their own parser): anything else is a 415 problem.
  app.removeContentTypeParser('text/plain');
  // PATCH bodies may name their media type (RFC 7396); they are JSON all the same.
  app.addContentTypeParser('application/merge-patch+json', { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'));
  app.decorate('database', options.database);
  app.decorate('db', options.database.db);
  const networkCache = new NetworkCache(options.database);
  app.decorate('networkCache', networkCache);
  const evaluations = options.evaluations ?? ownEvaluations(options.evaluation);
  app.decorate('evaluations', evaluations);
  if (!options.evaluations) app.addHook('onClose', () => evaluations.close());
  const stopListening = await networkCache.start(options.database);
  app.addHook('onClose', async () => {
    await stopListening().catch(() => {});
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(options.serializerCompiler ?? serializerCompiler);
  registerErrorHandling(app);
  // Every answer, problems included, carries its request id and helmet's security headers.
  const securityHeaders = helmetHeaders({ contentSecurityPolicy: false });
  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(securityHeaders);
    reply.header('x-request-id', request.id);
    lowerCaseIds(request.params);
    done();
  });
  // A write's caller must read what it wrote: its council's kept network goes before the answer does,
  // not when the database's notice arrives. Writes that leave the network as it is (scenarios,
  // comparisons, keys) keep it, and with it the evaluations worked out on it.
  app.addHook('onSend', (request, _reply, payload, done) => {
    const councilId = (request.params as { councilId?: unknown } | undefined)?.councilId;
    const changes = !readMethods.has(request.method) && !request.routeOptions.config.keepsNetwork;
    if (changes && typeof councilId === 'string') networkCache.forget(councilId);
    done(null, payload);
  });

  // Browsers on other origins are refused by default; CORS runs only when origins are allowed (its hooks
  // cost every request, on a route that answers in a few dozen microseconds, a measurable share).
  if (options.corsOrigins?.length) await app.register(cors, { origin: options.corsOrigins });
  const resolver = new KeyResolver(options.database.db, options.adminApiKey);
  await registerRateLimit(app, resolver, options.rateLimitPerMinute ?? 600, options.database.db);
  // Shed load rather than queue it: past the configured event-loop delay, answer 503 problems at once.
  await app.register(underPressure, {
    maxEventLoopDelay: options.maxEventLoopDelayMs ?? 0,
    retryAfter: 5,
    pressureHandler: (_request, reply) => {
      reply.header('retry-after', '5');
      throw new ProblemError('service-unavailable', 'The service is overloaded; retry shortly');
    },
  });
  const stopKeyNotices = await resolver.start(options.database);
  app.addHook('onClose', async () => {
    await stopKeyNotices().catch(() => {});
  });
  const sessions = new PageSessions(options.database.db);
  registerAuth(app, resolver, sessions);
  await registerNegotiation(app);
  registerIdempotency(app);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: apiInfo,
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', description: "An API key: a council's own, or an administrator's" },
        },
      },
      security: [{ bearerAuth: [] }],
      tags: [
        { name: 'Councils', description: 'Councils, identified by their ONS local-authority code' },
        { name: 'Sites', description: "Hub, spoke and standalone children's centres" },
        { name: 'Posts', description: 'Staff posts with FTE and cost' },
        { name: 'Income streams', description: 'Income from partners, e.g. NHS health contracts' },
        { name: 'Areas', description: 'Demand: LSOAs with under-5 population and deprivation' },
        { name: 'Outcomes', description: 'Outcomes for children valued in the economic case (school readiness, admissions avoided …)' },
        { name: 'Network', description: "The council's whole network in one read" },
        { name: 'Scenarios', description: 'Restructuring options and their evaluation' },
        { name: 'Comparisons', description: 'Options side by side: closure against hub-and-spoke' },
        {
          name: 'Open Referral UK',
          description: "The council's open sites and their services as an Open Referral UK (HSDS 3.0) feed, for family-services directories",
        },
        { name: 'Imports', description: 'CSV imports, all or nothing, with a row-level report' },
        { name: 'API keys', description: "Keys to a council's data: shown once, stored hashed" },
        { name: 'Audit', description: 'Who changed what, and when' },
        { name: 'Pages', description: 'Maps, charts and tables for people, in a browser' },
        { name: 'Health', description: 'Liveness and readiness' },
      ],
    },
    transform: jsonSchemaTransform,
    transformObject: (document) => shareProblemResponses(documentRateLimitHeaders(completeContract(jsonSchemaTransformObject(document) as never))),
  });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    // The key entered under Authorize is kept across reloads; operations are listed by tag, filterable,
    // with the time each call took.
    uiConfig: { persistAuthorization: true, docExpansion: 'list', filter: true, displayRequestDuration: true },
    ...(options.demoCouncilId ? { transformSpecification: (document) => withDemoCouncil(document, options.demoCouncilId!) } : {}),
  });
  app.get('/openapi.json', { schema: { hide: true }, config: { access: 'public' } }, async () => app.swagger());

  registerHealth(app);
  registerCouncils(app);
  registerSites(app);
  registerPosts(app);
  registerIncomeStreams(app);
  registerCentralCosts(app);
  registerAreas(app);
  registerOutcomes(app);
  registerNetwork(app);
  registerScenarios(app);
  registerComparisons(app);
  registerOpenReferral(app);
  registerImports(app, { onsDataDir: options.onsDataDir ?? bundledOnsDataDir });
  registerApiKeys(app, resolver);
  registerAuditEvents(app);
  registerPages(app, resolver, sessions);
  return app;
}

/** An app's evaluation threads, with the limits of `options` over the defaults (README "Limits"). */
export function ownEvaluations(options: AppOptions['evaluation'] = {}): EvaluationPool {
  return new EvaluationPool({ ...evaluationDefaults, ...options, maxAnswerBytes: maxAnswerMiB * 1_048_576 });
}
