import { buildApp } from '../../src/app.js';
import { liverpoolCouncil, loadLiverpoolDemo } from '../../src/demo/liverpool.js';
import { issueDemoKey, seedDemoIfEmpty } from '../../src/demo/seed.js';
import { bearer, client } from './api.js';
import { testAdminKey, testDatabase, testEvaluations } from './app.js';
import { type Teardowns, teardownAtEnd, wholeProcess } from './folder-suite.js';

export const closeSixName = 'Close 6 centres';
export const keepAllOpenName = 'Keep all open: hub-and-spoke management plus health income';

/** The Liverpool demo on a fresh database, with its council key and its scenarios' ids by name (and Swagger UI offering its id, as npm start's). */
export async function demoApp(t: Teardowns) {
  const database = await testDatabase(t);
  const councilId = (await seedDemoIfEmpty(database.db, loadLiverpoolDemo))!;
  const { key } = (await issueDemoKey(database.db, liverpoolCouncil.code))!;
  const app = await buildApp({ database, adminApiKey: testAdminKey, rateLimitPerMinute: 1_000_000, demoCouncilId: councilId, evaluations: testEvaluations() });
  teardownAtEnd(t, () => app.close());
  const api = client(app, bearer(key));
  const scenarios: { id: string; name: string }[] = (await api.get(`/councils/${councilId}/scenarios`)).body.items;
  const scenarioId = (name: string) => scenarios.find((s) => s.name === name)!.id;
  return { app, api, database, councilId, key, scenarios, scenarioId };
}

let shared: ReturnType<typeof demoApp> | undefined;

/**
 * One Liverpool demo for the test files of a process that read it, or write only what no other file reads
 * (their own keys, sessions and links): seeding it takes longer than most of those files' tests.
 */
export function sharedDemoApp(): ReturnType<typeof demoApp> {
  shared ??= demoApp(wholeProcess);
  return shared;
}
