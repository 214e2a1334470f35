// Networks at the edges: nothing may throw, and no figure may be NaN or Infinity.
import t, { type Test } from 'tap';
import { evaluateNetwork, evaluateScenario } from '../../src/domain/evaluation.js';
import { serviceKinds, type Network } from '../../src/domain/types.js';
import { networkEvaluationSchema, scenarioEvaluationSchema } from '../../src/schemas/scenario.js';
import { fixtureParameters, ids, threeSiteNetwork } from '../helpers/planning-fixtures.js';

const parameters = fixtureParameters();

/** Every number anywhere in the value is finite. */
function allFinite(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(allFinite);
  if (value !== null && typeof value === 'object') return Object.values(value).every(allFinite);
  return true;
}

function check(t: Test, network: Network) {
  const evaluation = evaluateNetwork(network, parameters);
  t.ok(allFinite(evaluation), 'network evaluation finite');
  t.ok(networkEvaluationSchema.safeParse(evaluation).success, 'network evaluation matches its schema');
  const result = evaluateScenario(network, [], parameters);
  t.ok(result.ok && allFinite(result.evaluation), 'scenario evaluation finite');
  t.ok(result.ok && scenarioEvaluationSchema.safeParse(result.evaluation).success, 'scenario evaluation matches its schema');
  return evaluation;
}

t.test('an empty network', async (t) => {
  const evaluation = check(t, { sites: [], posts: [], incomeStreams: [], areas: [] });
  t.same(evaluation.figures.reach, {
    totalUnder5s: 0,
    reachedUnder5s: 0,
    reachShare: null,
    deprivedUnder5s: 0,
    deprivedReachedUnder5s: 0,
    deprivedReachShare: null,
    meanDistanceM: null,
    p95DistanceM: null,
    meanWalkingMinutes: null,
    p95WalkingMinutes: null,
    byService: serviceKinds.map((service) => ({ service, reachedUnder5s: 0, reachShare: null, deprivedReachedUnder5s: 0, deprivedReachShare: null })),
    coreOffer: null,
  });
  t.equal(evaluation.figures.money.netCostPence, 0);
});

t.test('no areas: shares are null, not 0', async (t) => {
  const evaluation = check(t, { ...threeSiteNetwork(), areas: [] });
  t.equal(evaluation.figures.reach.reachShare, null);
  t.equal(evaluation.figures.reach.meanDistanceM, null);
});

t.test('areas but no open site: nobody reached, no distance', async (t) => {
  const network = threeSiteNetwork();
  network.sites = network.sites.map((site) => ({ ...site, status: 'closed' }));
  const evaluation = check(t, network);
  t.equal(evaluation.figures.reach.reachedUnder5s, 0);
  t.equal(evaluation.figures.reach.reachShare, 0);
  t.equal(evaluation.figures.reach.p95DistanceM, null);
});

t.test('closing the last site', async (t) => {
  const network = threeSiteNetwork();
  const result = evaluateScenario(
    network,
    [
      { type: 'close_site', siteId: ids.spoke },
      { type: 'close_site', siteId: ids.standalone },
      { type: 'close_site', siteId: ids.hub },
    ],
    parameters,
  );
  t.ok(result.ok && allFinite(result.evaluation));
  t.same(result.ok && result.evaluation.areasLosingCoverage.map((area) => [area.code, area.scenarioDistanceM]), [
    ['E01000001', null],
    ['E01000002', null],
    ['E01000003', null],
  ]);
});

t.test('areas with no under-5s', async (t) => {
  const network = threeSiteNetwork();
  network.areas = network.areas.map((area) => ({ ...area, under5Population: 0 }));
  const evaluation = check(t, network);
  t.equal(evaluation.figures.reach.reachShare, null);
  t.equal(evaluation.figures.reach.meanDistanceM, null);
});

t.test('no deprived areas', async (t) => {
  const evaluation = evaluateNetwork(threeSiteNetwork(), fixtureParameters({ deprivedDeciles: [] }));
  t.equal(evaluation.figures.reach.deprivedUnder5s, 0);
  t.equal(evaluation.figures.reach.deprivedReachShare, null);
});

t.test('sites open 0 hours with no costs or posts', async (t) => {
  const network = threeSiteNetwork();
  network.sites = network.sites.map((site) => ({ ...site, openingHoursPerWeek: 0, annualPremisesCostPence: 0, annualRunningCostPence: 0 }));
  network.posts = [];
  const evaluation = check(t, network);
  t.equal(evaluation.figures.money.grossCostPence, 0);
  t.equal(evaluation.figures.reach.reachedUnder5s, 450, 'reach follows status, not hours');
});

t.test('the network evaluation of the fixture', async (t) => {
  const evaluation = check(t, threeSiteNetwork());
  t.same(
    evaluation.cashFlow.map((year) => [year.startDate, year.incomePence, year.netCostPence]),
    [
      ['2026-04-01', 3_001_370, 54_198_631],
      ['2027-04-01', 2_500_000, 54_700_001],
      ['2028-04-01', 2_000_000, 55_200_001],
      ['2029-04-01', 2_000_000, 55_200_001],
      ['2030-04-01', 2_000_000, 55_200_001],
    ],
  );
  t.same(
    evaluation.lineItems.filter((item) => item.category === 'income').map((item) => item.pence),
    [2_000_000, 500_000, 501_370],
  );
  t.same(evaluation.parameters, parameters, 'parameters echoed');
});
