import t from 'tap';
import { HEALTH_CONTRACT_PER_SITE_PENCE, HOUSING_GRANT_PENCE, NAO_COST_PER_CENTRE_PENCE, loadLiverpoolDemo, withSiteIds } from '../../src/demo/liverpool.js';
import { fixturesDir } from '../helpers/imports.js';

const demo = await loadLiverpoolDemo(fixturesDir);
const siteNamed = new Map(demo.sites.map((site) => [site.name, site]));
const formerCentres = demo.sites.filter((site) => site.name.startsWith('Formerly '));

t.test('26 real sites: 5 family hubs, 18 standalone (incl. the six "Formerly …"), 3 linked sites as spokes', async (t) => {
  t.same(demo.council, { code: 'E08000012', name: 'Liverpool' });
  t.equal(demo.sites.length, 26);
  const roles = (role: string) => demo.sites.filter((site) => site.role === role);
  t.same(
    roles('hub')
      .map((site) => site.name)
      .sort(),
    ['Clubmoor Family Hub', 'Fountains Family Hub', 'Granby Family Hub', 'Picton Family Hub', 'Speke Family Hub'],
  );
  t.equal(roles('standalone').length, 18);
  t.equal(formerCentres.length, 6);
  t.ok(formerCentres.every((site) => site.role === 'standalone'));
  t.same(
    roles('spoke').map((site) => [site.name, site.hub]),
    [
      ["Croxteth Children's Centre", { name: 'Clubmoor Family Hub' }],
      ["Knotty Ash Children's Centre", { name: 'Clubmoor Family Hub' }],
      ["Walton Children's Centre", { name: 'Clubmoor Family Hub' }],
    ],
  );
  t.ok(demo.sites.findIndex((site) => site.role === 'spoke') > demo.sites.findLastIndex((site) => site.role === 'hub'), 'hubs first');
  t.equal(demo.areas.length, 302);
});

t.test('illustrative figures: every site costed, a standalone centre near the NAO £380k', async (t) => {
  for (const site of demo.sites) {
    t.ok(site.openingHoursPerWeek > 0 && site.services.includes('stay_and_play') && site.annualPremisesCostPence > 0, site.name);
  }
  const staffPence = (name: string) =>
    demo.posts.filter((post) => 'name' in post.site && post.site.name === name).reduce((sum, post) => sum + post.fte * post.annualCostPerFtePence, 0);
  const standalone = formerCentres[0]!;
  const allIn = staffPence(standalone.name) + standalone.annualPremisesCostPence + standalone.annualRunningCostPence;
  t.ok(Math.abs(allIn - NAO_COST_PER_CENTRE_PENCE) < NAO_COST_PER_CENTRE_PENCE * 0.01, `£${Math.round(allIn / 100)}`);
  t.equal(Math.round(demo.posts.reduce((sum, post) => sum + post.fte, 0)), 177, '157 posts of 2015 + the 20 cut in 2012');
  t.ok(demo.posts.every((post) => Number.isInteger(post.annualCostPerFtePence)));
  t.ok(demo.posts.every((post) => 'name' in post.site && siteNamed.has(post.site.name)));
  t.ok(
    demo.sites
      .filter((site) => site.role === 'spoke')
      .every((site) => !demo.posts.some((post) => 'name' in post.site && post.site.name === site.name && post.kind === 'management')),
  );
  t.ok(demo.incomeStreams.length >= 1 && demo.incomeStreams.every((stream) => stream.site && 'name' in stream.site && siteNamed.has(stream.site.name)));
});

t.test('scenario "Close 6 centres" closes the six former centres', async (t) => {
  const [close] = demo.scenarios;
  t.equal(close?.name, 'Close 6 centres');
  t.same(
    close?.actions.map((action) => action.type === 'close_site' && action.siteId),
    formerCentres.map((site) => site.name),
  );
});

t.test('scenario "Keep all open" makes them spokes of their nearest hub and adds £1.4m of partner income', async (t) => {
  const keep = demo.scenarios[1];
  t.equal(keep?.name, 'Keep all open: hub-and-spoke management plus health income');
  const actions = keep?.actions ?? [];
  const spokes = actions.flatMap((action) => (action.type === 'make_spoke' ? [action] : []));
  t.same(
    spokes.map((action) => action.siteId),
    formerCentres.map((site) => site.name),
  );
  t.ok(spokes.every((action) => siteNamed.get(action.hubId)?.role === 'hub'));
  t.equal(spokes.find((action) => action.siteId === "Formerly Hunts Cross Children's Centre")?.hubId, 'Speke Family Hub');
  const income = actions.flatMap((action) => (action.type === 'add_income' ? [action] : []));
  const health = income.filter((action) => action.kind === 'health_contract');
  t.equal(health.length, 6);
  t.ok(health.every((action) => action.requiresSiteOpen && action.partner.includes('Clinical Commissioning Group')));
  t.equal(
    income.reduce((sum, action) => sum + action.annualValuePence, 0),
    6 * HEALTH_CONTRACT_PER_SITE_PENCE + HOUSING_GRANT_PENCE,
  );
  t.equal(6 * HEALTH_CONTRACT_PER_SITE_PENCE + HOUSING_GRANT_PENCE, 140_000_000, '£1.4m a year, as published');
});

t.test('scenario "Keep the six as venues" makes each a venue of its nearest hub, its frontline staff redeployed there', async (t) => {
  const venues = demo.scenarios[2];
  t.equal(venues?.name, 'Keep the six as venues run from their hubs');
  const actions = (venues?.actions ?? []).flatMap((action) => (action.type === 'make_venue' ? [action] : []));
  t.same(
    actions.map((action) => action.siteId),
    formerCentres.map((site) => site.name),
  );
  t.ok(actions.every((action) => siteNamed.get(action.hubId)?.role === 'hub' && action.redeploy?.[0]?.toSiteId === action.hubId));
  t.same(
    withSiteIds(actions[0]!, (name) => `id:${name}`),
    {
      ...actions[0],
      siteId: `id:${actions[0]!.siteId}`,
      hubId: `id:${actions[0]!.hubId}`,
      redeploy: [{ ...actions[0]!.redeploy![0]!, toSiteId: `id:${actions[0]!.hubId}` }],
    },
  );
});

t.test('withSiteIds swaps site names for ids and leaves the rest', async (t) => {
  const idOf = (name: string) => `id:${name}`;
  t.same(withSiteIds({ type: 'make_spoke', siteId: 'A', hubId: 'B' }, idOf), { type: 'make_spoke', siteId: 'id:A', hubId: 'id:B' });
  t.same(withSiteIds({ type: 'close_site', siteId: 'A', relocateIncomeToSiteId: 'C', oneOffCostPence: 5 }, idOf), {
    type: 'close_site',
    siteId: 'id:A',
    relocateIncomeToSiteId: 'id:C',
    oneOffCostPence: 5,
  });
  t.same(withSiteIds({ type: 'add_income', partner: 'P', kind: 'grant', annualValuePence: 1, requiresSiteOpen: false }, idOf), {
    type: 'add_income',
    partner: 'P',
    kind: 'grant',
    annualValuePence: 1,
    requiresSiteOpen: false,
  });
});
