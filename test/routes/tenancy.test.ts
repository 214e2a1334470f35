import t from 'tap';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { bearer, client, type Client } from '../helpers/api.js';
import { testAdminKey, testApp } from '../helpers/app.js';
import {
  bodyOverrides,
  bodyFor,
  bodyIdsOf,
  fillPath,
  listOperations,
  type Operation,
  pathIdsOf,
  problemIssues,
  freshIds,
  requiredQuery,
  seedNetwork,
} from '../helpers/operations.js';

// Operations that name no council, and what another council's key gets from each. A new one fails the
// walk until it is added here: the walk must not guess.
const withoutCouncil: Record<string, { status: number; why: string }> = {
  getLiveness: { status: 200, why: 'public, reads nothing of any council' },
  getReadiness: { status: 200, why: 'public, reads nothing of any council' },
  listCouncils: { status: 200, why: "lists the key's own council only" },
  createCouncil: { status: 403, why: 'administrators only; names no existing council' },
};

interface Sent {
  status: number;
  headers: Record<string, unknown>;
  body: string;
  url: string;
}

async function send(app: FastifyInstance, op: Operation, key: string, pathIds: Record<string, string>, bodyIds: Record<string, string>): Promise<Sent> {
  const url = fillPath(op, pathIds) + requiredQuery(op, bodyIds);
  const body = bodyFor(op, bodyIds);
  const res = await app.inject({
    method: op.method,
    url,
    headers: { ...bearer(key), ...(body ? { 'content-type': body.contentType } : {}) },
    ...(body ? { payload: (body.contentType === 'text/csv' ? body.payload : JSON.stringify(body.payload)) as InjectOptions['payload'] } : {}),
  });
  return { status: res.statusCode, headers: res.headers, body: res.body, url };
}

/**
 * The answer with every id it was sent replaced by the name of its place (path.siteId, body.hubId, …), and
 * without what differs from one request to the next: two answers are equal exactly when nothing but the ids differ.
 */
function normalised(res: Sent, path: Record<string, string>, body: Record<string, string>) {
  let text = res.body;
  for (const [place, ids] of [
    ['path', path],
    ['body', body],
  ] as const) {
    for (const [name, id] of Object.entries(ids)) text = text.split(id).join(`{${place}.${name}}`);
  }
  const parsed = JSON.parse(text) as Record<string, unknown>;
  delete parsed.requestId;
  const headers = Object.keys(res.headers)
    .filter((h) => !['date', 'x-request-id', 'content-length', 'connection'].includes(h) && !h.startsWith('x-ratelimit'))
    .sort()
    .map((h) => (h === 'content-type' ? `${h}: ${String(res.headers[h])}` : h));
  return { status: res.status, headers, body: parsed };
}

/** Everything an administrator can read of a council, for before/after comparison. */
async function snapshot(admin: Client, councilId: string) {
  const base = `/councils/${councilId}`;
  const read = async (url: string) => {
    const res = await admin.get(url);
    if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}`);
    return { etag: res.headers.etag, body: res.body as unknown };
  };
  const lists = ['sites', 'posts', 'income-streams', 'areas', 'outcomes', 'scenarios', 'api-keys', 'audit-events'];
  const snap: Record<string, { etag: unknown; body: unknown }> = {
    council: await read(base),
    network: await read(`${base}/network?asOf=2026-06-01`),
    evaluation: await read(`${base}/network/evaluation`),
  };
  for (const list of lists) snap[list] = await read(`${base}/${list}?limit=500`);
  return snap;
}

t.test("A council's key reaches only that council's data: every route answers 404 for another council's ids (no leak of existence)", async (t) => {
  const app = await testApp(t);
  await app.ready();
  const admin = client(app);
  const a = await seedNetwork(admin, 'Alphashire');
  const b = await seedNetwork(admin, 'Betashire');
  const bReadOnlyKey = (await admin.post(`/councils/${b.councilId}/api-keys`, { name: 'B dashboard', readOnly: true })).body.key as string;
  const councilsBefore = (await admin.get('/councils?limit=500')).body.items;
  const before = await snapshot(admin, a.councilId);
  t.ok((before['audit-events']!.body as { items: unknown[] }).items.length >= 9, "A's writes are in its audit trail");

  const operations = listOperations(app);
  t.ok(operations.length >= 40, `${operations.length} operations in the document`);
  const known = new Set(operations.map((op) => op.operationId));
  for (const id of [...Object.keys(withoutCouncil), ...Object.keys(bodyOverrides)]) t.ok(known.has(id), `${id} is still an operation`);

  const aPath = pathIdsOf(a);
  const aBody = bodyIdsOf(a);
  const bPath = pathIdsOf(b);
  const everythingOfA = [
    a.code,
    'Alphashire',
    a.councilId,
    a.hubId,
    a.spokeId,
    a.standaloneId,
    a.postId,
    a.incomeStreamId,
    a.areaId,
    a.outcomeId,
    a.scenarioId,
    a.keyId,
  ];
  const leaksOfA = (text: string) => everythingOfA.filter((s) => text.includes(s));
  let requests = 0;

  for (const op of operations) {
    const namesCouncil = op.pathParams.some((p) => p.name === 'councilId');
    for (const p of op.pathParams) t.ok(p.name in aPath || p.schema.enum, `${op.operationId}: path parameter {${p.name}} is one the walk can fill`);

    if (!namesCouncil) {
      const expected = withoutCouncil[op.operationId];
      if (!expected) {
        t.fail(`${op.operationId} names no council and is not in withoutCouncil: decide what another council's key should get`);
        continue;
      }
      const res = await send(app, op, b.key, {}, aBody);
      requests += 1;
      t.equal(res.status, expected.status, `${op.operationId} with B's key: ${expected.why}`);
      t.same(leaksOfA(res.body), [], `${op.operationId}: nothing of A in the answer`);
      if (res.status >= 400) t.same(problemIssues(res, res.url.split('?')[0]!), [], `${op.operationId}: a problem answer`);
      continue;
    }

    await t.test(`${op.method} ${op.path} (${op.operationId})`, async (t) => {
      // Sends the operation with A's ids and with ids that name nothing: the two answers must be the same
      // but for the ids, and carry nothing of A that the request did not.
      const compare = async (key: string, path: Record<string, string>, body: Record<string, string>) => {
        const [rPath, rBody] = freshIds(Object.fromEntries(Object.entries(path).filter(([, id]) => everythingOfA.includes(id))), body);
        const onA = await send(app, op, key, path, body);
        const onNothing = await send(app, op, key, { ...path, ...rPath }, rBody);
        requests += 2;
        t.ok(onA.status >= 400 && onA.status < 500, `a 4xx (got ${onA.status})`);
        t.same(problemIssues(onA, onA.url.split('?')[0]!), [], 'a problem answer');
        const seen = normalised(onA, path, body);
        t.same(seen, normalised(onNothing, { ...path, ...rPath }, rBody), "A's ids answer exactly as ids that name nothing");
        t.same(leaksOfA(JSON.stringify(seen)), [], 'nothing of A beyond what was sent');
        return onA;
      };

      // 1. A's council and ids, with each of B's keys: a 404.
      t.equal((await compare(b.key, aPath, aBody)).status, 404, "B's key on A's council: 404");
      t.equal((await compare(bReadOnlyKey, aPath, aBody)).status, 404, "B's read-only key on A's council: 404, not 403");

      // 2. B's own council with A's ids in the path, then B's ids with A's ids in the body. Operations
      //    that would carry no id of A are B's own business and are not sent.
      const mixedPath = { ...aPath, councilId: b.councilId };
      const aInPath = op.pathParams.some((p) => p.name !== 'councilId' && p.name in aPath);
      const aInBody = leaksOfA(JSON.stringify([bodyFor(op, aBody)?.payload, requiredQuery(op, aBody)])).length > 0;
      if (aInPath) t.equal((await compare(b.key, mixedPath, aBody)).status, 404, "A's ids under B's council: 404");
      if (aInBody) {
        const res = await compare(b.key, bPath, aBody);
        t.ok([404, 422].includes(res.status), `B's ids with A's ids in the body or query: 404 or 422 (got ${res.status})`);
      }
    });
  }

  const asB = client(app, bearer(b.key));
  t.same(
    (await asB.get('/councils')).body.items.map((c: { id: string }) => c.id),
    [b.councilId],
    "B's key lists only B",
  );
  t.same((await asB.get(`/councils?code=${a.code}`)).body.items, [], "B's key cannot find A by its code");

  // Nothing of A was read into B or changed: every list, the network, its evaluation and the audit trail.
  const after = await snapshot(admin, a.councilId);
  for (const key of Object.keys(before)) t.same(after[key], before[key], `A's ${key} unchanged`);
  t.same((await admin.get('/councils?limit=500')).body.items, councilsBefore, 'no council created, changed or deleted');
  t.equal((await client(app, bearer(a.key)).get(`/councils/${a.councilId}/sites`)).status, 200, "A's own key still works");

  // The design choice behind the 404s: the council boundary comes before "administrators only" and
  // "read-only", so no 403 ever confirms that another council exists; on its own council the same key gets the 403.
  const bReader = client(app, bearer(bReadOnlyKey));
  t.equal((await bReader.delete(`/councils/${a.councilId}`)).status, 404, "deleting A (admin-only) with B's read-only key: 404");
  t.equal((await bReader.delete(`/councils/${b.councilId}`)).status, 403, 'deleting its own council: 403, administrators only');
  t.equal((await bReader.patch(`/councils/${b.councilId}`, { name: 'x' })).status, 403, 'writing its own council: 403, read-only');
  t.equal((await client(app, bearer('cnk_unknown')).get(`/councils/${a.councilId}`)).status, 401, 'an unknown key: 401, before any council is looked up');

  // Control: the same requests from an administrator succeed, so B's 404s are the council boundary, not
  // bad requests. Deletes go last, the council's own last of all.
  const ordered = [...operations.filter((op) => op.method !== 'DELETE'), ...operations.filter((op) => op.method === 'DELETE').reverse()];
  for (const op of ordered) {
    const res = await send(app, op, testAdminKey, aPath, aBody);
    requests += 1;
    const ok = res.status >= 200 && res.status < 300;
    t.ok(ok, `control: ${op.operationId} as an administrator on A: ${res.status} ${ok ? '' : res.body.slice(0, 300)}`);
  }
  t.ok(requests > 200, `${requests} requests in the walk`);
});
