// Each action on the three-site network of test/helpers/planning-fixtures.ts, worked on paper (the baseline figures are there).
import t from 'tap';
import { baselineNetCostPence, evaluate, evaluated, ids, threeSiteNetwork } from '../helpers/planning-fixtures.js';

const savingsByYear = (evaluation: ReturnType<typeof evaluated>) => evaluation.savings.cashFlow.map((year) => year.savingPence);

t.test('no actions: the scenario is the baseline', async (t) => {
  const evaluation = evaluated([]);
  t.same(evaluation.baseline.money, {
    staffPence: 30_200_001,
    premisesPence: 10_000_000,
    runningPence: 17_000_000,
    centralPence: 0,
    grossCostPence: 57_200_001,
    incomePence: 3_001_370,
    netCostPence: baselineNetCostPence,
  });
  t.same(evaluation.scenario, evaluation.baseline);
  t.same(savingsByYear(evaluation), [0, 0, 0, 0, 0]);
  t.equal(evaluation.savings.npvPence, 0);
  t.same(
    evaluation.savings.cashFlow.map((year) => year.baselineIncomePence),
    [3_001_370, 2_500_000, 2_000_000, 2_000_000, 2_000_000],
    'the grant ends in year 1 and the lettings after year 2',
  );
  t.same(
    evaluation.baseline.incomeAtRisk.streams.map((stream) => stream.incomeStreamId),
    [ids.lettings, ids.grant],
    'contracts ending within the five years',
  );
  // Reach: L1, L2, L3 within 1,609 m: 450 of 650; deprived L1, L2: 300 of 380.
  // Mean (200 × 555.98 + 80 × 2,223.90 + 120 × 1,667.93) ÷ 650 = 489,258.4 ÷ 650 = 752.7 → 753 m.
  // 95th percentile: cumulative 250 (0 m), 450 (556 m), 570 (1,668 m), 650 (2,224 m) first ≥ 617.5 → 2,224 m.
  // Reach by service has its own hand-worked tests (venues-and-clusters.test.ts); these are any centre's.
  const { byService: _byService, ...anyCentre } = evaluation.baseline.reach;
  t.same(anyCentre, {
    totalUnder5s: 650,
    reachedUnder5s: 450,
    reachShare: 450 / 650,
    deprivedUnder5s: 380,
    deprivedReachedUnder5s: 300,
    deprivedReachShare: 300 / 380,
    meanDistanceM: 753,
    p95DistanceM: 2224,
    meanWalkingMinutes: 12.2, // 753 × 1.3 ÷ 80 = 12.24
    p95WalkingMinutes: 36.1, // 2,224 × 1.3 ÷ 80 = 36.14
    coreOffer: null, // no core offer named (core-offer.test.ts)
  });
  t.same(evaluation.warnings, []);
});

t.test('close_site: posts, premises, running and site-bound income go; one-offs in year 0', async (t) => {
  const evaluation = evaluated([{ type: 'close_site', siteId: ids.standalone, oneOffCostPence: 1_500_000, capitalReceiptPence: 20_000_000 }]);
  // Staff 30,200,000.5 − (4,400,000 + 5,100,000 + 450,090.1667) = 20,249,910.3333 → 20,249,910.
  // Gross 20,249,910 + 7,000,000 + 13,000,000 = 40,249,910. Income year 1 without the lettings:
  // (2,000,000 × 365 + 1,000,000 × 183) ÷ 365 = 2,501,369.86 → 2,501,370. Net 37,748,540.
  t.same(evaluation.scenario.money, {
    staffPence: 20_249_910,
    premisesPence: 7_000_000,
    runningPence: 13_000_000,
    centralPence: 0,
    grossCostPence: 40_249_910,
    incomePence: 2_501_370,
    netCostPence: 37_748_540,
  });
  // Saving year 1: 54,198,631 − 37,748,540 = 16,450,091; year 2 the same (the lettings, 500,000, still
  // lost); years 3–5: gross saving 16,950,091 once the lettings would have ended anyway.
  t.same(savingsByYear(evaluation), [16_450_091, 16_450_091, 16_950_091, 16_950_091, 16_950_091]);
  // Redundancy: 6 ÷ 12 × 9,950,090.1667 = 4,975,045.08 → 4,975,045 (posts: 2,200,000; 2,550,000; 225,045).
  // One-off: 4,975,045 + 1,500,000 − 20,000,000 = −13,524,955: nothing to pay back.
  t.same(evaluation.savings.oneOff, {
    redundancyPence: 4_975_045,
    closureCostsPence: 1_500_000,
    capitalCostsPence: 0,
    capitalReceiptsPence: 20_000_000,
    totalPence: -13_524_955,
    year0Pence: -13_524_955,
  });
  t.same(
    evaluation.postsRemoved.map((post) => [post.postId, post.fte, post.annualCostPence, post.redundancyCostPence]),
    [
      ['post-a-manager', 0.8, 4_400_000, 2_200_000],
      ['post-a-family', 1.5, 5_100_000, 2_550_000],
      ['post-a-admin', 0.1667, 450_090, 225_045],
    ],
  );
  t.equal(evaluation.savings.paybackYears, 0);
  // NPV: 13,524,955 + 16,450,091 × (1.035⁻¹ + 1.035⁻²) + 16,950,091 × (1.035⁻³ + 1.035⁻⁴ + 1.035⁻⁵) = 89,105,656.5 → 89,105,656.
  t.equal(evaluation.savings.npvPence, 89_105_656);
  t.same(evaluation.incomeLost.year1Pence, 500_000);
  t.same(
    evaluation.incomeLost.streams.map((stream) => stream.incomeStreamId),
    [ids.lettings],
  );
  // Reach: L3 (150, at A) now 2,224 m from S; L4 was already beyond reach.
  t.equal(evaluation.scenario.reach.reachedUnder5s, 300);
  t.same(
    evaluation.areasLosingCoverage.map((area) => [area.code, area.under5Population, area.baselineDistanceM, area.scenarioDistanceM]),
    [['E01000003', 150, 0, 2224]],
  );
  t.same(
    evaluation.warnings.map((warning) => warning.code),
    ['income_lost', 'consultation_required', 'service_lost', 'service_lost'],
  );
  const consultation = evaluation.warnings.find((warning) => warning.code === 'consultation_required');
  t.match(consultation?.evidence, { siteId: ids.standalone, change: 'closure', under5s: 150, deprivedUnder5s: 0 });
  t.same(
    evaluation.warnings.flatMap((warning) =>
      warning.code === 'service_lost' ? [[warning.evidence.service, warning.evidence.areas.map((area) => area.code)]] : [],
    ),
    [
      ['antenatal', ['E01000003']],
      ['stay_and_play', ['E01000003']],
    ],
  );
  const lineItem = (category: string, sourceId: string) => evaluation.lineItems.find((item) => item.category === category && item.sourceId === sourceId);
  t.match(lineItem('income', ids.lettings), { baselinePence: 500_000, scenarioPence: 0, actionIndex: 0 });
  t.match(lineItem('premises', ids.standalone), { baselinePence: 3_000_000, scenarioPence: 0, actionIndex: 0 });
  t.match(lineItem('redundancy', 'post-a-family'), { baselinePence: 0, scenarioPence: 2_550_000, actionIndex: 0 });
  t.match(lineItem('capital_receipt', ids.standalone), { scenarioPence: 20_000_000 });
  t.match(lineItem('staff', 'post-h-manager'), { baselinePence: 6_000_000, scenarioPence: 6_000_000, actionIndex: null });
});

t.test('close_site with relocateIncomeToSiteId keeps the income', async (t) => {
  const evaluation = evaluated([{ type: 'close_site', siteId: ids.standalone, relocateIncomeToSiteId: ids.hub }]);
  t.equal(evaluation.scenario.money.incomePence, 3_001_370);
  t.same(evaluation.incomeLost, { year1Pence: 0, streams: [] });
  t.notOk(evaluation.warnings.some((warning) => warning.code === 'income_lost'));
});

t.test('reopen_site of a site closed in the network: it comes back without the posts it still holds', async (t) => {
  // A closed through the API keeps its posts (4,400,000 + 5,100,000 + 450,090.1667 a year): they count
  // for nothing while it is closed, and reopening it brings back premises and running costs only.
  const network = threeSiteNetwork();
  network.sites[2] = { ...network.sites[2]!, status: 'closed' };
  const evaluation = evaluated([{ type: 'reopen_site', siteId: ids.standalone }], {}, network);
  t.equal(evaluation.baseline.money.staffPence, 20_249_910);
  t.same(evaluation.scenario.money, {
    staffPence: 20_249_910,
    premisesPence: 10_000_000,
    runningPence: 17_000_000,
    centralPence: 0,
    grossCostPence: 47_249_910,
    incomePence: 3_001_370,
    netCostPence: 44_248_540,
  });
  t.same(evaluation.scenario.staff, evaluation.baseline.staff);
  t.notOk(
    evaluation.lineItems.some((item) => item.sourceType === 'post' && item.sourceId.startsWith('post-a-')),
    'no staff line items at A',
  );
  const removing = evaluate(
    [
      { type: 'reopen_site', siteId: ids.standalone },
      { type: 'change_posts', siteId: ids.standalone, kind: 'frontline', fteDelta: -0.5 },
    ],
    {},
    network,
  );
  t.notOk(removing.ok, 'nothing to remove at the reopened site');
});

t.test('reopen_site: premises and running resume, staff do not', async (t) => {
  const evaluation = evaluated([
    { type: 'close_site', siteId: ids.standalone },
    { type: 'reopen_site', siteId: ids.standalone },
  ]);
  // Staff 20,249,910 (A's posts stay removed); premises and running back to 10,000,000 and 17,000,000;
  // the lettings count again (still tied to A, open). Net 47,249,910 − 3,001,370 = 44,248,540.
  t.equal(evaluation.scenario.money.netCostPence, 44_248_540);
  t.same(savingsByYear(evaluation), Array(5).fill(9_950_091));
  // NPV: −4,975,045 + 9,950,091 × 4.5150524 = 39,950,137.
  t.equal(evaluation.savings.npvPence, 39_950_137);
  // Payback: 4,975,045 ÷ 9,950,091 = 0.50 of year 1.
  t.equal(evaluation.savings.paybackYears, 0.5);
  t.same(evaluation.scenario.reach, evaluation.baseline.reach);
  t.same(evaluation.areasLosingCoverage, []);
  t.notOk(
    evaluation.warnings.some((warning) => warning.code === 'consultation_required'),
    'open at the end: no closure',
  );
});

t.test('make_spoke: management removed at the spoke, a share added at the hub', async (t) => {
  const evaluation = evaluated([{ type: 'make_spoke', siteId: ids.standalone, hubId: ids.hub }]);
  // A's manager (0.8 × 5,500,000 = 4,400,000) goes; H gains 0.2 FTE at H's mean management cost,
  // 6,000,000: 1,200,000. Staff 30,200,000.5 − 4,400,000 + 1,200,000 = 27,000,000.5 → 27,000,001.
  t.equal(evaluation.scenario.money.staffPence, 27_000_001);
  t.same(savingsByYear(evaluation), Array(5).fill(3_200_000));
  t.equal(evaluation.savings.oneOff.redundancyPence, 2_200_000);
  // Payback 2,200,000 ÷ 3,200,000 = 0.6875 → 0.69; NPV −2,200,000 + 3,200,000 × 4.5150524 = 12,248,167.6 → 12,248,168.
  t.equal(evaluation.savings.paybackYears, 0.69);
  t.equal(evaluation.savings.npvPence, 12_248_168);
  t.same(evaluation.postsAdded, [
    {
      postId: 'action-0-hub-management',
      title: 'Hub management for spoke Standalone A',
      siteId: ids.hub,
      kind: 'management',
      fte: 0.2,
      annualCostPerFtePence: 6_000_000,
      actionIndex: 0,
    },
  ]);
  t.same(evaluation.scenario.staff.fteByKind, { management: 1.2, frontline: 5, admin: 1 });
  t.same(evaluation.scenario.sites.openByRole, { hub: 1, spoke: 2, standalone: 0, venue: 0 });
  t.same(
    evaluation.scenario.clusters.map((cluster) => cluster.spokes.map((spoke) => [spoke.siteName, spoke.distanceM])),
    [
      [
        ['Spoke S', 1112], // 0.01° × 111,195.08 m
        ['Standalone A', 3336], // 0.03°
      ],
    ],
  );
  t.same(evaluation.warnings, [], 'within 5,000 m and 6 spokes');
});

t.test('make_spoke: the span and distance warnings', async (t) => {
  const evaluation = evaluated([{ type: 'make_spoke', siteId: ids.standalone, hubId: ids.hub }], {
    maxSpokeDistanceM: 3000,
    maxSpokesPerHub: 1,
  });
  t.same(
    evaluation.warnings.map((warning) => [warning.code, warning.evidence]),
    [
      ['spoke_too_far', { hubId: ids.hub, hubName: 'Hub H', spokeId: ids.standalone, spokeName: 'Standalone A', distanceM: 3336, maxSpokeDistanceM: 3000 }],
      ['hub_over_span', { hubId: ids.hub, hubName: 'Hub H', openSpokes: 2, maxSpokesPerHub: 1 }],
    ],
  );
});

t.test('make_hub, then a spoke of a hub with no managers: the default management cost', async (t) => {
  const evaluation = evaluated([
    { type: 'make_hub', siteId: ids.spoke },
    { type: 'make_spoke', siteId: ids.standalone, hubId: ids.spoke },
  ]);
  // S has no management post: 0.2 × 5,850,000 (hubManagementCostPerFtePence) = 1,170,000.
  // Staff 30,200,000.5 − 4,400,000 + 1,170,000 = 26,970,000.5 → 26,970,001; saving 3,230,000.
  t.equal(evaluation.scenario.money.staffPence, 26_970_001);
  t.equal(evaluation.savings.annualSavingPence, 3_230_000);
  t.same(
    evaluation.scenario.clusters.map((cluster) => [cluster.hubName, cluster.openSpokes]),
    [
      ['Hub H', 0],
      ['Spoke S', 1],
    ],
  );
});

t.test('make_standalone: the role changes, the money does not', async (t) => {
  const evaluation = evaluated([{ type: 'make_standalone', siteId: ids.spoke }]);
  t.same(evaluation.scenario.money, evaluation.baseline.money);
  t.same(evaluation.scenario.sites.openByRole, { hub: 1, spoke: 0, standalone: 2, venue: 0 });
  t.same(evaluation.scenario.clusters, [{ hubId: ids.hub, hubName: 'Hub H', hubStatus: 'open', openSpokes: 0, spokes: [] }]);
});

t.test('add_income: whole scenario years', async (t) => {
  const evaluation = evaluated([
    { type: 'add_income', partner: 'Public health', kind: 'grant', annualValuePence: 730_000, requiresSiteOpen: false, startYear: 2, endYear: 3 },
  ]);
  t.same(savingsByYear(evaluation), [0, 730_000, 730_000, 0, 0]);
  // NPV 730,000 × (1.035⁻² + 1.035⁻³) = 1,339,880.99 → 1,339,881.
  t.equal(evaluation.savings.npvPence, 1_339_881);
  t.equal(evaluation.savings.paybackYears, 0);
  t.match(
    evaluation.lineItems.find((item) => item.sourceId === 'action-0-income'),
    { category: 'income', baselinePence: 0, scenarioPence: 0, actionIndex: 0 },
    'year-1 line item of income that starts in year 2',
  );
});

t.test('add_income tied to a site is lost when the site closes later', async (t) => {
  const evaluation = evaluated([
    { type: 'add_income', partner: 'NHS', kind: 'health_contract', annualValuePence: 365_000, siteId: ids.spoke, requiresSiteOpen: true },
    { type: 'close_site', siteId: ids.spoke },
  ]);
  t.same(evaluation.incomeLost.streams, [], 'not in the baseline, so not lost with the closure');
  t.equal(evaluation.scenario.money.incomePence, 2_501_370 + 500_000);
});

t.test('remove_income: the net cost rises by the income', async (t) => {
  const evaluation = evaluated([{ type: 'remove_income', incomeStreamId: ids.nhsContract }]);
  t.same(savingsByYear(evaluation), Array(5).fill(-2_000_000));
  // NPV −2,000,000 × 4.5150524 = −9,030,104.75 → −9,030,105.
  t.equal(evaluation.savings.npvPence, -9_030_105);
  t.same(evaluation.incomeLost.streams, [], 'removed on purpose, not lost with a closure');
});

t.test('change_posts: a partial removal from the last-listed post, and an addition at the site mean', async (t) => {
  const removal = evaluated([{ type: 'change_posts', siteId: ids.hub, kind: 'frontline', fteDelta: -1.2 }]);
  // 1.2 of H's 2.5 FTE family worker at 3,500,000: 4,200,000 a year, redundancy 2,100,000.
  t.equal(removal.savings.annualSavingPence, 4_200_000);
  t.equal(removal.savings.oneOff.redundancyPence, 2_100_000);
  t.same(
    removal.postsRemoved.map((post) => [post.postId, post.fte, post.annualCostPence]),
    [['post-h-family', 1.2, 4_200_000]],
  );
  t.equal(removal.scenario.staff.fteByKind.frontline, 3.8);

  const addition = evaluated([{ type: 'change_posts', siteId: ids.spoke, kind: 'admin', fteDelta: 0.5 }]);
  // S's admin cost per FTE is 2,700,001: + 1,350,000.5. Staff 30,200,000.5 + 1,350,000.5 = 31,550,001.
  t.equal(addition.scenario.money.staffPence, 31_550_001);
  t.equal(addition.savings.annualSavingPence, -1_350_000);
  t.equal(addition.postsAdded[0]?.annualCostPerFtePence, 2_700_001);
});

t.test('change_posts: posts the scenario added carry no redundancy when removed', async (t) => {
  const evaluation = evaluated([
    { type: 'change_posts', siteId: ids.spoke, kind: 'frontline', fteDelta: 1, annualCostPerFtePence: 3_000_000 },
    { type: 'change_posts', siteId: ids.spoke, kind: 'frontline', fteDelta: -1 },
  ]);
  t.same(
    evaluation.postsRemoved.map((post) => [post.postId, post.redundancyCostPence]),
    [['action-0-post', 0]],
  );
  t.equal(evaluation.savings.annualSavingPence, 0);
});

t.test('change_hours: running cost in proportion; a large cut needs consultation', async (t) => {
  const cut = evaluated([{ type: 'change_hours', siteId: ids.spoke, openingHoursPerWeek: 15 }]);
  // 3,000,000 × 15 ÷ 20 = 2,250,000: saving 750,000 a year. A 25% cut, over 10%.
  t.equal(cut.scenario.money.runningPence, 16_250_000);
  t.equal(cut.savings.annualSavingPence, 750_000);
  const consultation = cut.warnings.find((warning) => warning.code === 'consultation_required');
  // Within 1,609 m of S: L1 (1,112 m) and L2 (556 m): 300 under-5s, all in deprived areas.
  t.match(consultation?.evidence, { change: 'hours_cut', baselineHoursPerWeek: 20, scenarioHoursPerWeek: 15, under5s: 300, deprivedUnder5s: 300 });

  const small = evaluated([{ type: 'change_hours', siteId: ids.standalone, openingHoursPerWeek: 27.5 }]);
  // 4,000,000 × 27.5 ÷ 30 = 3,666,666.67 → 3,666,667; an 8.3% cut: no consultation.
  t.equal(small.scenario.money.runningPence, 16_666_667);
  t.same(small.warnings, []);
});

t.test('change_hours of a site open 0 hours leaves its running cost, with a warning', async (t) => {
  const network = threeSiteNetwork();
  network.sites[2] = { ...network.sites[2]!, openingHoursPerWeek: 0 };
  const evaluation = evaluated([{ type: 'change_hours', siteId: ids.standalone, openingHoursPerWeek: 10 }], {}, network);
  t.equal(evaluation.scenario.money.runningPence, 17_000_000);
  t.same(
    evaluation.warnings.map((warning) => warning.code),
    ['running_cost_not_scaled'],
  );
});
