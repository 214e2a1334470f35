import { readFile } from 'node:fs/promises';
import { eq } from 'drizzle-orm';
import t from 'tap';
import { buildApp } from '../../src/app.js';
import { idempotencyRecords } from '../../src/db/schema.js';
import { bearer, client, createCouncil } from '../helpers/api.js';
import { testAdminKey, testApp, testDatabase, testEvaluations } from '../helpers/app.js';

// One database for the file (each test works in a council of its own); each test has an app of its own.
const database = await testDatabase(t);

const fixture = (path: string) => readFile(new URL(`../../fixtures/${path}`, import.meta.url));

t.test('CSV imports: all or nothing, with a row-level report', async (t) => {
  const app = await testApp(t, { database });
  const api = client(app);
  const councilId = await createCouncil(api, 'Liverpool');
  const base = `/councils/${councilId}`;
  const upload = async (kind: string, body: string | Buffer, query = '') => {
    const res = await app.inject({
      method: 'POST',
      url: `${base}/imports/${kind}${query}`,
      headers: { ...bearer(testAdminKey), 'content-type': 'text/csv' },
      payload: body,
    });
    return { status: res.statusCode, body: res.json() };
  };

  await t.test('sites from our template, with spokes naming hubs later in the file', async (t) => {
    const csv = [
      'name,urn,role,hubUrn,hubName,status,lat,lon,postcode,address,openingHoursPerWeek,services,annualPremisesCostPence,annualRunningCostPence',
      'Spoke one,,spoke,,Hub one,open,53.45,-2.93,L11 2RY,"Ellergreen Road, Liverpool",20,stay_and_play;antenatal,100,200',
      'Hub one,,hub,,,open,53.44,-2.93,L11 1DQ,"Utting Avenue East,\nNorris Green",45,antenatal,1000,2000',
    ].join('\n');
    const dry = await upload('sites', csv, '?dryRun=true');
    t.equal(dry.status, 200);
    t.equal(dry.body.applied, false);
    t.equal(dry.body.created, 2);
    t.equal((await api.get(`${base}/sites`)).body.items.length, 0, 'a dry run writes nothing');

    const done = await upload('sites', csv);
    t.equal(done.status, 200);
    t.same([done.body.created, done.body.updated], [2, 0]);
    const listed = (await api.get(`${base}/sites`)).body.items;
    const hub = listed.find((s: { name: string }) => s.name === 'Hub one');
    const spoke = listed.find((s: { name: string }) => s.name === 'Spoke one');
    t.equal(spoke.hubId, hub.id);
    t.equal(hub.address, 'Utting Avenue East,\nNorris Green', 'quoted newlines survive');
    t.same(spoke.services, ['stay_and_play', 'antenatal']);

    const again = await upload('sites', csv.replace(',20,', ',25,'));
    t.same([again.body.created, again.body.updated], [0, 2], 'a re-import updates, never duplicates');
    t.equal((await api.get(`${base}/sites`)).body.items.length, 2);
    t.equal((await api.get(`${base}/sites/${spoke.id}`)).body.openingHoursPerWeek, 25);
  });

  await t.test("the DfE register's Windows-1252 file with British National Grid coordinates", async (t) => {
    const file = await fixture('register-sample-1252.csv');
    const res = await upload('sites', file);
    t.equal(res.status, 200, JSON.stringify(res.body).slice(0, 300));
    t.equal(res.body.report.format, 'dfe-register');
    t.equal(res.body.report.encoding, 'windows-1252');
    const sites = (await api.get(`${base}/sites?limit=500`)).body.items;
    const ellergreen = sites.find((s: { urn: string }) => s.urn === '999001');
    t.equal(ellergreen.name, 'Formerly Ellergreen Children’s Centre', 'the curly apostrophe decoded from Windows-1252');
    // Published postcode centroid of L11 2RY: 53.444919, -2.919463 (shared/data); BNG 339027, 394633 rounds to the metre.
    t.ok(Math.abs(ellergreen.lat - 53.444919) < 0.0001 && Math.abs(ellergreen.lon - -2.919463) < 0.0001, `${ellergreen.lat}, ${ellergreen.lon}`);
    const reimport = await upload('sites', file);
    t.equal(reimport.body.created, 0, 'upserts by URN');
  });

  await t.test('one bad row among many imports nothing', async (t) => {
    const header = 'code,name,lat,lon,under5Population,deprivationDecile,idaciDecile';
    const rows = Array.from({ length: 300 }, (_, i) => `E0110${String(i).padStart(4, '0')},Area ${i},53.4,-2.9,${i},${(i % 10) + 1},`);
    rows[150] = 'E01100150,Area 150,53.4,-2.9,-5,11,';
    rows[299] = 'not-a-code,Area 299,53.4,-2.9,10,1,';
    const res = await upload('areas', [header, ...rows].join('\n'));
    t.equal(res.status, 422);
    t.equal(res.body.report.invalidRows, 2);
    t.equal(res.body.report.validRows, 298);
    const lines = res.body.report.errors.map((e: { line: number; column: string }) => `${e.line}:${e.column}`);
    t.same(lines.sort(), ['152:deprivationDecile', '152:under5Population', '301:code'].sort());
    t.equal((await api.get(`${base}/areas`)).body.items.length, 0, 'nothing was written');
    rows[150] = 'E01100150,Area 150,53.4,-2.9,5,1,';
    rows[299] = 'E01100299,Area 299,53.4,-2.9,10,1,';
    const fixed = await upload('areas', [header, ...rows].join('\n'));
    t.equal(fixed.status, 200);
    t.equal(fixed.body.created, 300);
    const reimport = await upload('areas', [header, ...rows].join('\n'));
    t.same([reimport.body.created, reimport.body.updated], [0, 300]);
  });

  await t.test("posts replace each named site's establishment; income streams upsert", async (t) => {
    const posts =
      'siteUrn,siteName,title,kind,fte,annualCostPerFtePence\n,Hub one,Manager,management,1,5200000\n,Hub one,Family worker,frontline,2.5,3600000\n';
    const first = await upload('posts', posts);
    t.equal(first.status, 200);
    t.equal(first.body.created, 2);
    const second = await upload('posts', posts);
    t.same([second.body.created, second.body.removed], [2, 2]);
    t.equal((await api.get(`${base}/posts`)).body.items.length, 2, 'a re-import does not duplicate posts');
    const unknown = await upload('posts', 'siteUrn,siteName,title,kind,fte,annualCostPerFtePence\n,Nowhere,Manager,management,1,5200000\n');
    t.equal(unknown.status, 422);
    t.match(unknown.body.report.errors[0], { column: 'siteName', line: 2 });
    // What the writer finds wrong (no such site, line 2) falls in among the file's own bad rows (a bad cell;
    // a short row, not the last, so that it is read with the others) in the file's order, though rows are
    // read and written in batches; past it, rows are only read for the report (line 4's site is not listed).
    const mixed = await upload(
      'posts',
      [
        'siteUrn,siteName,title,kind,fte,annualCostPerFtePence',
        ',Nowhere,Manager,management,1,5200000',
        ',Hub one,Cook,frontline,lots,100',
        ',Elsewhere,Cook,frontline,1,100',
        ',Hub one,Cook',
        ',Hub one,Cook,frontline,1,100',
      ].join('\n'),
    );
    t.equal(mixed.status, 422);
    t.same(
      mixed.body.report.errors.map((e: { line: number; column: string | null }) => [e.line, e.column]),
      [
        [2, 'siteName'],
        [3, 'fte'],
        [5, null],
      ],
    );

    const income =
      'partner,kind,annualValuePence,startDate,endDate,siteUrn,siteName,requiresSiteOpen\nNHS trust,health_contract,15000000,2026-04-01,2029-03-31,,Hub one,yes\n';
    t.equal((await upload('income-streams', income)).body.created, 1);
    const updated = await upload('income-streams', income.replace('15000000', '16000000'));
    t.same([updated.body.created, updated.body.updated], [0, 1]);
    t.equal((await api.get(`${base}/income-streams`)).body.items[0].annualValuePence, 16_000_000);
  });

  await t.test('areas built from the ONS and MHCLG files shipped in the repository, in one call', async (t) => {
    const res = await api.post(`${base}/imports/areas/ons`, { localAuthorityCode: 'E08000012' });
    t.equal(res.status, 200, JSON.stringify(res.body).slice(0, 300));
    t.equal(res.body.report.validRows, 302, "Liverpool's 302 LSOAs (2021)");
    const decile1 = await api.get(`${base}/areas?deprivationDecile=1&limit=500`);
    t.ok(decile1.body.items.length > 100, 'Liverpool has many of the most deprived LSOAs');
    const wales = await api.post(`${base}/imports/areas/ons`, { localAuthorityCode: 'E99999999' });
    t.equal(wales.status, 422);
    t.match(wales.body, { errors: [{ path: '/localAuthorityCode', message: /E99999999 is not a local-authority district code/ }] });
  });

  await t.test('templates and bad requests', async (t) => {
    for (const kind of ['sites', 'areas', 'posts', 'income-streams']) {
      const res = await api.get(`${base}/imports/templates/${kind}.csv`);
      t.equal(res.status, 200);
      t.match(res.headers['content-type'], /^text\/csv/);
      t.equal(String(res.body).trim().split('\n').length, 2, 'a header and an example row');
    }
    t.equal((await api.get(`${base}/imports/templates/other.csv`)).status, 400);
    const json = await api.post(`${base}/imports/sites`, { name: 'x' });
    t.equal(json.status, 415);
    const empty = await upload('sites', '');
    t.equal(empty.status, 422);
    const badHeader = await upload('sites', 'foo,bar\n1,2\n');
    t.equal(badHeader.status, 422);
  });
});

t.test('Idempotency-Key on a CSV import: a retry of the same file replays, another file under the key is refused', async (t) => {
  const app = await testApp(t, { database });
  // Before the answer leaves (app hooks run before the route's own): is it already kept?
  const keptBeforeAnswering: (number | null)[] = [];
  app.addHook('onSend', async (request) => {
    const key = request.headers['idempotency-key'];
    if (key !== 'import-1' || request.headers['x-check'] !== 'kept') return;
    const [record] = await app.db.select().from(idempotencyRecords).where(eq(idempotencyRecords.key, key));
    keptBeforeAnswering.push(record?.responseStatus ?? null);
  });
  const api = client(app);
  const councilId = await createCouncil(api);
  // Over real HTTP: the body is then a socket's stream (inject's stands in for one too kindly: a body
  // hashed as JSON used to be a 500 here, and passed under inject).
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  const upload = async (csv: string, key: string, extra: Record<string, string> = {}) => {
    const response = await fetch(`${base}/councils/${councilId}/imports/sites`, {
      method: 'POST',
      headers: { ...bearer(testAdminKey), 'content-type': 'text/csv', 'idempotency-key': key, ...extra },
      body: csv,
    });
    return { statusCode: response.status, headers: Object.fromEntries(response.headers), body: await response.text() };
  };
  const header = 'name,postcode,role,lat,lon';
  const file = [header, 'Hub one,L11 1DQ,hub,53.44,-2.93'].join('\n');
  const first = await upload(file, 'import-1', { 'x-check': 'kept' });
  t.equal(first.statusCode, 200);
  t.same(keptBeforeAnswering, [200], 'an applied import keeps its answer in its own transaction');
  const retry = await upload(file, 'import-1');
  t.equal(retry.statusCode, 200);
  t.equal(retry.headers['idempotent-replayed'], 'true', 'the same file replays the first answer');
  t.equal(retry.body, first.body);
  t.equal((await upload([header, 'Hub two,L11 2RY,hub,53.45,-2.93'].join('\n'), 'import-1')).statusCode, 422, 'another file under the same key');
  t.equal((await api.get(`/councils/${councilId}/sites`)).body.items.length, 1, 'imported once');
  // A refused file is read to its end (to report every bad row): its answer replays like any other.
  const badFile = [header, 'Hub two,L11 2RY,castle,53.45,-2.93'].join('\n');
  t.equal((await upload(badFile, 'import-2')).statusCode, 422);
  const badAgain = await upload(badFile, 'import-2');
  t.equal(badAgain.statusCode, 422);
  t.equal(badAgain.headers['idempotent-replayed'], 'true');
});

t.test('areas from ONS files this server does not have: a 409 saying so', async (t) => {
  const app = await buildApp({ database, adminApiKey: testAdminKey, rateLimitPerMinute: 1_000_000, onsDataDir: '/nowhere', evaluations: testEvaluations() });
  t.teardown(() => app.close());
  const api = client(app);
  const councilId = await createCouncil(api, 'Nowhereshire');
  const res = await api.post(`/councils/${councilId}/imports/areas/ons`, { localAuthorityCode: 'E08000012' });
  t.equal(res.status, 409);
  t.match(res.body, { type: /conflict$/, detail: /not installed on this server \(see ONS_DATA_DIR\)/ });
});
