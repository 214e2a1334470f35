// Two instances of the service on one database (connections of their own on PostgreSQL), and waiting
// for what one instance learns from the database's notices.
import { setTimeout as sleep } from 'node:timers/promises';
import { buildApp } from '../../src/app.js';
import { openDatabase } from '../../src/db/client.js';
import { testAdminKey, testDatabase, testEvaluations } from './app.js';
import { type Teardowns, teardownAtEnd } from './folder-suite.js';

export async function twoInstances(t: Teardowns, options: { rateLimitPerMinute?: number; trustProxy?: string[] } = {}) {
  const database = await testDatabase(t);
  const appA = await buildApp({ database, adminApiKey: testAdminKey, evaluations: testEvaluations(), ...options });
  teardownAtEnd(t, () => appA.close());
  const databaseB = database.directUrl ? await openDatabase({ databaseUrl: database.directUrl, poolSize: 2 }) : database;
  if (databaseB !== database) teardownAtEnd(t, () => databaseB.close());
  const appB = await buildApp({ database: databaseB, adminApiKey: testAdminKey, evaluations: testEvaluations(), ...options });
  teardownAtEnd(t, () => appB.close());
  return { database, appA, appB };
}

/** Waits until `read` gives what `done` wants, or 3 s pass; answers the last value read. */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 3_000;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await sleep(20);
  }
}
