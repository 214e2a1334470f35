import { eq, sql } from 'drizzle-orm';
import { idempotencyRecords } from '../../src/db/schema.js';
import t from 'tap';
import { KeyResolver } from '../../src/http/auth.js';
import { bearer, client, createCouncil } from '../helpers/api.js';
import { buildApp } from '../../src/app.js';
import { testAdminKey, testApp, testDatabase, testEvaluations } from '../helpers/app.js';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Rate-limit windows are minutes of the clock: a test that counts requests in one window starts with
 * enough of it left, or waits for the next, so that a reset half-way through cannot change its count.
 */
async function startOfAWindow() {
  const leftMs = 60_000 - (Date.now() % 60_000);
  if (leftMs < 15_000) await sleep(leftMs + 50);
}

const at = { lat: 53.44, lon: -2.93 };
// One database and one app for the file: each test works in councils of its own. Tests that need another
// configuration (CORS, load shedding) or a hook of their own build their own app on it; the rate-limit
// tests a database each too, as the counts of a window are kept in the database.
const database = await testDatabase(t);
const app = await testApp(t, { database });

t.test('API keys: shown once, stored hashed, listed by prefix, scoped, read-only, revocable', async (t) => {
  const admin = client(app);
  const councilId = await createCouncil(admin);
  const otherId = await createCouncil(admin, 'Elsewhere');

  const anonymous = client(app, {});
  const noKey = await anonymous.get(`/councils/${councilId}/sites`);
  t.equal(noKey.status, 401);
  t.equal(noKey.headers['www-authenticate'], 'Bearer');
  t.equal((await client(app, bearer('cnk_not-a-real-key')).get('/councils')).status, 401);
  t.equal((await anonymous.get('/health/live')).status, 200, 'health needs no key');
  t.equal((await anonymous.get('/openapi.json')).status, 200, 'the API description needs no key');

  const created = await admin.post(`/councils/${councilId}/api-keys`, { name: 'Integration' });
  t.equal(created.status, 201);
  const key = created.body.key as string;
  t.match(key, /^cnk_[A-Za-z0-9_-]{27}$/, '160 random bits, base64url');
  t.equal(created.headers['cache-control'], 'no-store', 'the answer that shows the key is never cached');
  t.equal(created.body.prefix, key.slice(0, 12));
  const listed = await admin.get(`/councils/${councilId}/api-keys`);
  t.equal(listed.body.items.length, 1);
  t.notOk('key' in listed.body.items[0], 'the key itself is never shown again');
  t.notOk(JSON.stringify(listed.body).includes(key));

  const own = client(app, bearer(key));
  t.equal((await own.get(`/councils/${councilId}`)).status, 200);
  t.same(
    (await own.get('/councils')).body.items.map((c: { id: string }) => c.id),
    [councilId],
    'a council key sees its own council only',
  );
  t.equal((await own.post(`/councils/${councilId}/sites`, { name: 'Hub', role: 'hub', ...at })).status, 201);
  t.equal((await own.get(`/councils/${otherId}`)).status, 404, "another council's data does not exist for this key");
  t.equal((await own.get(`/councils/${otherId}/sites`)).status, 404);
  t.equal((await own.post(`/councils/${otherId}/sites`, { name: 'Hub', role: 'hub', ...at })).status, 404);
  t.equal((await own.post('/councils', { code: 'E08000099', name: 'New' })).status, 403, 'only administrators create councils');
  t.equal((await own.delete(`/councils/${councilId}`)).status, 403);

  const readOnly = (await admin.post(`/councils/${councilId}/api-keys`, { name: 'Dashboard', readOnly: true })).body.key as string;
  const reader = client(app, bearer(readOnly));
  t.equal((await reader.get(`/councils/${councilId}/sites`)).status, 200);
  const refused = await reader.post(`/councils/${councilId}/sites`, { name: 'Hub', role: 'hub', ...at });
  t.equal(refused.status, 403);
  t.match(refused.body.detail, /read-only/);

  t.equal((await admin.delete(`/councils/${councilId}/api-keys/${created.body.id}`)).status, 204);
  t.equal((await own.get(`/councils/${councilId}`)).status, 401, 'a revoked key stops working at once');
  t.ok((await admin.get(`/councils/${councilId}/api-keys`)).body.items[0].revokedAt);
});

t.test('ETag and If-Match: a stale write is a 412 and changes nothing', async (t) => {
  const api = client(app);
  const councilId = await createCouncil(api);
  const url = `/councils/${councilId}/sites`;
  const site = await api.post(url, { name: 'Centre', role: 'standalone', ...at });
  t.equal(site.headers.etag, '"1"');
  const read = await api.get(`${url}/${site.body.id}`);
  t.equal(read.headers.etag, '"1"');
  const first = await api.patch(`${url}/${site.body.id}`, { name: 'First' }, { 'if-match': '"1"' });
  t.equal(first.status, 200);
  t.equal(first.headers.etag, '"2"');
  const stale = await api.patch(`${url}/${site.body.id}`, { name: 'Second' }, { 'if-match': '"1"' });
  t.equal(stale.status, 412);
  t.equal(stale.body.currentVersion, 2);
  t.equal((await api.get(`${url}/${site.body.id}`)).body.name, 'First');
  t.equal((await api.delete(`${url}/${site.body.id}`, { 'if-match': '"1"' })).status, 412);
  t.equal((await api.delete(`${url}/${site.body.id}`, { 'if-match': '"2"' })).status, 204);
  const council = await api.get(`/councils/${councilId}`);
  t.equal((await api.patch(`/councils/${councilId}`, { name: 'X' }, { 'if-match': '"99"' })).status, 412);
  t.equal((await api.patch(`/councils/${councilId}`, { name: 'X' }, { 'if-match': council.headers.etag as string })).status, 200);
});

t.test('Idempotency-Key: replays the first answer, refuses another body under the same key', async (t) => {
  const api = client(app);
  const councilId = await createCouncil(api);
  const url = `/councils/${councilId}/sites`;
  const body = { name: 'Centre', role: 'standalone', ...at };
  const first = await api.post(url, body, { 'idempotency-key': 'create-centre-1' });
  const again = await api.post(url, body, { 'idempotency-key': 'create-centre-1' });
  t.equal(again.status, 201);
  t.same(again.body, first.body, 'the same resource, not a second one');
  t.equal(again.headers.location, first.headers.location);
  t.equal(again.headers['idempotent-replayed'], 'true');
  t.equal((await api.get(url)).body.items.length, 1);
  const other = await api.post(url, { ...body, name: 'Other' }, { 'idempotency-key': 'create-centre-1' });
  t.equal(other.status, 422);
  t.equal((await api.post(url, body, { 'idempotency-key': 'create-centre-2' })).status, 201, 'a new key creates anew');
});

t.test('Idempotency-Key: requests sent at once with one key create once', async (t) => {
  const api = client(app);
  const councilId = await createCouncil(api);
  const url = `/councils/${councilId}/sites`;
  const body = { name: 'Centre', role: 'standalone', ...at };
  // On PostgreSQL they overlap (before claims, each created a site); embedded PGlite runs them one at a time.
  const answers = await Promise.all(Array.from({ length: 6 }, () => api.post(url, body, { 'idempotency-key': 'at-once' })));
  t.equal((await api.get(url)).body.items.length, 1, 'one site');
  const created = answers.filter((answer) => answer.status === 201);
  t.ok(created.length >= 1, 'the first creates');
  t.ok(
    created.every((answer) => answer.body.id === created[0]!.body.id),
    'any other 201 replays it',
  );
  const waiting = answers.filter((answer) => answer.status !== 201);
  t.ok(
    waiting.every((answer) => answer.status === 409 && answer.headers['retry-after'] === '1' && answer.body.type.endsWith('/conflict')),
    'the rest are told the first is still in progress',
  );
  const later = await api.post(url, body, { 'idempotency-key': 'at-once' });
  t.equal(later.status, 201);
  t.equal(later.body.id, created[0]!.body.id, 'once it has answered, it replays');
});

t.test('Idempotency-Key: a refused or failed request leaves the key free to use again', async (t) => {
  const api = client(app);
  const councilId = await createCouncil(api);
  const url = `/councils/${councilId}/sites`;
  const spoke = { name: 'Spoke', role: 'spoke', hubId: crypto.randomUUID(), ...at };
  const refused = await api.post(url, spoke, { 'idempotency-key': 'refused' });
  t.equal(refused.status, 422);
  t.equal((await api.post(url, spoke, { 'idempotency-key': 'refused' })).headers['idempotent-replayed'], 'true', 'a 4xx answer is replayed');
  // A claim left by a request that never answered (the process stopped): after a minute the key is free.
  await app.db.execute(
    sql`insert into idempotency_records (principal, key, request_hash, created_at) values ('config-admin', 'abandoned', 'x', now() - interval '2 minutes')`,
  );
  const body = { name: 'Centre', role: 'standalone', ...at };
  t.equal((await api.post(url, body, { 'idempotency-key': 'abandoned' })).status, 201, 'an abandoned claim is taken over');
  await app.db.execute(sql`insert into idempotency_records (principal, key, request_hash) values ('config-admin', 'pending', 'x')`);
  t.equal((await api.post(url, body, { 'idempotency-key': 'pending' })).status, 409, 'a recent claim is in progress');
  const tooLong = await api.post(url, body, { 'idempotency-key': 'x'.repeat(201) });
  t.equal(tooLong.status, 400);
  t.equal(tooLong.body.errors[0].path, 'headers.idempotency-key');
});

t.test('Idempotency-Key: a create keeps its answer as it commits, and a new API key is never kept', async (t) => {
  // Its own app, for the hook it adds.
  const app = await testApp(t, { database });
  // Before the answer leaves (app hooks run before the route's own): is the answer already kept?
  const keptBeforeAnswering: (number | null)[] = [];
  app.addHook('onSend', async (request) => {
    const key = request.headers['idempotency-key'];
    if (typeof key !== 'string') return;
    const [record] = await app.db.select().from(idempotencyRecords).where(eq(idempotencyRecords.key, key));
    keptBeforeAnswering.push(record?.responseStatus ?? null);
  });
  const api = client(app);
  const councilId = await createCouncil(api);
  const url = `/councils/${councilId}/sites`;
  const created = await api.post(url, { name: 'Centre', role: 'standalone', ...at }, { 'idempotency-key': 'kept-at-commit' });
  t.equal(created.status, 201);
  t.same(keptBeforeAnswering, [201], 'kept in the write’s transaction, so a stop before answering loses no replay');
  t.equal((await api.post('/councils', { code: 'E06000001', name: 'Hartlepool' }, { 'idempotency-key': 'council-kept' })).status, 201);
  t.same(keptBeforeAnswering, [201, 201], 'a council’s creation too');
  // A standalone site is created in one statement, which keeps the row; a spoke in a transaction, which keeps the body.
  const spokeBody = { name: 'Spoke', role: 'spoke', hubId: (await api.post(url, { name: 'Hub', role: 'hub', ...at })).body.id, ...at };
  const spoke = await api.post(url, spokeBody, { 'idempotency-key': 'spoke-kept-at-commit' });
  t.equal(spoke.status, 201);
  t.same(keptBeforeAnswering, [201, 201, 201], 'kept in the transaction too');
  for (const [label, body, key, first] of [
    ['one statement', { name: 'Centre', role: 'standalone', ...at }, 'kept-at-commit', created],
    ['transaction', spokeBody, 'spoke-kept-at-commit', spoke],
  ] as const) {
    const replay = await api.post(url, body, { 'idempotency-key': key });
    t.equal(replay.headers['idempotent-replayed'], 'true', `${label}: replayed`);
    t.equal(replay.raw.body, first.raw.body, `${label}: the same answer, byte for byte`);
    for (const header of ['etag', 'location', 'content-type']) t.equal(replay.headers[header], first.headers[header], `${label}: ${header}`);
  }

  const keyUrl = `/councils/${councilId}/api-keys`;
  const first = await api.post(keyUrl, { name: 'Integration' }, { 'idempotency-key': 'new-key' });
  t.equal(first.status, 201);
  t.same(keptBeforeAnswering.slice(-1), [409], 'a new key’s replay answer (409, naming it) kept as the key commits');
  const [record] = await app.db.select().from(idempotencyRecords).where(eq(idempotencyRecords.key, 'new-key'));
  t.notOk(JSON.stringify(record).includes(first.body.key), 'the key itself is not kept for replays');
  const again = await api.post(keyUrl, { name: 'Integration' }, { 'idempotency-key': 'new-key' });
  t.equal(again.status, 409);
  t.equal(again.headers.location, first.headers.location, 'names the key created');
  t.notOk(JSON.stringify(again.body).includes(first.body.key));
  t.equal((await api.get(keyUrl)).body.items.length, 1, 'one key');
});

t.test('audit trail: who, when, what, before and after', async (t) => {
  const api = client(app);
  const councilId = await createCouncil(api);
  const key = (await api.post(`/councils/${councilId}/api-keys`, { name: 'Planner' })).body;
  const planner = client(app, bearer(key.key));
  const site = (await planner.post(`/councils/${councilId}/sites`, { name: 'Centre', role: 'standalone', ...at })).body;
  await planner.patch(`/councils/${councilId}/sites/${site.id}`, { name: 'Renamed' });
  await planner.patch(`/councils/${councilId}/sites/${site.id}`, { status: 'closed' });
  await planner.delete(`/councils/${councilId}/sites/${site.id}`);
  const events = await planner.get(`/councils/${councilId}/audit-events?resource=sites`);
  t.equal(events.status, 200);
  t.same(
    events.body.items.map((e: { action: string }) => e.action),
    ['create', 'update', 'update', 'delete'],
  );
  t.ok(
    events.body.items.every((e: { actor: string }) => e.actor === key.id),
    'each names the key that wrote',
  );
  t.equal(events.body.items[1].before.name, 'Centre');
  t.equal(events.body.items[1].after.name, 'Renamed');
  t.equal(events.body.items[3].after, null);
  const paged = await planner.get(`/councils/${councilId}/audit-events?limit=2`);
  t.equal(paged.body.items.length, 2);
  t.ok(paged.body.links.next);
  const future = await planner.get(`/councils/${councilId}/audit-events?since=2999-01-01T00:00:00Z`);
  t.equal(future.body.items.length, 0);
  const refused = await planner.patch(`/councils/${councilId}/sites/${crypto.randomUUID()}`, { name: 'x' });
  t.equal(refused.status, 404);
  t.equal((await planner.get(`/councils/${councilId}/audit-events?resource=sites`)).body.items.length, 4, 'failed writes leave no trail');
});

t.test('rate limit: 429 problem with Retry-After and the limit headers', async (t) => {
  const app = await testApp(t, { rateLimitPerMinute: 3 });
  await startOfAWindow();
  const api = client(app);
  const statuses = [];
  for (let i = 0; i < 4; i++) statuses.push(await api.get('/councils'));
  t.same(
    statuses.map((r) => r.status),
    [200, 200, 200, 429],
  );
  t.match(statuses[0]!.headers, { 'x-ratelimit-limit': '3', 'x-ratelimit-remaining': '2', 'x-ratelimit-reset': /^\d+$/ });
  const limited = statuses[3]!;
  t.match(limited.headers['content-type'], /application\/problem\+json/);
  t.ok(Number(limited.headers['retry-after']) > 0);
  t.equal((await client(app, bearer('another-key')).get('/councils')).status, 401, 'limits are per key: the address has room');
});

t.test('rate limit: one bucket per key however the header spells it', async (t) => {
  const app = await testApp(t, { rateLimitPerMinute: 3 });
  await startOfAWindow();
  const councilId = await createCouncil(client(app));
  const key = (await client(app).post(`/councils/${councilId}/api-keys`, { name: 'Spelled many ways' })).body.key as string;
  const spellings = [`Bearer ${key}`, `bearer ${key}`, `BEARER    ${key}`, `Bearer\t${key}`];
  const statuses = [];
  for (const authorization of spellings) statuses.push((await client(app, { authorization }).get('/councils')).status);
  t.same(statuses, [200, 200, 200, 429], 'every spelling draws on the same bucket');
  t.equal(
    (await app.inject({ method: 'GET', url: '/councils', remoteAddress: '10.0.0.2', headers: { authorization: `  bEaReR \t ${key}` } })).statusCode,
    429,
    'from any address',
  );
});

t.test('rate limit: requests without a valid key share a bucket per address, checked before any look-up', async (t) => {
  const app = await testApp(t, { rateLimitPerMinute: 3 });
  await startOfAWindow();
  t.equal((await client(app).get('/councils')).status, 200, 'a valid key, known from now on');
  const statuses = [];
  for (const headers of [{}, bearer('cnk_madeUpKey000000000000000001'), bearer('cnk_madeUpKey000000000000000002'), bearer('cnk_madeUpKey000000000000000003')]) {
    statuses.push((await client(app, headers).get('/councils')).status);
  }
  t.same(statuses, [401, 401, 401, 429], 'no key and made-up keys are limited together');
  const elsewhere = await app.inject({ method: 'GET', url: '/councils', remoteAddress: '10.0.0.2' });
  t.equal(elsewhere.statusCode, 401, 'another address has its own bucket');
  t.equal((await client(app).get('/councils')).status, 200, 'a valid key keeps its own bucket');
});

t.test('key look-ups: a bad key costs one query at most, a key of the wrong shape none', async (t) => {
  let queries = 0;
  const rows: { id: string; councilId: string; readOnly: boolean }[] = [];
  const where = async () => {
    queries++;
    return rows;
  };
  const db = { select: () => ({ from: () => ({ where }) }) };
  const resolver = new KeyResolver(db as never, undefined);
  t.equal(await resolver.resolve('not-a-key-of-ours'), null);
  t.equal(await resolver.resolve(`Bearer cnk_${'x'.repeat(27)}`), null);
  t.equal(queries, 0, 'keys not of our shape are refused without a query');
  const madeUp = `cnk_${'y'.repeat(27)}`;
  for (let i = 0; i < 3; i++) t.equal(await resolver.resolve(madeUp), null);
  t.equal(queries, 1, 'an unknown key is looked up once, then refused from memory');
  t.ok(resolver.refused(madeUp));
  resolver.forget();
  rows.push({ id: 'key-1', councilId: 'council-1', readOnly: false });
  t.same(await resolver.resolve(madeUp), { actor: 'key-1', councilId: 'council-1', readOnly: false }, 'forgotten on a key change');
  t.equal(queries, 2);
});

t.test('security headers (helmet’s defaults, less CSP) and request ids on every answer', async (t) => {
  const answers = {
    ok: await client(app).get('/councils'),
    'not found': await client(app).get('/councils/00000000-0000-4000-8000-000000000000'),
    unauthorised: await client(app, {}).get('/councils'),
  };
  for (const [label, res] of Object.entries(answers)) {
    t.match(
      res.headers,
      {
        'x-content-type-options': 'nosniff',
        'strict-transport-security': /max-age=\d+/,
        'x-frame-options': 'SAMEORIGIN',
        'cross-origin-opener-policy': 'same-origin',
        'cross-origin-resource-policy': 'same-origin',
        'referrer-policy': 'no-referrer',
        'x-dns-prefetch-control': 'off',
        'x-request-id': /^req-/,
      },
      `${label}: ${res.status}`,
    );
    t.notOk('content-security-policy' in res.headers, `${label}: no CSP (an API serves no pages but Swagger UI)`);
    t.notOk('x-powered-by' in res.headers, `${label}: nothing names the server`);
  }
});

t.test('CORS: none unless origins are configured, then only for those', async (t) => {
  const origin = 'https://planning.example.gov.uk';
  const preflight = { 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' };
  const closed = app;
  const refused = await closed.inject({ method: 'GET', url: '/councils', headers: { ...bearer(testAdminKey), origin } });
  t.equal(refused.headers['access-control-allow-origin'], undefined, 'no origin allowed by default');

  const open = await buildApp({ database, adminApiKey: testAdminKey, corsOrigins: [origin], rateLimitPerMinute: 1_000_000, evaluations: testEvaluations() });
  t.teardown(() => open.close());
  const allowed = await open.inject({ method: 'GET', url: '/councils', headers: { ...bearer(testAdminKey), origin } });
  t.equal(allowed.statusCode, 200);
  t.equal(allowed.headers['access-control-allow-origin'], origin, 'a configured origin is allowed');
  const asked = await open.inject({ method: 'OPTIONS', url: '/councils', headers: { origin, ...preflight } });
  t.equal(asked.statusCode, 204, 'its preflight is answered');
  t.equal(asked.headers['access-control-allow-origin'], origin);
  const other = await open.inject({ method: 'OPTIONS', url: '/councils', headers: { origin: 'https://elsewhere.example', ...preflight } });
  t.equal(other.headers['access-control-allow-origin'], undefined, 'another origin is not');
});

t.test('under pressure: an overloaded event loop sheds requests with a 503 problem', async (t) => {
  const app = await buildApp({ database, maxEventLoopDelayMs: 50, rateLimitPerMinute: 1_000_000, evaluations: testEvaluations() });
  t.teardown(() => app.close());
  await app.ready();
  // Block the event loop across under-pressure's one-second sample, so the sample it takes next is all delay.
  let res = await app.inject({ method: 'GET', url: '/health/live' });
  for (let attempt = 0; attempt < 3 && res.statusCode !== 503; attempt++) {
    // Atomics.wait blocks the thread asleep: the same delay as a busy loop, without its CPU.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1200);
    await new Promise((resolve) => setTimeout(resolve, 20));
    res = await app.inject({ method: 'GET', url: '/health/live' });
  }
  t.equal(res.statusCode, 503);
  t.match(res.headers['content-type'], /application\/problem\+json/);
  t.equal(res.json().type, 'https://centre-network.example/problems/service-unavailable');
});
