// Page sessions and one-time links live in the database: several instances, and restarts, agree on them.
import t from 'tap';
import { buildApp } from '../../src/app.js';
import { pageTokens } from '../../src/db/schema.js';
import { bearer, client } from '../helpers/api.js';
import { testAdminKey, testEvaluations } from '../helpers/app.js';
import { demoApp } from '../helpers/demo.js';
import { cookieOf, sameSiteForm } from '../helpers/page-forms.js';

t.setTimeout(300_000);

t.test('sessions and links are the database’s: every instance knows them, a restart keeps them', async (t) => {
  const { app, database, councilId, key } = await demoApp(t);
  const other = await buildApp({ database, adminApiKey: testAdminKey, rateLimitPerMinute: 1_000_000, evaluations: testEvaluations() });
  t.teardown(() => other.close());
  const pagePath = `/councils/${councilId}/view`;

  const login = await app.inject({ method: 'POST', url: '/login', ...sameSiteForm({ key, next: pagePath }) });
  const cookie = cookieOf(login.headers['set-cookie']);
  t.equal((await other.inject({ method: 'GET', url: pagePath, headers: { cookie } })).statusCode, 200, 'signed in on one instance, a page of another');
  const stored = await database.db.select().from(pageTokens);
  t.notOk(JSON.stringify(stored).includes(key), 'the database holds no key');
  t.notOk(JSON.stringify(stored).includes(cookie.split('=')[1]!), 'nor a session token');

  const issued = (await client(app, bearer(key)).post(`/councils/${councilId}/page-links`, { view: 'network' })).body;
  const token = new URL(issued.url).hash.slice(1);
  const redeem = (instance: typeof app) =>
    instance.inject({ method: 'POST', url: '/pages/link', payload: { token }, headers: { 'sec-fetch-site': 'same-origin' } });
  t.equal((await redeem(other)).statusCode, 200, 'a link issued by one instance opens on another');
  t.equal((await redeem(app)).statusCode, 401, 'and then on none');

  await app.close();
  const restarted = await buildApp({ database, adminApiKey: testAdminKey, rateLimitPerMinute: 1_000_000, evaluations: testEvaluations() });
  t.teardown(() => restarted.close());
  t.equal((await restarted.inject({ method: 'GET', url: pagePath, headers: { cookie } })).statusCode, 200, 'a restart keeps the session');
  await restarted.inject({ method: 'POST', url: '/logout', headers: { cookie, 'sec-fetch-site': 'same-origin' } });
  t.equal((await other.inject({ method: 'GET', url: pagePath, headers: { cookie } })).statusCode, 303, 'signing out on one instance signs out on all');
});
