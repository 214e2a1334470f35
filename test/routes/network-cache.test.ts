// The council networks kept in memory (src/db/network-cache.ts) never serve a change late to the caller
// who made it, and serve changes made elsewhere (SQL by hand, another instance) once the database's
// notice arrives; while the notices are not coming nothing is kept, and a read that a notice overtakes
// is not kept either. On PGlite by default, on PostgreSQL with DATABASE_URL.
import { setTimeout as sleep } from 'node:timers/promises';
import { eq } from 'drizzle-orm';
import t from 'tap';
import type { Database, ListenHandlers } from '../../src/db/client.js';
import { NetworkCache } from '../../src/db/network-cache.js';
import { councils, sites } from '../../src/db/schema.js';
import { client, createCouncil } from '../helpers/api.js';
import { testApp, testDatabase } from '../helpers/app.js';
import { eventually, twoInstances } from '../helpers/instances.js';

// The tests after the first share one database and one app, each in a council of its own (the first has
// two instances of its own).
const database = await testDatabase(t);
const app = await testApp(t, { database });

t.test('reads see every write: the caller’s own at once, SQL typed by hand and other instances once notified', async (t) => {
  const { database, appA, appB } = await twoInstances(t);
  const [a, b] = [client(appA), client(appB)];
  t.ok(appA.networkCache.trusted && appB.networkCache.trusted, 'both instances listen for change notices');

  const councilId = await createCouncil(a);
  const base = `/councils/${councilId}`;
  const hub = await a.post(`${base}/sites`, { name: 'Hub', role: 'hub', lat: 53.44, lon: -2.93 });
  const siteUrl = `${base}/sites/${hub.body.id}`;
  t.equal((await b.get(siteUrl)).body.name, 'Hub', 'B reads it (and keeps the network)');
  t.equal((await a.get(siteUrl)).body.name, 'Hub', 'A keeps the network too');

  // The writer reads its own write at once, with no notice awaited.
  await a.patch(siteUrl, { name: 'Hub renamed by A' });
  t.equal((await a.get(siteUrl)).body.name, 'Hub renamed by A', 'A reads its own change at once');
  const seenByB = await eventually(
    () => b.get(siteUrl),
    (res) => res.body.name === 'Hub renamed by A',
  );
  t.equal(seenByB.body.name, 'Hub renamed by A', 'B reads it once the notice arrives');
  t.equal(seenByB.headers.etag, '"2"', 'with its new version');

  // A fix typed in SQL: no service involved; the trigger notifies all the same.
  await database.db.update(sites).set({ name: 'Hub fixed in SQL' }).where(eq(sites.id, hub.body.id));
  for (const [label, api] of [
    ['A', a],
    ['B', b],
  ] as const) {
    const read = await eventually(
      () => api.get(siteUrl),
      (res) => res.body.name === 'Hub fixed in SQL',
    );
    t.equal(read.body.name, 'Hub fixed in SQL', `${label} reads the SQL fix`);
    const list = await api.get(`${base}/sites?role=hub`);
    t.same(
      list.body.items.map((site: { name: string }) => site.name),
      ['Hub fixed in SQL'],
      `${label} lists it`,
    );
    const network = await api.get(`${base}/network`);
    t.equal(network.body.sites[0].name, 'Hub fixed in SQL', `${label} shows it in the network`);
  }

  // A site added by hand counts in the next evaluation.
  const before = await a.get(`${base}/network/evaluation`);
  await database.db.insert(sites).values({ councilId, name: 'Centre added in SQL', role: 'standalone', lat: 53.41, lon: -2.95 });
  const after = await eventually(
    () => a.get(`${base}/network/evaluation`),
    (res) => res.body.figures.sites.total !== before.body.figures.sites.total,
  );
  t.equal(after.body.figures.sites.openByRole.standalone, before.body.figures.sites.openByRole.standalone + 1, 'the evaluation counts the new centre');

  // Renaming the council shows in the network read.
  await database.db.update(councils).set({ name: 'Renamed by hand' }).where(eq(councils.id, councilId));
  const renamed = await eventually(
    () => b.get(`${base}/network`),
    (res) => res.body.council.name === 'Renamed by hand',
  );
  t.equal(renamed.body.council.name, 'Renamed by hand', 'the council’s new name is read');
});

t.test('while change notices are not coming nothing is kept, nor a read that a notice overtakes', async (t) => {
  const api = client(app);
  const councilId = await createCouncil(api);
  const hub = await api.post(`/councils/${councilId}/sites`, { name: 'Hub', role: 'hub', lat: 53.44, lon: -2.93 });

  // A cache whose notices the test controls: none arrive unless the test sends them.
  let handlers: ListenHandlers | undefined;
  const silent: Pick<Database, 'listen'> = {
    listen: async (_channel, given) => {
      handlers = given;
      given.onListening();
      return async () => {};
    },
  };
  const cache = new NetworkCache(database);
  await cache.start(silent);
  const siteName = async () => (await cache.load(councilId))!.sites[0]!.name;
  const rename = (name: string) => database.db.update(sites).set({ name }).where(eq(sites.id, hub.body.id));

  t.equal(await siteName(), 'Hub');
  await rename('Renamed, notice lost');
  t.equal(await siteName(), 'Hub', 'listening, the kept network is served without asking (the notice never came)');
  handlers!.onNotice(councilId);
  t.equal(await siteName(), 'Renamed, notice lost', 'a notice makes it read again');

  const overtaken = cache.load(councilId);
  handlers!.onNotice(councilId);
  const read = await overtaken;
  t.not(await cache.load(councilId), read, 'a read that a notice overtook is not kept');
  const keptAfter = await cache.load(councilId);
  t.equal(await cache.load(councilId), keptAfter, 'the next read is kept');

  handlers!.onLost();
  t.notOk(cache.trusted, 'not trusted once listening is lost');
  await rename('Renamed by hand while not listening');
  t.equal(await siteName(), 'Renamed by hand while not listening', 'not listening, a change is read at once');
  await rename('Renamed again');
  t.equal(await siteName(), 'Renamed again', 'and the next one');
  const unkept = await cache.load(councilId);
  t.not(await cache.load(councilId), unkept, 'nothing is kept');
  const overtakenByListening = cache.load(councilId);
  handlers!.onListening();
  t.ok(cache.trusted);
  const readAcross = await overtakenByListening;
  t.not(await cache.load(councilId), readAcross, 'a read begun before listening started is not kept');
  const keptListening = await cache.load(councilId);
  t.equal(await cache.load(councilId), keptListening, 'listening again, the network is kept');

  t.equal(await cache.load('00000000-0000-4000-8000-000000000000'), undefined, 'an unknown council has no network');
});

t.test('writes that leave the network as it is keep it in memory, and the evaluations made on it', async (t) => {
  const api = client(app);
  const councilId = await createCouncil(api);
  const base = `/councils/${councilId}`;
  const hub = (await api.post(`${base}/sites`, { name: 'Hub', role: 'hub', lat: 53.44, lon: -2.93 })).body;
  // On PostgreSQL the hub's own notice comes a moment after its write, and forgets the network once more.
  await sleep(300);
  const kept = await app.networkCache.load(councilId);
  t.ok(kept);
  const scenario = await api.post(`${base}/scenarios`, { name: 'Shorter hours', actions: [{ type: 'change_hours', siteId: hub.id, openingHoursPerWeek: 20 }] });
  t.equal(scenario.status, 201);
  await api.patch(`${base}/scenarios/${scenario.body.id}`, { description: 'Hub on 20 hours' });
  const comparison = await api.post(`${base}/comparisons`, { scenarioIds: [scenario.body.id], includeBaseline: true });
  t.equal(comparison.status, 200);
  await api.post(`${base}/api-keys`, { name: 'Reader', readOnly: true });
  await sleep(300); // time for any notice these writes sent
  t.equal(await app.networkCache.load(councilId), kept, 'scenario, comparison and key writes keep the network');
  await api.post(`${base}/sites`, { name: 'Centre', role: 'standalone', lat: 53.41, lon: -2.95 });
  t.not(await app.networkCache.load(councilId), kept, 'a site written forgets it');
});

t.test('a council named in upper case is the same council: its kept network is forgotten on its notices too', async (t) => {
  const api = client(app);
  const councilId = await createCouncil(api);
  const upper = `/councils/${councilId.toUpperCase()}/sites`;
  t.same((await api.get(upper)).body.items, [], 'read (and kept) through the upper-case id');
  await database.db.insert(sites).values({ councilId, name: 'Added in SQL', role: 'standalone', lat: 53.41, lon: -2.95 });
  const read = await eventually(
    () => api.get(upper),
    (res) => res.body.items.length === 1,
  );
  t.same(
    read.body.items.map((site: { name: string }) => site.name),
    ['Added in SQL'],
    'the change is served through the upper-case id',
  );
  t.equal((await api.get(`/councils/${councilId.toUpperCase()}`)).body.id, councilId, 'answered with the id as stored');
});
