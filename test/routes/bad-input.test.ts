import { connect, type AddressInfo } from 'node:net';
import t from 'tap';
import { bodyLimitBytes } from '../../src/app.js';
import { bearer, client, createCouncil } from '../helpers/api.js';
import { testAdminKey, testApp } from '../helpers/app.js';

// One app and database for the file: each test works in a council of its own.
const app = await testApp(t);

t.test('bad input is a 4xx problem with field paths, never a 5xx', async (t) => {
  const api = client(app);
  const councilId = await createCouncil(api);
  const sites = `/councils/${councilId}/sites`;

  const isProblem = (res: { status: number; headers: Record<string, unknown>; body: Record<string, unknown> }, status: number) => {
    t.equal(res.status, status);
    t.match(res.headers['content-type'], /^application\/problem\+json/);
    t.equal(res.body.status, status);
    t.match(res.body.type, /^https:\/\/centre-network\.example\/problems\//);
    t.type(res.body.requestId, 'string');
    t.notMatch(JSON.stringify(res.body), /at .*\.ts:\d+|select |insert |node_modules/i, 'no stack or SQL');
  };

  const invalid = await api.post(sites, { name: '', role: 'castle', lat: 91, lon: 'west', services: ['antenatal', 'antenatal'], colour: 'red' });
  isProblem(invalid, 400);
  t.same(
    invalid.body.errors.map((e: { path: string }) => e.path).sort(),
    ['/colour', '/lat', '/lon', '/name', '/role', '/services'],
    'every failing field is listed by JSON Pointer',
  );
  t.equal(invalid.body.detail, '6 fields are invalid');

  isProblem(await api.post(sites, { name: 'x'.repeat(201), role: 'hub', lat: 1, lon: 1 }), 400);
  isProblem(await api.post(`/councils/${councilId}/posts`, { siteId: 'nope', title: 'T', kind: 'admin', fte: 0.00001, annualCostPerFtePence: 1.5 }), 400);
  isProblem(
    await api.post(`/councils/${councilId}/posts`, { siteId: crypto.randomUUID(), title: 'T', kind: 'admin', fte: 1, annualCostPerFtePence: 1e20 }),
    400,
  );
  isProblem(await api.post(`/councils/${councilId}/income-streams`, { partner: 'P', kind: 'grant', annualValuePence: 1, startDate: '2026-02-30' }), 400);

  const rawPost = async (contentType: string, payload: string) => {
    const res = await app.inject({ method: 'POST', url: sites, headers: { ...bearer(testAdminKey), 'content-type': contentType }, payload });
    return { status: res.statusCode, headers: res.headers, body: res.json() };
  };
  isProblem(await rawPost('application/json', '{"name":'), 400);
  isProblem(await rawPost('application/xml', '<site/>'), 415);
  isProblem(await rawPost('application/json', `{"name":"${'x'.repeat(bodyLimitBytes)}"}`), 413);
  isProblem(await rawPost('application/json', ''), 400);
  const notAnObject = await api.post(sites, [1, 2, 3]);
  isProblem(notAnObject, 400);

  const badQuery = await api.get(`${sites}?limit=501&role=castle`);
  isProblem(badQuery, 400);
  t.same(badQuery.body.errors.map((e: { path: string }) => e.path).sort(), ['query.limit', 'query.role']);
  isProblem(await api.get(`${sites}?cursor=not-a-cursor`), 400);
  isProblem(await api.get(`${sites}?limit=0`), 400);

  const badId = await api.get(`${sites}/123`);
  isProblem(badId, 400);
  t.same(
    badId.body.errors.map((e: { path: string }) => e.path),
    ['params.siteId'],
  );
  isProblem(await api.get(`${sites}/${crypto.randomUUID()}`), 404);
  isProblem(await api.get(`/councils/${crypto.randomUUID()}/sites`), 404);
  isProblem(await api.post(`/councils/${crypto.randomUUID()}/sites`, { name: 'A', role: 'hub', lat: 1, lon: 1 }), 404);
  isProblem(await api.get('/no-such-route'), 404);
  isProblem(await api.patch(`/councils/${councilId}`, { code: null }), 400);
  isProblem(await api.patch(`/councils/${councilId}`, { unknown: 1 }), 400);
  isProblem(await api.post('/councils', { code: "E08'; drop table councils;--", name: '<script>alert(1)</script>' }), 400);
  t.equal((await api.get('/councils')).status, 200, 'still standing');
});

t.test('bytes that are not HTTP get a 400 problem too, and the connection closes', async (t) => {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  const rawAnswer = (bytes: string) =>
    new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => socket.end(bytes));
      let answer = '';
      socket.setEncoding('latin1').on('data', (chunk: string) => (answer += chunk));
      socket.on('close', () => resolve(answer)).on('error', reject);
    });
  for (const [label, bytes] of [
    ['a body after the request with no length', 'GET /councils HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\nhello'],
    ['not HTTP at all', '\u0016\u0003\u0001 a TLS hello, perhaps\r\n\r\n'],
  ]) {
    const answer = await rawAnswer(bytes!);
    const [head, body] = answer.split('\r\n\r\n');
    t.match(head, /^HTTP\/1\.1 400 /, label!);
    t.match(head, /content-type: application\/problem\+json/i);
    const problem = JSON.parse(body!);
    t.equal(problem.type, 'https://centre-network.example/problems/malformed-request');
    t.equal(problem.status, 400);
    t.match(problem.requestId, /^req-/);
    t.equal(problem.instance, label === 'not HTTP at all' ? '/' : '/councils');
  }
  const [head, body] = (await rawAnswer(`GET /councils?limit=${'9'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`)).split('\r\n\r\n');
  t.match(head, /^HTTP\/1\.1 431 Request Header Fields Too Large/, 'a request line over 16 KiB');
  t.match(JSON.parse(body!), { type: 'https://centre-network.example/problems/headers-too-large', status: 431, instance: '/councils' });
});
