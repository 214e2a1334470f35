import t from 'tap';
import { client, createCouncil } from '../helpers/api.js';
import { testApp } from '../helpers/app.js';

t.test('comparisons: closure against hub-and-spoke, side by side, as JSON and CSV', async (t) => {
  const app = await testApp(t);
  const api = client(app);
  const councilId = await createCouncil(api);
  const base = `/councils/${councilId}`;
  const site = async (body: Record<string, unknown>) => (await api.post(`${base}/sites`, { lon: -2.93, ...body })).body;
  const hub = await site({ name: 'Hub', role: 'hub', lat: 53.44, services: ['antenatal'] });
  const centre = await site({ name: 'Centre', role: 'standalone', lat: 53.47, annualPremisesCostPence: 4_000_000, services: ['antenatal'] });
  await api.post(`${base}/posts`, { siteId: centre.id, title: 'Manager', kind: 'management', fte: 1, annualCostPerFtePence: 5_000_000 });
  await api.post(`${base}/posts`, { siteId: hub.id, title: 'Manager', kind: 'management', fte: 1, annualCostPerFtePence: 5_000_000 });
  await api.post(`${base}/areas`, { code: 'E01000001', name: 'By the centre', lat: 53.47, lon: -2.93, under5Population: 100, deprivationDecile: 1 });
  await api.post(`${base}/areas`, { code: 'E01000002', name: 'By the hub', lat: 53.44, lon: -2.93, under5Population: 100, deprivationDecile: 6 });
  const scenario = async (name: string, actions: unknown[]) =>
    (await api.post(`${base}/scenarios`, { name, parameters: { startDate: '2027-04-01' }, actions })).body.id as string;
  const close = await scenario('Close the centre', [{ type: 'close_site', siteId: centre.id }]);
  const spoke = await scenario('Make it a spoke', [{ type: 'make_spoke', siteId: centre.id, hubId: hub.id }]);
  const nothing = await scenario('Do nothing', []);

  const res = await api.post(`${base}/comparisons`, { scenarioIds: [close, spoke, nothing] });
  t.equal(res.status, 200);
  const rows = new Map(res.body.rows.map((row: { optionId: string }) => [row.optionId, row]));
  t.equal(res.body.rows.length, 4, 'three options and the baseline');
  const closeRow = rows.get(close) as Record<string, any>;
  const spokeRow = rows.get(spoke) as Record<string, any>;
  const nothingRow = rows.get(nothing) as Record<string, any>;
  // Closing saves 4,000,000 premises + 5,000,000 manager; the spoke saves the manager less 0.2 FTE at the hub (1,000,000).
  t.equal(closeRow.annualSavingPence, 9_000_000);
  t.equal(spokeRow.annualSavingPence, 4_000_000);
  t.equal(closeRow.under5sNoLongerReached, 100);
  t.equal(spokeRow.under5sNoLongerReached, 0);
  t.equal(closeRow.savingPerUnder5NoLongerReachedPence, 90_000);
  t.same(nothingRow.dominatedBy, [spoke], 'doing nothing saves less than the spoke and reaches no more');
  t.same(spokeRow.dominatedBy, []);
  t.same(closeRow.dominatedBy, [], 'closure saves most, so nothing dominates it');
  t.ok(spokeRow.rank < closeRow.rank, 'options that lose nobody rank first');
  t.equal(closeRow.deltas.reachedUnder5s, -100);

  const linked = await api.get(`${base}/comparisons?scenarioIds=${close},${spoke},${nothing}&includeBaseline=false`);
  t.equal(linked.status, 200);
  t.equal(linked.body.rows.length, 3);
  t.same(linked.body.rows.map((r: { optionId: string }) => r.optionId).sort(), [close, spoke, nothing].sort());

  const csv = await api.post(`${base}/comparisons.csv`, { scenarioIds: [close, spoke] });
  t.equal(csv.status, 200);
  t.match(csv.headers['content-type'], /^text\/csv/);
  const lines = String(csv.body).trimEnd().split('\r\n');
  t.equal(lines.length, 4, 'a header and three rows');
  t.match(lines[0], /annualSavingPence/);

  t.equal((await api.post(`${base}/comparisons`, { scenarioIds: [] })).status, 400);
  t.equal((await api.post(`${base}/comparisons`, { scenarioIds: [close, close] })).status, 400);
  t.equal((await api.get(`${base}/comparisons?scenarioIds=nope`)).status, 400);
  t.equal((await api.post(`${base}/comparisons`, { scenarioIds: [crypto.randomUUID()] })).status, 404);
  // A scenario that no longer applies is named in a 422.
  await api.patch(`${base}/sites/${centre.id}`, { status: 'closed' });
  const stale = await api.post(`${base}/comparisons`, { scenarioIds: [close] });
  t.equal(stale.status, 422);
  t.match(stale.body.detail, /Close the centre/);
});
