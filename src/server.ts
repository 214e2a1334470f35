import { join } from 'node:path';
import { buildApp } from './app.js';
import { loadConfig, type Config } from './config.js';
import { openDatabase, type Database } from './db/client.js';
import { liverpoolCouncil, loadLiverpoolDemo } from './demo/liverpool.js';
import { keptDemoKey, seedDemoIfEmpty } from './demo/seed.js';

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}

const logger = {
  level: config.LOG_LEVEL,
  ...(process.stdout.isTTY ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss' } } } : {}),
};

/** Where the database is, for messages: the URL's host and database, never its password. */
function describeDatabase(databaseUrl: string | undefined, dataDir: string): string {
  if (!databaseUrl) return `the embedded database in ${dataDir}`;
  const url = new URL(databaseUrl);
  return `PostgreSQL at ${url.host}${url.pathname}`;
}

let database: Database;
try {
  database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
} catch (error) {
  // One line that says what to check, not the driver's stack trace: the innermost cause (drizzle wraps
  // the driver's error in one naming the query it was running).
  let cause = error as Error;
  while (cause.cause instanceof Error) cause = cause.cause;
  console.error(`Cannot open ${describeDatabase(config.DATABASE_URL, config.DATA_DIR)}: ${cause.message.replace(/\s+/g, ' ')}`);
  process.exit(1);
}
if (config.DEMO) {
  const seeded = await seedDemoIfEmpty(database.db, loadLiverpoolDemo);
  if (seeded) console.log(`Loaded the Liverpool demo network (council ${seeded}).`);
}
// The embedded demo keeps a key in its data folder; a real deployment uses ADMIN_API_KEY and POST …/api-keys.
const demoKeyFile = join(config.DATA_DIR, 'demo-key');
const demo = config.DEMO && database.kind === 'pglite' ? await keptDemoKey(database.db, liverpoolCouncil.code, demoKeyFile) : null;
const app = await buildApp({
  database,
  demoCouncilId: demo?.councilId,
  logger,
  adminApiKey: config.ADMIN_API_KEY,
  corsOrigins: config.CORS_ORIGINS,
  rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
  ...(config.TRUST_PROXY ? { trustProxy: config.TRUST_PROXY } : {}),
  onsDataDir: config.ONS_DATA_DIR,
  maxEventLoopDelayMs: config.MAX_EVENT_LOOP_DELAY_MS,
  timeouts: { headersMs: config.HEADERS_TIMEOUT_MS, requestMs: config.REQUEST_TIMEOUT_MS, idleMs: config.IDLE_TIMEOUT_MS },
  evaluation: {
    timeLimitMs: config.EVALUATION_TIME_LIMIT_MS,
    importTimeLimitMs: config.IMPORT_TIME_LIMIT_MS,
    cacheBytes: config.EVALUATION_CACHE_MB * 1_048_576,
    ...(config.EVALUATION_THREADS ? { threads: config.EVALUATION_THREADS } : {}),
    ...(config.IMPORT_THREADS ? { importThreads: config.IMPORT_THREADS } : {}),
  },
});

let closing = false;
async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  app.log.info({ signal }, 'shutting down: finishing in-flight requests');
  // Fastify stops accepting connections and waits for in-flight requests before resolving.
  await app.close();
  await database.close();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

await app.listen({ port: config.PORT, host: config.HOST });
// The first planner to open a page or evaluate should not wait for the worker threads to start.
void app.evaluations.start().catch((error: unknown) => {
  // A shutdown during start-up ends the workers it was starting: that is no failure.
  if (!closing) app.log.error({ err: error }, 'the evaluation workers did not start');
});
const address = app.server.address();
const port = address && typeof address === 'object' ? address.port : config.PORT;
const base = `http://${config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST}:${port}`;
app.log.info(
  `Centre Network API on ${describeDatabase(config.DATABASE_URL, config.DATA_DIR)}. Swagger UI: ${base}/docs. Planner's pages: ${base}/councils/{councilId}/compare`,
);
if (demo) {
  app.log.info(
    `Demo key for Swagger UI's Authorize button at ${base}/docs (Liverpool, council ${demo.councilId}, filled in for you; kept in ${demoKeyFile}): ${demo.key}`,
  );
  app.log.info(`Planner's pages: open ${base}/councils/${demo.councilId}/compare and sign in with that key`);
}
