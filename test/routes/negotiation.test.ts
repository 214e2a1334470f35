import { parse } from 'csv-parse/sync';
import t from 'tap';
import { client, createCouncil } from '../helpers/api.js';
import { testApp } from '../helpers/app.js';

// One app and database for the file: each test works in a council of its own.
const app = await testApp(t);

t.test('content negotiation: q-values, Vary: Accept, 406, and CSV at paths of its own', async (t) => {
  const api = client(app);
  const councilId = await createCouncil(api);
  const base = `/councils/${councilId}`;

  const preferJson = await api.get(`${base}/network`, { accept: 'text/csv;q=0, application/json' });
  t.equal(preferJson.status, 200, 'text/csv;q=0 refuses CSV; JSON is acceptable');
  t.match(preferJson.headers['content-type'], /^application\/json/);
  t.match(preferJson.headers.vary, /\bAccept\b/, 'the answer varies with Accept, and says so');

  const weighted = await api.get(`${base}/network`, { accept: 'text/csv, application/json;q=0.5' });
  t.equal(weighted.status, 200, 'a lower q-value is still acceptable');
  t.match(weighted.headers['content-type'], /^application\/json/);

  for (const accept of ['text/csv', 'application/geo+json', 'application/json;q=0', 'image/png']) {
    const refused = await api.get(`${base}/network`, { accept });
    t.equal(refused.status, 406, `Accept: ${accept} on a JSON operation`);
    t.match(refused.headers['content-type'], /^application\/problem\+json/);
    t.equal(refused.body.type, 'https://centre-network.example/problems/not-acceptable');
    t.match(refused.body.detail, /application\/json/, 'the problem names what the operation answers');
    t.match(refused.headers.vary, /\bAccept\b/);
  }

  const csv = await api.get(`${base}/network.csv`, { accept: 'text/csv' });
  t.equal(csv.status, 200);
  t.match(csv.headers['content-type'], /^text\/csv/);
  t.match(csv.headers.vary, /\bAccept\b/);
  t.equal((await api.get(`${base}/network.csv`, { accept: 'application/json' })).status, 406, 'the CSV path answers CSV only');
  t.equal((await api.get(`${base}/network.csv`, { accept: '*/*' })).status, 200);
  t.equal((await api.get(`${base}/network.csv`, { accept: 'text/*' })).status, 200);
  t.equal((await api.get(`${base}/network.geojson`, { accept: 'application/geo+json' })).status, 200);
  t.equal((await api.get(`${base}/network`)).status, 200, 'no Accept header: anything goes');
  // A browser's Accept takes JSON through */*.
  t.equal((await api.get(`${base}/network`, { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' })).status, 200);
  // Problems are problem+json whatever Accept asks for: an error is never held back for want of a type.
  const missing = await api.get(`/councils/${crypto.randomUUID()}/network.csv`, { accept: 'text/csv' });
  t.equal(missing.status, 404);
  t.match(missing.headers['content-type'], /^application\/problem\+json/);
});

t.test('the evaluation as CSV: byte-order mark, pounds beside pence, ISO dates, reach, warnings, line items, no formulas', async (t) => {
  const api = client(app);
  const councilId = await createCouncil(api);
  const base = `/councils/${councilId}`;
  const hub = (await api.post(`${base}/sites`, { name: 'Hub', role: 'hub', lat: 53.44, lon: -2.93, services: ['antenatal'] })).body;
  const centre = (
    await api.post(`${base}/sites`, {
      name: '=HYPERLINK("http://evil.example","Café")',
      role: 'standalone',
      lat: 53.5,
      lon: -2.93,
      annualPremisesCostPence: 400_005,
      services: ['antenatal'],
    })
  ).body;
  await api.post(`${base}/posts`, { siteId: centre.id, title: 'Centre manager', kind: 'management', fte: 1.2, annualCostPerFtePence: 4_000_000 });
  await api.post(`${base}/areas`, { code: 'E01000001', name: 'Near centre', lat: 53.5, lon: -2.93, under5Population: 120, deprivationDecile: 1 });
  await api.post(`${base}/areas`, { code: 'E01000002', name: 'Near hub', lat: 53.44, lon: -2.93, under5Population: 80, deprivationDecile: 5 });
  const scenario = await api.post(`${base}/scenarios`, {
    name: 'Close the centre',
    parameters: { startDate: '2027-04-01' },
    actions: [{ type: 'close_site', siteId: centre.id }],
  });
  t.equal(scenario.status, 201);
  t.equal(hub.role, 'hub');

  const res = await api.get(`${base}/scenarios/${scenario.body.id}/evaluation.csv`);
  t.equal(res.status, 200);
  t.match(res.headers['content-type'], /^text\/csv; charset=utf-8/);
  t.match(res.headers['content-disposition'], /attachment; filename="evaluation.csv"/);
  const text = String(res.body);
  t.ok(text.startsWith('\uFEFF'), 'a UTF-8 byte-order mark, so that Excel reads the names right');
  const rows = parse(text, { bom: true, columns: true }) as Record<string, string>[];
  const row = (section: string, item: string) => rows.find((r) => r.section === section && r.item === item);

  const premises = row('annual', 'premises')!;
  t.equal(premises.baselinePence, '400005');
  t.equal(premises.baselinePounds, '4000.05', 'pounds beside pence, exactly');
  t.equal(premises.scenarioPence, '0');
  t.equal(premises.differencePence, '-400005');
  t.equal(premises.differencePounds, '-4000.05');

  const year1 = row('cash_flow', 'year_1')!;
  t.equal(year1.startDate, '2027-04-01', 'ISO dates in columns of their own');
  t.equal(year1.endDate, '2028-03-31');

  t.equal(row('reach', 'reachedUnder5s')!.baseline, '200', 'reach before');
  t.equal(row('reach', 'reachedUnder5s')!.scenario, '80', 'and after');
  t.equal(row('reach', 'reachedUnder5s')!.difference, '-120');
  t.ok(row('reach', 'deprivedReachShare'), 'the deprived reach share too');

  const consultation = row('warning', 'consultation_required')!;
  t.ok(consultation, 'warnings are rows');
  t.equal(consultation.sourceType, 'site');
  t.equal(consultation.sourceId, centre.id);
  t.ok(row('warning', 'service_lost'));

  const staff = rows.find((r) => r.section === 'line_item' && r.item === 'staff' && r.description === 'Centre manager')!;
  t.equal(staff.baselinePence, '4800000', '1.2 FTE × £40,000');
  t.equal(staff.baselinePounds, '48000.00');
  t.equal(staff.sourceType, 'post');

  const premisesItem = rows.find((r) => r.section === 'line_item' && r.item === 'premises')!;
  t.equal(premisesItem.description, '\'=HYPERLINK("http://evil.example","Café")', 'a name that looks like a formula is made inert');
  t.equal(premisesItem.sourceId, centre.id);
});
