// The pages are drawn in the evaluation pool's workers, off the event loop and within its time limit.
import t from 'tap';
import { buildApp } from '../../src/app.js';
import { client } from '../helpers/api.js';
import { testAdminKey, testDatabase } from '../helpers/app.js';
import { syntheticCouncil } from '../helpers/synthetic-council.js';

// Starts a service and its worker threads: a while on a loaded machine.
t.setTimeout(300_000);

t.test('pages are drawn in the evaluation pool, within the evaluations’ time limit', async (t) => {
  const database = await testDatabase(t);
  const app = await buildApp({ database, adminApiKey: testAdminKey, rateLimitPerMinute: 1_000_000, evaluation: { timeLimitMs: 1, threads: 1 } });
  t.teardown(() => app.close());
  const api = client(app);
  const { councilId } = await syntheticCouncil(database.db, api, 300);
  t.equal(app.evaluations.threads, 0, 'no worker thread before anything is evaluated or drawn');
  const page = await api.get(`/councils/${councilId}/view`);
  t.ok(app.evaluations.threads > 0, 'the page started the pool’s workers: it is drawn there, not on the event loop');
  t.equal(page.status, 503, 'a page that takes longer than the time limit is stopped');
  t.match(page.body, { type: /service-unavailable$/, detail: /time limit of 0.001 s \(EVALUATION_TIME_LIMIT_MS\)/ });
});
