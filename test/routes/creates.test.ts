// Creates (src/routes/resource.ts): a create of a network row takes no council lock, so a council's
// creates do not queue behind each other or behind its other writes, and with nothing to check against
// other rows it is one statement that writes the row and its audit event. The concurrent tests hold a
// write open in a transaction of their own, as a slow concurrent request would, and check that the
// network rules still hold; they need PostgreSQL (DATABASE_URL): PGlite runs one transaction at a time.
import { setTimeout as sleep } from 'node:timers/promises';
import { eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import t from 'tap';
import type { Tx } from '../../src/db/client.js';
import { auditEvents, councils, posts, sites } from '../../src/db/schema.js';
import { client, createCouncil, liverpoolHub } from '../helpers/api.js';
import { testApp } from '../helpers/app.js';

const postgresOnly = { skip: !process.env.DATABASE_URL && 'PostgreSQL only: PGlite runs one transaction at a time' };
const unknownCouncil = '00000000-0000-4000-8000-00000000dead';

// One app and database for the file: each test works in a council of its own, and holds locks only on
// its own council's rows.
const app = await testApp(t);

/** A council of the test's own on the file's app. */
async function withCouncil() {
  const api = client(app);
  const councilId = await createCouncil(api);
  return { app, api, councilId, base: `/councils/${councilId}` };
}

/**
 * Runs `hold` in a transaction kept open (its locks held), sends `request` meanwhile, then commits:
 * whether the request was still unanswered after `patienceMs` (it waited for a lock), and its answer.
 * A request that waits for the lock never answers before the commit, so a test that expects no wait
 * gives it long enough that a slow, loaded machine cannot pass for a wait.
 */
async function whileHeldOpen<T>(app: FastifyInstance, hold: (tx: Tx) => Promise<unknown>, request: () => Promise<T>, patienceMs = 400) {
  let commit!: () => void;
  const released = new Promise<void>((resolve) => (commit = resolve));
  let held!: () => void;
  const ready = new Promise<void>((resolve) => (held = resolve));
  const done = app.db.transaction(async (tx) => {
    await hold(tx);
    held();
    await released;
  });
  await Promise.race([ready, done]);
  const answer = request();
  const waited = await Promise.race([answer.then(() => false), sleep(patienceMs).then(() => true)]);
  commit();
  await done;
  return { waited, answer: await answer };
}

t.test('a create in an unknown council is a 404 whichever check fails first, and writes nothing', async (t) => {
  const { app, api, base: home } = await withCouncil();
  const hub = (await api.post(`${home}/sites`, liverpoolHub)).body;
  const base = `/councils/${unknownCouncil}`;
  const attempts = {
    'a standalone site (the foreign key to the council fails)': api.post(`${base}/sites`, { name: 'Centre', role: 'standalone', lat: 53.41, lon: -2.95 }),
    'a spoke (its hub is not a site of that council)': api.post(`${base}/sites`, { name: 'Spoke', role: 'spoke', hubId: hub.id, lat: 53.43, lon: -2.94 }),
    'a post (its site is not a site of that council)': api.post(`${base}/posts`, {
      siteId: hub.id,
      title: 'Manager',
      kind: 'management',
      fte: 1,
      annualCostPerFtePence: 5_000_000,
    }),
    'an income stream with no site': api.post(`${base}/income-streams`, { partner: 'NHS', kind: 'lettings', annualValuePence: 1, startDate: '2026-04-01' }),
    'an area': api.post(`${base}/areas`, { code: 'E01006512', name: 'Liverpool 031A', lat: 53.4058, lon: -2.9693, under5Population: 96, deprivationDecile: 1 }),
  };
  for (const [label, attempt] of Object.entries(attempts)) {
    const res = await attempt;
    t.equal(res.status, 404, label);
    t.equal(res.body.detail, 'The council was not found', `${label}: the problem names the council`);
  }
  const [{ written }] = (await app.db.select({ written: sql<number>`count(*)::int` }).from(auditEvents).where(eq(auditEvents.councilId, unknownCouncil))) as [
    { written: number },
  ];
  t.equal(written, 0, 'nothing was audited for the unknown council');
});

t.test('the audit event of a create holds the row exactly as the create answered it', async (t) => {
  const { api, councilId, base } = await withCouncil();
  // Values the database rounds or keeps to the last digit, dates, arrays, nulls and large sums.
  const hub = await api.post(`${base}/sites`, {
    ...liverpoolHub,
    urn: '20463',
    lat: 53.44253912345678,
    openingHoursPerWeek: 37.555,
    services: ['antenatal', 'stay_and_play'],
    annualPremisesCostPence: 999_999_999_999,
  });
  t.equal(hub.body.openingHoursPerWeek, 37.56, 'the hours as stored (two decimal places)');
  const creates = {
    'a hub (one statement)': hub,
    'a spoke (checked against its hub, in a transaction)': await api.post(`${base}/sites`, {
      name: 'Spoke',
      role: 'spoke',
      hubId: hub.body.id,
      lat: 53.43,
      lon: -2.94,
    }),
    'a standalone site with an Idempotency-Key (its answer kept, in a transaction)': await api.post(
      `${base}/sites`,
      { name: 'Centre', role: 'standalone', lat: 53.41, lon: -2.95 },
      { 'idempotency-key': 'audit-exact-1' },
    ),
    'a post': await api.post(`${base}/posts`, { siteId: hub.body.id, title: 'Manager', kind: 'management', fte: 0.3333, annualCostPerFtePence: 5_000_000 }),
    'an income stream with no site': await api.post(`${base}/income-streams`, {
      partner: 'NHS',
      kind: 'lettings',
      annualValuePence: 1,
      startDate: '2026-04-01',
      endDate: '2029-03-31',
    }),
    'an area': await api.post(`${base}/areas`, {
      code: 'E01006512',
      name: 'Liverpool 031A',
      lat: 53.4058,
      lon: -2.9693,
      under5Population: 96,
      deprivationDecile: 1,
    }),
    'a scenario (under the council’s lock)': await api.post(`${base}/scenarios`, {
      name: 'Shorter hours',
      actions: [{ type: 'change_hours', siteId: hub.body.id, openingHoursPerWeek: 20 }],
    }),
  };
  const events = (await api.get(`/councils/${councilId}/audit-events?limit=100`)).body.items as { resourceId: string; action: string; after: unknown }[];
  for (const [label, created] of Object.entries(creates)) {
    t.equal(created.status, 201, `${label}: created`);
    const event = events.find((candidate) => candidate.resourceId === created.body.id);
    t.match(event, { action: 'create' }, `${label}: has its audit event`);
    t.strictSame(event?.after, created.body, `${label}: whose after is the answer, to the last field and type`);
  }
});

t.test('creates do not wait for a council write in progress, nor for each other', postgresOnly, async (t) => {
  const { app, api, councilId, base } = await withCouncil();
  // What a change, a deletion or an import holds while it runs.
  const created = await whileHeldOpen(
    app,
    (tx) => tx.select().from(councils).where(eq(councils.id, councilId)).for('no key update'),
    () => api.post(`${base}/sites`, { name: 'Centre created meanwhile', role: 'standalone', lat: 53.41, lon: -2.95 }),
    10_000,
  );
  t.notOk(created.waited, 'the create answers while the council is locked');
  t.equal(created.answer.status, 201);

  const many = await Promise.all(
    Array.from({ length: 10 }, (_, index) => api.post(`${base}/sites`, { name: `Centre ${index}`, role: 'standalone', lat: 53.41, lon: -2.95 })),
  );
  t.same(
    many.map((res) => res.status),
    Array(10).fill(201),
    'ten creates at once all land',
  );
  const network = await api.get(`${base}/network`);
  t.equal(network.body.sites.length, 11, 'and the network read next has every one');
});

t.test('a new spoke waits for a hub closing meanwhile, and is refused once it has closed', postgresOnly, async (t) => {
  const { app, api, base } = await withCouncil();
  const hub = (await api.post(`${base}/sites`, liverpoolHub)).body;
  // The hub is closed by a write not yet committed (as a PATCH holds it between its check and commit).
  const { waited, answer: res } = await whileHeldOpen(
    app,
    (tx) => tx.update(sites).set({ status: 'closed' }).where(eq(sites.id, hub.id)),
    () => api.post(`${base}/sites`, { name: 'Spoke', role: 'spoke', hubId: hub.id, lat: 53.43, lon: -2.94 }),
  );
  t.ok(waited, 'the spoke waits for the hub’s change');
  t.equal(res.status, 422, 'then is refused');
  t.match(res.body.errors, [{ path: '/hubId', message: 'the hub named is closed' }]);
  t.equal((await api.get(`${base}/sites?role=spoke`)).body.items.length, 0, 'no spoke was stored');
});

t.test('a hub cannot close while a spoke is being created under it', postgresOnly, async (t) => {
  const { app, api, councilId, base } = await withCouncil();
  const hub = (await api.post(`${base}/sites`, liverpoolHub)).body;
  // A spoke's create between its check of the hub and its commit: the hub is share-locked, the spoke inserted.
  const { waited, answer: res } = await whileHeldOpen(
    app,
    async (tx) => {
      await tx.select().from(sites).where(eq(sites.id, hub.id)).for('share');
      await tx.insert(sites).values({ councilId, name: 'Spoke', role: 'spoke', hubId: hub.id, lat: 53.43, lon: -2.94 });
    },
    () => api.patch(`${base}/sites/${hub.id}`, { status: 'closed' }),
  );
  t.ok(waited, 'closing the hub waits for the spoke’s create');
  t.equal(res.status, 409, 'then is refused: the hub has a spoke');
  t.match(res.body.detail, /1 open spoke/);
  t.equal((await api.get(`${base}/sites/${hub.id}`)).body.status, 'open', 'the hub stays open');
});

t.test('a site cannot be deleted while a post is being created at it', postgresOnly, async (t) => {
  const { app, api, councilId, base } = await withCouncil();
  const site = (await api.post(`${base}/sites`, { name: 'Centre', role: 'standalone', lat: 53.41, lon: -2.95 })).body;
  // A post's create between its check of the site and its commit: the site is share-locked, the post inserted.
  const { waited, answer: res } = await whileHeldOpen(
    app,
    async (tx) => {
      await tx.select().from(sites).where(eq(sites.id, site.id)).for('share');
      await tx.insert(posts).values({ councilId, siteId: site.id, title: 'Manager', kind: 'management', fte: 1, annualCostPerFtePence: 5_000_000 });
    },
    () => api.delete(`${base}/sites/${site.id}`),
  );
  t.ok(waited, 'the delete waits for the post’s create');
  t.equal(res.status, 409, 'then is refused: the site has a post');
  t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
  t.equal((await api.get(`${base}/sites/${site.id}`)).status, 200, 'the site is still there');
});
