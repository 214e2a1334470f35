// Venues in the stored network (API, import, network read and CSV) and the scenario actions that
// downgrade a centre or form a cluster, refused with a 422 naming the action when they cannot apply.
import t from 'tap';
import { bearer, client, createCouncil, freshCouncil, scenarioRefusal } from '../helpers/api.js';
import { testAdminKey, testApp } from '../helpers/app.js';

// One app and database for the file: each test works in a council of its own.
const app = await testApp(t);

t.test('a venue is stored, imported, read and exported like a spoke, and named as a venue', async (t) => {
  const api = client(app);
  const councilId = await createCouncil(api);
  const base = `/councils/${councilId}`;
  const hub = (await api.post(`${base}/sites`, { name: 'Hub', role: 'hub', lat: 53.44, lon: -2.93 })).body;
  const noHub = await api.post(`${base}/sites`, { name: 'Venue', role: 'venue', lat: 53.45, lon: -2.93 });
  t.equal(noHub.status, 422);
  t.match(noHub.body.errors, [{ path: '/hubId', message: /a venue needs the id of its hub/ }]);
  const venue = await api.post(`${base}/sites`, { name: 'Venue', role: 'venue', hubId: hub.id, lat: 53.45, lon: -2.93, services: ['stay_and_play'] });
  t.equal(venue.status, 201);
  t.equal((await api.get(`${base}/sites?role=venue`)).body.items.length, 1, 'the list filters by role venue');
  t.equal((await api.delete(`${base}/sites/${hub.id}`)).status, 409, 'a venue holds its hub as a spoke does');

  const network = (await api.get(`${base}/network`)).body;
  t.equal(network.summary.sites.byRole.venue, 1);
  t.match(network.summary.clusters, [{ hubId: hub.id, openSpokes: 1, spokes: [{ siteId: venue.body.id, role: 'venue' }] }]);
  const csv = String((await api.get(`${base}/network.csv`)).body);
  t.match(csv, /Venue,[^\n]*venue/, 'the network CSV names the role');

  const upload = await app.inject({
    method: 'POST',
    url: `${base}/imports/sites`,
    headers: { ...bearer(testAdminKey), 'content-type': 'text/csv' },
    payload: ['name,postcode,role,hubName,lat,lon', 'Library venue,L11 3AA,venue,Hub,53.46,-2.93', 'Stray venue,L11 3AB,venue,,53.47,-2.93'].join('\n'),
  });
  t.equal(upload.statusCode, 422, 'a venue without its hub is refused in an import');
  t.match(upload.body, /hubUrn|hubName/);
  const good = await app.inject({
    method: 'POST',
    url: `${base}/imports/sites`,
    headers: { ...bearer(testAdminKey), 'content-type': 'text/csv' },
    payload: ['name,postcode,role,hubName,lat,lon', 'Library venue,L11 3AA,venue,Hub,53.46,-2.93'].join('\n'),
  });
  t.equal(good.statusCode, 200, good.body);
  const imported = (await api.get(`${base}/sites?role=venue`)).body.items;
  t.same(imported.map((site: { name: string; hubId: string }) => [site.name, site.hubId]).sort(), [
    ['Library venue', hub.id],
    ['Venue', hub.id],
  ]);
});

t.test('make_venue and form_cluster: evaluated, or refused naming the action', async (t) => {
  const { api, base, site } = await freshCouncil(app);
  const hub = await site({ name: 'Hub', role: 'hub', services: ['antenatal'] });
  const closedHub = await site({ name: 'Closed hub', role: 'hub', status: 'closed' });
  const centre = await site({
    name: 'Centre',
    role: 'standalone',
    lat: 53.45,
    annualPremisesCostPence: 400_000,
    annualRunningCostPence: 100_000,
    services: ['antenatal', 'stay_and_play'],
  });
  const manager = (
    await api.post(`${base}/posts`, { siteId: centre.id, title: 'Centre manager', kind: 'management', fte: 1, annualCostPerFtePence: 4_800_000 })
  ).body;
  await api.post(`${base}/posts`, { siteId: centre.id, title: 'Family worker', kind: 'frontline', fte: 2, annualCostPerFtePence: 3_000_000 });
  const venue = {
    type: 'make_venue',
    siteId: centre.id,
    hubId: hub.id,
    services: ['stay_and_play'],
    openingHoursPerWeek: 4,
    annualPremisesCostPence: 50_000,
    annualRunningCostPence: 20_000,
  };

  const created = await api.post(`${base}/scenarios`, { name: 'Venue', actions: [{ ...venue, redeploy: [{ kind: 'frontline', fte: 2, toSiteId: hub.id }] }] });
  t.equal(created.status, 201, JSON.stringify(created.body));
  const evaluation = (await api.get(`${base}/scenarios/${created.body.id}/evaluation`)).body;
  // Saves premises and running 500,000 − 70,000 and the manager 4,800,000; the family workers move.
  t.equal(evaluation.savings.annualSavingPence, 5_230_000);
  t.equal(evaluation.jobs.postsRedeployed.fte, 2);

  const refused = scenarioRefusal(t, api, base);
  await refused([{ ...venue, hubId: closedHub.id }], '/actions/0', /action 0: hub "Closed hub".*is closed/);
  await refused([{ ...venue, keepPosts: [{ kind: 'frontline', fte: 3 }] }], '/actions/0', /action 0: cannot keep 3 FTE of frontline/);
  await refused([{ ...venue, redeploy: [{ kind: 'frontline', fte: 1, toSiteId: closedHub.id }] }], '/actions/0', /cannot redeploy posts to "Closed hub"/);
  await refused([{ type: 'close_site', siteId: centre.id }, venue], '/actions/1', /action 1: site "Centre".*is closed/);
  const cluster = (management: object) => ({ type: 'form_cluster', hubId: hub.id, spokeIds: [centre.id], management });
  await refused([cluster({ keep: [{ siteId: centre.id, fte: 1.5 }] })], '/actions/0', /cannot keep or move 1.5 FTE of management at "Centre".*it has 1 FTE/);
  await refused([cluster({ move: [{ postId: manager.id, toSiteId: closedHub.id }] })], '/actions/0', /cannot move management to "Closed hub".*closed/);
  await refused([{ type: 'form_cluster', hubId: closedHub.id, spokeIds: [centre.id], management: {} }], '/actions/0', /hub "Closed hub".*is closed/);

  const bad = await api.post(`${base}/scenarios`, { name: 'Bad', actions: [{ ...venue, services: ['stay_and_play', 'stay_and_play'] }] });
  t.equal(bad.status, 400);
  t.ok(
    bad.body.errors.some((e: { path: string }) => e.path === '/actions/0/services'),
    JSON.stringify(bad.body.errors),
  );
  const noSpokes = await api.post(`${base}/scenarios`, { name: 'Bad', actions: [{ type: 'form_cluster', hubId: hub.id, spokeIds: [], management: {} }] });
  t.equal(noSpokes.status, 400);
  t.ok(
    noSpokes.body.errors.some((e: { path: string }) => e.path === '/actions/0/spokeIds'),
    JSON.stringify(noSpokes.body.errors),
  );

  const clustered = await api.post(`${base}/scenarios`, {
    name: 'Cluster',
    actions: [
      cluster({
        move: [{ postId: manager.id, toSiteId: hub.id }],
        add: [{ siteId: hub.id, title: 'Locality manager', fte: 0.5, annualCostPerFtePence: 6_000_000 }],
      }),
    ],
  });
  t.equal(clustered.status, 201, JSON.stringify(clustered.body));
  const clusterEvaluation = (await api.get(`${base}/scenarios/${clustered.body.id}/evaluation`)).body;
  t.equal(clusterEvaluation.savings.annualSavingPence, -3_000_000, 'the manager moves to the hub, and half a locality manager is added');
  t.same(
    clusterEvaluation.scenario.clusters[0].spokes.map((spoke: { siteId: string }) => spoke.siteId),
    [centre.id],
  );
});
