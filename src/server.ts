import { buildApp } from './app.js';
import { loadConfig } from './config.js';
import { openDatabase } from './db/client.js';
import { liverpoolCouncil, loadLiverpoolDemo } from './demo/liverpool.js';
import { issueDemoKey, seedDemoIfEmpty } from './demo/seed.js';

let config;
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

const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
if (config.DEMO) {
  const seeded = await seedDemoIfEmpty(database.db, await loadLiverpoolDemo());
  if (seeded) console.log(`Loaded the Liverpool demo network (council ${seeded}).`);
}
const app = await buildApp({
  database,
  logger,
  adminApiKey: config.ADMIN_API_KEY,
  corsOrigins: config.CORS_ORIGINS,
  rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
  onsDataDir: config.ONS_DATA_DIR,
  maxEventLoopDelayMs: config.MAX_EVENT_LOOP_DELAY_MS,
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
const where = database.kind === 'pglite' ? `embedded PGlite in ${config.DATA_DIR}` : 'PostgreSQL';
const base = `http://${config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST}:${app.server.address() && typeof app.server.address() === 'object' ? (app.server.address() as { port: number }).port : config.PORT}`;
app.log.info(`Centre Network API on ${where}. Swagger UI: ${base}/docs`);
// The embedded demo hands out a key at once; a real deployment uses ADMIN_API_KEY and POST …/api-keys.
if (config.DEMO && database.kind === 'pglite') {
  const demo = await issueDemoKey(database.db, liverpoolCouncil.code);
  if (demo) {
    app.log.info(`Demo key for Swagger UI's Authorize button (Liverpool, council ${demo.councilId}): ${demo.key}`);
  }
}
