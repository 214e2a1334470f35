import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import tap from 'tap';
import { buildApp, ownEvaluations } from '../../src/app.js';
import { type Database, openDatabase } from '../../src/db/client.js';
import type { EvaluationPool } from '../../src/evaluation-pool.js';
import { dropDatabase } from './drop-database.js';
import { type Teardowns, teardownAtEnd } from './folder-suite.js';
import { createDatabaseFrom, migratedEmbeddedTemplate, migratedPostgresTemplate } from './migrated-template.js';

/**
 * A fresh, migrated database for one test file: a copy of the suite's migrated embedded database by
 * default, or a new database on the PostgreSQL server named by DATABASE_URL, made from a migrated
 * template (removed again at teardown). With `through`, the app's
 * connections go to that host:port (e.g. a TCP proxy in front of the server) instead.
 */
export async function testDatabase(
  t: Teardowns,
  options: { through?: { host: string; port: number } } = {},
): Promise<Database & { /** The database's own URL on PostgreSQL (never through the proxy). */ directUrl?: string }> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const kept = idleEmbedded.pop();
    if (kept) await emptied(kept);
    const database = kept ?? (await openEmbedded());
    teardownAtEnd(t, () => letGo(database));
    return database;
  }
  const name = `cn_test_${randomUUID().replaceAll('-', '')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await createDatabaseFrom(admin, name, await migratedPostgresTemplate(admin, serverUrl));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const directUrl = url.toString();
  // The app may reach the database through a proxy (the fault test); creating and dropping it does not.
  if (options.through) {
    url.hostname = options.through.host;
    url.port = String(options.through.port);
  }
  const database = await openDatabase({ databaseUrl: url.toString(), poolSize: 4 });
  teardownAtEnd(t, async () => {
    await database.close();
    await dropDatabase(admin, name);
    await admin.end();
  });
  return Object.assign(database, { directUrl });
}

/**
 * In-memory databases of this process whose tests have ended, kept for the next: opening a copy of the
 * template (PGlite starting in WebAssembly) costs more than many a test's work, and emptying one that a
 * finished test let go of leaves it as a fresh copy would be. Closed when the process's tests end.
 */
const idleEmbedded: Database[] = [];
let closingRegistered = false;
let testsEnded = false;

async function openEmbedded(): Promise<Database> {
  if (!closingRegistered) {
    closingRegistered = true;
    tap.teardown(async () => {
      testsEnded = true;
      await Promise.all(idleEmbedded.splice(0).map((kept) => kept.close()));
    });
  }
  return openDatabase({ loadDataDir: await migratedEmbeddedTemplate() });
}

/** Keeps a database its test has ended with for the next test, or closes it once the process's tests end. */
async function letGo(database: Database): Promise<void> {
  if (testsEnded) await database.close();
  else idleEmbedded.push(database);
}

/**
 * Empties every table of the application's schema, as the migrated template has them (the migrations
 * insert no rows, and only drizzle's own table, in its own schema, has any). TRUNCATE fires no row
 * triggers, so no change notice goes out.
 */
async function emptied(database: Database): Promise<void> {
  await database.db.execute(sql`do $$ begin
    execute (select 'truncate ' || string_agg(format('%I', tablename), ', ') || ' restart identity cascade' from pg_tables where schemaname = 'public');
  end $$`);
}

/** The administrator key every test app accepts. */
export const testAdminKey = 'test-admin-key-0123456789abcdef0123456789';

let shared: EvaluationPool | undefined;

/**
 * The evaluation threads shared by the test apps of this process, one for evaluations and one for
 * imports: starting a thread (loading the planning code's bundle) costs more than most tests' evaluations.
 * Tests of the threads themselves (time limits, imports beside evaluations) build apps with their own.
 */
export function testEvaluations(): EvaluationPool {
  if (!shared) {
    const pool = ownEvaluations({ threads: 1, importThreads: 1 });
    tap.teardown(() => pool.close());
    shared = pool;
  }
  return shared;
}

/** An app on a fresh database, or on `database` when a test file shares one among its tests. */
export async function testApp(t: Teardowns, options: { rateLimitPerMinute?: number; database?: Database } = {}) {
  const database = options.database ?? (await testDatabase(t));
  const app = await buildApp({
    database,
    adminApiKey: testAdminKey,
    rateLimitPerMinute: options.rateLimitPerMinute ?? 1_000_000,
    evaluations: testEvaluations(),
  });
  teardownAtEnd(t, () => app.close());
  return app;
}
