// add_site through the API: a scenario's new site evaluated, named by a later action, shown in the
// evaluation CSV; bad input refused naming the action (422 for rules, 400 for the shape).
import t from 'tap';
import { freshCouncil, scenarioRefusal } from '../helpers/api.js';
import { testApp } from '../helpers/app.js';

t.test('a new site is evaluated and named by later actions, or refused naming the action', async (t) => {
  const { api, base, site } = await freshCouncil(await testApp(t));
  const hub = await site({ name: 'Hub', role: 'hub', services: ['antenatal'] });
  const closedHub = await site({ name: 'Closed hub', role: 'hub', status: 'closed' });
  const centre = await site({ name: 'Centre', role: 'standalone', lat: 53.45, annualPremisesCostPence: 400_000, annualRunningCostPence: 100_000 });
  await api.post(`${base}/posts`, { siteId: centre.id, title: 'Family worker', kind: 'frontline', fte: 2, annualCostPerFtePence: 3_000_000 });
  const newId = '6a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d';
  const addSite = {
    type: 'add_site',
    newSiteId: newId,
    name: 'Riverside',
    lat: 53.46,
    lon: -2.93,
    role: 'venue',
    hubId: hub.id,
    services: ['stay_and_play'],
    openingHoursPerWeek: 10,
    annualPremisesCostPence: 200_000,
    annualRunningCostPence: 300_000,
    posts: [{ title: 'Play worker', kind: 'frontline', fte: 0.5, annualCostPerFtePence: 2_800_000 }],
    capitalCostPence: 5_000_000,
  };
  const created = await api.post(`${base}/scenarios`, {
    name: 'New venue',
    actions: [addSite, { type: 'close_site', siteId: centre.id, redeploy: [{ kind: 'frontline', fte: 1, toSiteId: newId }] }],
  });
  t.equal(created.status, 201, JSON.stringify(created.body));
  const evaluation = (await api.get(`${base}/scenarios/${created.body.id}/evaluation`)).body;
  // Saved: the centre's 500,000 and 1 FTE (3,000,000); the other FTE moves to the new venue. Added:
  // 500,000 of premises and running, and half a play worker (1,400,000).
  t.equal(evaluation.savings.annualSavingPence, 500_000 + 3_000_000 - 500_000 - 1_400_000);
  t.equal(evaluation.savings.oneOff.capitalCostsPence, 5_000_000);
  t.equal(evaluation.scenario.sites.total, 4);
  t.equal(evaluation.baseline.sites.total, 3);
  t.match(evaluation.postsRedeployed, [{ toSiteId: newId, toSiteName: 'Riverside', fte: 1 }]);
  t.match(evaluation.scenario.clusters, [{ hubId: hub.id, spokes: [{ siteId: newId, role: 'venue' }] }]);
  const csv = String((await api.get(`${base}/scenarios/${created.body.id}/evaluation.csv`)).body);
  t.ok(csv.includes('one_off,capital_costs,'), 'the CSV lists the capital costs');

  const refused = scenarioRefusal(t, api, base);
  await refused([{ ...addSite, hubId: closedHub.id }], '/actions/0', /action 0: hub "Closed hub".*is closed/);
  await refused([{ ...addSite, newSiteId: centre.id }], '/actions/0', /is already a site of this council/);
  await refused([{ ...addSite, hubId: undefined }], '/actions/0', /a venue needs the hubId/);
  await refused(
    [{ type: 'close_site', siteId: centre.id, redeploy: [{ kind: 'frontline', fte: 1, toSiteId: newId }] }, addSite],
    '/actions/0',
    /added by a later add_site/,
  );
  await refused([addSite, addSite], '/actions/1', /already added by an earlier action/);

  const bad = await api.post(`${base}/scenarios`, { name: 'Bad', actions: [{ ...addSite, lat: 123 }] });
  t.equal(bad.status, 400);
  t.ok(
    bad.body.errors.some((e: { path: string }) => e.path === '/actions/0/lat'),
    JSON.stringify(bad.body.errors),
  );
});
