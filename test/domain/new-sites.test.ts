// add_site: a site that exists only in the scenario, worked by hand in pence on the three-site network
// (test/helpers/planning-fixtures.ts), named by later actions, phased, and refused naming the action.
import t from 'tap';
import { applyActions } from '../../src/domain/actions.js';
import type { ScenarioAction } from '../../src/schemas/scenario.js';
import { evaluated, fixtureParameters, ids, threeSiteNetwork } from '../helpers/planning-fixtures.js';
import { referenceEvaluation } from '../reference/evaluate.js';

const newHub = '00000000-0000-4000-8000-00000000a001';
const newVenue = '00000000-0000-4000-8000-00000000a002';

// N: a hub at 53.45° (area L4, 80 under-5s, decile 3, is there), from 1 October 2026, with a family
// worker (1 × 3,600,000) and half a manager (0.5 × 6,000,001 = 3,000,000.5); A's frontline moves half
// an FTE to it; V: a venue of N at 53.385° (area L5, 120 under-5s), 7,228 m from N.
const addHub: ScenarioAction = {
  type: 'add_site',
  newSiteId: newHub,
  name: 'New hub N',
  lat: 53.45,
  lon: -2.9,
  role: 'hub',
  services: ['stay_and_play', 'family_support'],
  openingHoursPerWeek: 25,
  annualPremisesCostPence: 1_500_000,
  annualRunningCostPence: 2_500_000,
  posts: [
    { title: 'N family worker', kind: 'frontline', fte: 1, annualCostPerFtePence: 3_600_000 },
    { title: 'N manager', kind: 'management', fte: 0.5, annualCostPerFtePence: 6_000_001 },
  ],
  capitalCostPence: 30_000_000,
  effectiveDate: '2026-10-01',
};
const redeployToNewHub: ScenarioAction = {
  type: 'change_posts',
  siteId: ids.standalone,
  kind: 'frontline',
  fteDelta: -0.5,
  redeployToSiteId: newHub,
  effectiveDate: '2026-10-01',
};
const addVenue: ScenarioAction = {
  type: 'add_site',
  newSiteId: newVenue,
  name: 'Venue V',
  lat: 53.385,
  lon: -2.9,
  role: 'venue',
  hubId: newHub,
  services: ['stay_and_play'],
  openingHoursPerWeek: 6,
  annualPremisesCostPence: 0,
  annualRunningCostPence: 500_000,
  effectiveDate: '2026-10-01',
};
const scenario = [addHub, redeployToNewHub, addVenue];

t.test('a new hub, staff redeployed to it and a venue of it: money, phasing and one-offs by hand', async (t) => {
  const evaluation = evaluated(scenario);
  // Full year: staff 30,200,000.5 + 3,600,000 + 3,000,000.5 = 36,800,001 (the half FTE moved keeps
  // its 1,700,000); premises 10,000,000 + 1,500,000; running 17,000,000 + 2,500,000 + 500,000.
  t.same(evaluation.scenario.money, {
    staffPence: 36_800_001,
    premisesPence: 11_500_000,
    runningPence: 20_000_000,
    centralPence: 0,
    grossCostPence: 68_300_001,
    incomePence: 3_001_370,
    netCostPence: 65_298_631,
  });
  t.equal(evaluation.savings.fullYearSavingPence, 57_200_001 - 68_300_001);
  // In year 1, 182 of 365 days (1 October to 31 March): staff 30,200,000.5 + 6,600,000.5 × 182 ÷ 365
  // = 33,490,959.65 → 33,490,960; premises 10,000,000 + 1,500,000 × 182 ÷ 365 = 10,747,945.21 →
  // 10,747,945; running 17,000,000 + 3,000,000 × 182 ÷ 365 = 18,495,890.41 → 18,495,890: gross
  // 62,734,795, so the in-year saving is 57,200,001 − 62,734,795.
  t.equal(evaluation.savings.inYearSavingPence, -5_534_794);
  t.equal(evaluation.savings.cashFlow[1]!.savingPence, -11_100_000, 'the full cost from year 2');
  // The capital cost falls in year 1, the year of its date (not a year's first day).
  t.same(evaluation.savings.oneOff, {
    redundancyPence: 0,
    closureCostsPence: 0,
    capitalCostsPence: 30_000_000,
    capitalReceiptsPence: 0,
    totalPence: 30_000_000,
    year0Pence: 0,
  });
  t.equal(evaluation.savings.cashFlow[0]!.oneOffPence, 30_000_000);
  t.same(evaluation.jobs.postsAdded, { posts: 2, fte: 1.5 });
  t.same(evaluation.jobs.postsRedeployed, { posts: 1, fte: 0.5 });
  t.same(evaluation.postsRedeployed[0]!.toSiteName, 'New hub N');
  t.same(evaluation.jobs.postsDeleted, { posts: 0, fte: 0, redundancyPence: 0 });
});

t.test('the new sites are the scenario’s: sites, clusters, reach, warnings and line items', async (t) => {
  const evaluation = evaluated(scenario);
  t.same(evaluation.baseline.sites.total, 3, 'the baseline is the network');
  t.same(evaluation.scenario.sites, {
    total: 5,
    byRole: { hub: 2, spoke: 1, standalone: 1, venue: 1 },
    byStatus: { open: 5, closed: 0 },
    openByRole: { hub: 2, spoke: 1, standalone: 1, venue: 1 },
  });
  t.match(evaluation.scenario.clusters[1], { hubId: newHub, openSpokes: 1, spokes: [{ siteId: newVenue, role: 'venue', distanceM: 7228 }] });
  t.match(evaluation.warnings, [{ code: 'spoke_too_far', evidence: { hubId: newHub, spokeId: newVenue, distanceM: 7228 } }]);
  // L4 (80, deprived) and L5 (120) are reached now: 450 + 80 + 120 = 650 of 650; deprived 300 + 80.
  t.equal(evaluation.scenario.reach.reachedUnder5s, 650);
  t.equal(evaluation.scenario.reach.deprivedReachedUnder5s, 380);
  // Family support is offered at N alone: L4 only (L3 is 2,224 m away).
  t.match(
    evaluation.scenario.reach.byService.find((reach) => reach.service === 'family_support'),
    { reachedUnder5s: 80, deprivedReachedUnder5s: 80 },
  );
  const ofNewSites = evaluation.lineItems.filter((item) => item.sourceId === newHub || item.sourceId === newVenue || item.sourceId.startsWith('action-0-'));
  t.same(
    ofNewSites.map(({ category, sourceId, actionIndex, baselinePence, scenarioPence }) => [category, sourceId, actionIndex, baselinePence, scenarioPence]),
    [
      ['premises', newHub, 0, 0, 1_500_000],
      ['running', newHub, 0, 0, 2_500_000],
      ['staff', 'action-0-post-0', 0, 0, 3_600_000],
      ['staff', 'action-0-post-1', 0, 0, 3_000_001],
      ['running', newVenue, 2, 0, 500_000],
      ['capital_cost', newHub, 0, 0, 30_000_000],
    ],
  );
});

t.test('the reference, written from the rule, gives the same figures', async (t) => {
  const fast = evaluated(scenario);
  const reference = referenceEvaluation(threeSiteNetwork(), scenario, fixtureParameters());
  t.same(reference.scenario, fast.scenario);
  t.same(reference.savings, fast.savings);
  t.same(reference.jobs, fast.jobs);
  t.same(reference.postsAdded, fast.postsAdded);
});

t.test('a new site opened in year 3: its capital cost falls at the end of year 2', async (t) => {
  const evaluation = evaluated([{ ...addHub, posts: [], effectiveDate: '2028-04-01' }]);
  t.same(
    evaluation.savings.cashFlow.map((year) => [year.savingPence, year.oneOffPence]),
    [
      [0, 0],
      [0, 30_000_000],
      [-4_000_000, 0],
      [-4_000_000, 0],
      [-4_000_000, 0],
    ],
  );
  t.equal(evaluation.baseline.reach.reachedUnder5s, 450);
  t.equal(evaluation.scenario.reach.reachedUnder5s, 530, 'the full-year figures have every action in effect');
});

t.test('refused, naming the action', async (t) => {
  const parameters = fixtureParameters();
  const errors = (actions: ScenarioAction[]) => {
    const outcome = applyActions(threeSiteNetwork(), actions, parameters);
    return outcome.ok ? [] : outcome.errors;
  };
  t.match(errors([{ ...addHub, newSiteId: ids.standalone }]), [{ actionIndex: 0, reason: /is already a site of this council/ }]);
  t.match(errors([addHub, { ...addHub, name: 'Again' }]), [{ actionIndex: 1, reason: /already added by an earlier action/ }]);
  t.match(errors([redeployToNewHub, addHub]), [{ actionIndex: 0, reason: /is added by a later add_site/ }]);
  t.match(errors([{ ...addVenue, effectiveDate: undefined }, addHub]), [{ actionIndex: 0, reason: /hub .* is added by a later add_site/ }]);
  t.match(errors([{ ...addVenue, hubId: undefined }]), [{ actionIndex: 0, reason: /a venue needs the hubId/ }]);
  t.match(errors([{ ...addVenue, hubId: ids.standalone }]), [{ actionIndex: 0, reason: /is not a hub/ }]);
  t.match(errors([{ ...addHub, hubId: ids.hub }]), [{ actionIndex: 0, reason: /names no hub/ }]);
  const closeHub: ScenarioAction[] = [
    { type: 'close_site', siteId: ids.spoke },
    { type: 'close_site', siteId: ids.hub },
  ];
  t.match(errors([...closeHub, { ...addVenue, hubId: ids.hub, effectiveDate: undefined }]), [{ actionIndex: 2, reason: /hub "Hub H".* is closed/ }]);
  // Later actions treat it as any site: closing a new hub with an open venue is refused.
  t.match(errors([addHub, addVenue, { type: 'close_site', siteId: newHub, effectiveDate: '2026-10-01' }]), [{ actionIndex: 2, reason: /open spokes/ }]);
});
