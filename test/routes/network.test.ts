import t from 'tap';
import { client, createCouncil } from '../helpers/api.js';
import { testApp } from '../helpers/app.js';

t.test('the whole network in one read, as JSON and as GeoJSON', async (t) => {
  const app = await testApp(t);
  const api = client(app);
  const councilId = await createCouncil(api);
  const base = `/councils/${councilId}`;
  // A hub at Clubmoor and a spoke 0.01° of latitude north (about 1,112 m).
  const hub = (
    await api.post(`${base}/sites`, { name: 'Hub', role: 'hub', lat: 53.44, lon: -2.93, annualPremisesCostPence: 100_000, annualRunningCostPence: 50_000 })
  ).body;
  const spoke = (await api.post(`${base}/sites`, { name: 'Spoke', role: 'spoke', hubId: hub.id, lat: 53.45, lon: -2.93, annualPremisesCostPence: 20_000 }))
    .body;
  await api.post(`${base}/sites`, { name: 'Old centre', role: 'standalone', status: 'closed', lat: 53.4, lon: -2.9, annualPremisesCostPence: 999_999 });
  await api.post(`${base}/posts`, { siteId: hub.id, title: 'Manager', kind: 'management', fte: 1, annualCostPerFtePence: 5_000_000 });
  await api.post(`${base}/posts`, { siteId: spoke.id, title: 'Family worker', kind: 'frontline', fte: 0.5, annualCostPerFtePence: 3_000_001 });
  await api.post(`${base}/income-streams`, {
    partner: 'NHS trust',
    kind: 'health_contract',
    annualValuePence: 300_000,
    startDate: '2020-04-01',
    siteId: spoke.id,
    requiresSiteOpen: true,
  });
  await api.post(`${base}/income-streams`, { partner: 'Ended grant', kind: 'grant', annualValuePence: 77_777, startDate: '2010-04-01', endDate: '2011-03-31' });
  await api.post(`${base}/areas`, { code: 'E01000001', name: 'A', lat: 53.441, lon: -2.93, under5Population: 100, deprivationDecile: 1 });
  await api.post(`${base}/areas`, { code: 'E01000002', name: 'B', lat: 53.5, lon: -2.93, under5Population: 50, deprivationDecile: 7 });

  const res = await api.get(`${base}/network?asOf=2026-06-01`);
  t.equal(res.status, 200);
  const { summary } = res.body;
  t.equal(res.body.sites.length, 3);
  t.equal(res.body.posts.length, 2);
  t.equal(res.body.incomeStreams.length, 2);
  t.same(summary.sites.byRole, { hub: 1, spoke: 1, standalone: 1, venue: 0 });
  t.same(summary.sites.byStatus, { open: 2, closed: 1 });
  // Staff: 1 × 5,000,000 + 0.5 × 3,000,001 = 6,500,000.5 → 6,500,001 (half away from zero).
  t.equal(summary.annualCost.staffPence, 6_500_001);
  t.equal(summary.annualCost.premisesPence, 120_000, 'a closed site costs nothing');
  t.equal(summary.annualCost.runningPence, 50_000);
  t.equal(summary.annualCost.grossCostPence, 6_670_001);
  t.equal(summary.annualIncomePence, 300_000, 'the ended grant does not count');
  t.equal(summary.netCostPence, 6_370_001);
  t.same(summary.staff.fteByKind, { management: 1, frontline: 0.5, admin: 0 });
  t.equal(summary.clusters.length, 1);
  t.equal(summary.clusters[0].spokes[0].siteId, spoke.id);
  t.ok(Math.abs(summary.clusters[0].spokes[0].distanceM - 1112) <= 1, 'spoke-to-hub distance in metres');
  t.equal(summary.areas.under5s, 150);
  t.same(summary.areas.byDeprivationDecile[0], { decile: 1, areas: 1, under5s: 100 });

  {
    const geo = await api.get(`${base}/network.geojson`);
    t.equal(geo.status, 200);
    t.match(geo.headers['content-type'], /^application\/geo\+json/);
    t.equal(geo.body.type, 'FeatureCollection');
    const kinds = geo.body.features.map((f: { properties: { kind: string } }) => f.properties.kind).sort();
    t.same(kinds, ['area', 'area', 'site', 'site', 'site', 'spoke_link']);
    const link = geo.body.features.find((f: { properties: { kind: string } }) => f.properties.kind === 'spoke_link');
    t.same(
      link.geometry,
      {
        type: 'LineString',
        coordinates: [
          [-2.93, 53.45],
          [-2.93, 53.44],
        ],
      },
      '[lon, lat] order',
    );
    const areaB = geo.body.features.find((f: { properties: { code?: string } }) => f.properties.code === 'E01000002');
    t.equal(areaB.properties.nearestOpenSiteId, spoke.id, 'areas carry their nearest open site');
  }
  {
    const csv = await api.get(`${base}/network.csv?asOf=2026-06-01`);
    t.equal(csv.status, 200);
    t.match(csv.headers['content-type'], /^text\/csv/);
    const lines = String(csv.body).trimEnd().split('\r\n');
    t.equal(lines.length, 4, 'a header and a row per site');
    const header = lines[0]!.split(',');
    const spokeRow = lines.find((line) => line.includes(spoke.id))!.split(',');
    const cell = (name: string) => spokeRow[header.indexOf(name)];
    t.equal(cell('hubName'), 'Hub');
    t.equal(cell('annualStaffPence'), '1500001', '0.5 × 3,000,001 rounded half away from zero');
    t.equal(cell('annualStaffPounds'), '15000.01', 'and in pounds beside it');
    t.equal(cell('annualIncomePence'), '300000');
    t.equal(cell('services'), '');
  }
  t.equal((await api.get(`/councils/${crypto.randomUUID()}/network`)).status, 404);
});
