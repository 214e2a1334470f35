// Two instances of the service on one database agree: on the rate limit (counted in the database), on a
// revoked key and on a kept network (each forgotten on the database's notices), and on evaluations
// (kept by the versions they were worked out from). On PGlite by default (two instances in one process on
// one embedded database); on PostgreSQL with DATABASE_URL, with connections of their own, as two servers.
import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { bearer, client, createCouncil, liverpoolHub } from '../helpers/api.js';
import { eventually, twoInstances } from '../helpers/instances.js';

/** So that a test's requests fall in one minute's window of the limit. */
async function notNearTheMinutesEnd() {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < 15_000) await sleep(left + 100);
}

const limit = 20;
// As behind the load balancer of docker-compose's scale-out profile, which forwards from loopback here.
const { appA, appB } = await twoInstances(t, { rateLimitPerMinute: limit, trustProxy: ['127.0.0.1'] });

t.test('the rate limit is one limit across instances', async (t) => {
  const councilId = await createCouncil(client(appA));
  const { key } = (await client(appA).post(`/councils/${councilId}/api-keys`, { name: 'Shared' })).body;
  const onA = client(appA, bearer(key));
  const onB = client(appB, bearer(key));
  await notNearTheMinutesEnd();
  const answers = [];
  for (let i = 0; i < limit / 2; i++) answers.push(await onA.get(`/councils/${councilId}/sites`), await onB.get(`/councils/${councilId}/sites`));
  t.same(
    answers.map((a) => a.status),
    Array(limit).fill(200),
    'as many requests as the limit, half on each instance, pass',
  );
  t.same(
    answers.map((a) => Number(a.headers['x-ratelimit-remaining'])),
    Array.from({ length: limit }, (_, i) => limit - 1 - i),
    'each instance counts the other’s requests too',
  );
  const past = [await onA.get(`/councils/${councilId}/sites`), await onB.get(`/councils/${councilId}/sites`)];
  t.same(
    past.map((a) => a.status),
    [429, 429],
    'the next is refused by either instance',
  );
  t.ok(
    past.every((a) => Number(a.headers['retry-after']) > 0),
    'with Retry-After',
  );
});

t.test('many requests at once on both instances never pass the limit together', async (t) => {
  await notNearTheMinutesEnd();
  const requests = Array.from({ length: 3 * limit }, (_, i) => (i % 2 ? appA : appB).inject({ method: 'GET', url: '/health/live', remoteAddress: '10.0.0.7' }));
  const statuses = (await Promise.all(requests)).map((answer) => answer.statusCode);
  t.equal(statuses.filter((status) => status === 200).length, limit, 'exactly the limit let through');
  t.equal(statuses.filter((status) => status === 429).length, 2 * limit, 'the rest refused with 429');
});

t.test('behind the load balancer, each client without a key has a bucket of its own', async (t) => {
  await notNearTheMinutesEnd();
  const from = (app: typeof appA, client: string) => app.inject({ method: 'GET', url: '/health/live', headers: { 'x-forwarded-for': client } });
  const statuses = [];
  for (let i = 0; i <= limit; i++) statuses.push((await from(i % 2 ? appA : appB, '203.0.113.9')).statusCode);
  t.same(statuses, [...Array(limit).fill(200), 429], "one client's requests through either instance share its bucket");
  t.equal((await from(appA, '198.51.100.4')).statusCode, 200, 'another client has room');
});

t.test('a revoked key, a changed network and a changed scenario are seen by both instances', async (t) => {
  const adminA = client(appA);
  const councilId = await createCouncil(adminA);
  const hub = (await adminA.post(`/councils/${councilId}/sites`, liverpoolHub)).body;
  const { id: keyId, key } = (await adminA.post(`/councils/${councilId}/api-keys`, { name: 'Planner' })).body;
  const onB = client(appB, bearer(key));
  const base = `/councils/${councilId}`;

  t.equal((await onB.get(`${base}/network`)).body.sites.length, 1, 'B keeps the network it read');
  await adminA.post(`${base}/sites`, { name: 'Spoke', role: 'spoke', hubId: hub.id, lat: 53.45, lon: -2.95, postcode: 'L9 1NB' });
  const network = await eventually(
    () => onB.get(`${base}/network`),
    (answer) => answer.body.sites.length === 2,
  );
  t.equal(network.body.sites.length, 2, 'B sees the site created through A');

  const scenario = (await adminA.post(`${base}/scenarios`, { name: 'Close the spoke', actions: [] })).body;
  const evaluation = `${base}/scenarios/${scenario.id}/evaluation`;
  t.same((await onB.get(evaluation)).body.actions, [], 'B evaluates (and keeps the answer)');
  const spoke = network.body.sites.find((site: { name: string }) => site.name === 'Spoke');
  await adminA.patch(`${base}/scenarios/${scenario.id}`, { actions: [{ type: 'close_site', siteId: spoke.id }] });
  t.equal((await onB.get(evaluation)).body.actions?.length, 1, 'B evaluates the scenario as changed through A, at once');

  t.equal((await adminA.delete(`${base}/api-keys/${keyId}`)).status, 204, 'revoked through A');
  t.equal(
    (
      await eventually(
        () => onB.get(`${base}/sites`),
        (answer) => answer.status === 401,
      )
    ).status,
    401,
    'B refuses the key',
  );
});
