// make_venue, form_cluster and change_hours with staff scaling, on the three-site network of
// test/helpers/planning-fixtures.ts, worked on paper (the baseline figures are there: staff
// 30,200,000.5 exact, premises 10,000,000, running 17,000,000, year-1 income 3,001,370, net 54,198,631).
import t from 'tap';
import { baselineNetCostPence, evaluate, evaluated, ids } from '../helpers/planning-fixtures.js';

const venueOfHub = {
  type: 'make_venue' as const,
  siteId: ids.standalone,
  hubId: ids.hub,
  services: ['stay_and_play' as const],
  openingHoursPerWeek: 6,
  annualPremisesCostPence: 1_000_000,
  annualRunningCostPence: 500_000,
};

t.test('make_venue: a centre downgraded to a venue of its hub, with a small staff base and its manager redeployed', async (t) => {
  const evaluation = evaluated([
    {
      ...venueOfHub,
      keepPosts: [{ kind: 'frontline', fte: 0.5 }],
      redeploy: [{ postId: 'post-a-manager', toSiteId: ids.hub }],
      oneOffCostPence: 200_000,
    },
  ]);
  // The manager (0.8 × 5,500,000 = 4,400,000) moves to H. Of the family worker's 1.5 FTE, 0.5 stays and
  // 1.0 goes (3,400,000); the administrator's 0.1667 goes (450,090.1667).
  t.same(
    evaluation.postsRedeployed.map((post) => [post.postId, post.fte, post.annualCostPence, post.toSiteId]),
    [['post-a-manager', 0.8, 4_400_000, ids.hub]],
  );
  t.same(
    evaluation.postsRemoved.map((post) => [post.postId, post.fte, post.annualCostPence, post.redundancyCostPence]),
    [
      ['post-a-family', 1, 3_400_000, 1_700_000],
      ['post-a-admin', 0.1667, 450_090, 225_045],
    ],
  );
  // Staff 30,200,000.5 − 3,850,090.1667 = 26,349,910.3333 → 26,349,910. Premises 10,000,000 − 3,000,000 +
  // 1,000,000 = 8,000,000; running 17,000,000 − 4,000,000 + 500,000 = 13,500,000. The venue stays open, so
  // its lettings still count: income 3,001,370. Net 47,849,910 − 3,001,370 = 44,848,540.
  const { staffPence, premisesPence, runningPence, incomePence, netCostPence } = evaluation.scenario.money;
  t.same([staffPence, premisesPence, runningPence, incomePence, netCostPence], [26_349_910, 8_000_000, 13_500_000, 3_001_370, 44_848_540]);
  t.equal(evaluation.savings.annualSavingPence, baselineNetCostPence - 44_848_540);
  t.equal(evaluation.savings.annualSavingPence, 9_350_091);
  // Redundancy 6 ÷ 12 × 3,850,090.1667 = 1,925,045.08 → 1,925,045; with the one-off 200,000.
  t.same(evaluation.savings.oneOff, {
    redundancyPence: 1_925_045,
    closureCostsPence: 200_000,
    capitalCostsPence: 0,
    capitalReceiptsPence: 0,
    totalPence: 2_125_045,
    year0Pence: 2_125_045,
  });
  t.same(evaluation.jobs.postsDeleted, { posts: 2, fte: 1.1667, redundancyPence: 1_925_045 });
  t.same(evaluation.jobs.postsRedeployed, { posts: 1, fte: 0.8 });
  t.same(evaluation.scenario.sites.openByRole, { hub: 1, spoke: 1, standalone: 0, venue: 1 });
  t.same(
    evaluation.scenario.clusters[0]!.spokes.map((spoke) => [spoke.siteId, spoke.role]),
    [
      [ids.spoke, 'spoke'],
      [ids.standalone, 'venue'],
    ],
  );
  t.equal(evaluation.scenario.clusters[0]!.openSpokes, 2);
  t.equal(evaluation.scenario.reach.reachedUnder5s, evaluation.baseline.reach.reachedUnder5s, 'an open venue still counts for reach by any centre');
  t.ok(
    evaluation.warnings.some((warning) => warning.code === 'consultation_required' && warning.evidence.change === 'hours_cut'),
    'a cut from 30 to 6 hours needs consultation',
  );
  // Reach by service. Within 1,609 m: H covers L1 only, S covers L1 and L2, A covers L3 only. Antenatal
  // (H and A): L1 100 + L3 150 = 250, deprived L1 100; as a venue A no longer offers it: L1 only.
  const reachOf = (side: typeof evaluation.baseline, service: string) => side.reach.byService.find((entry) => entry.service === service);
  t.match(reachOf(evaluation.baseline, 'antenatal'), { reachedUnder5s: 250, deprivedReachedUnder5s: 100, reachShare: 250 / 650 });
  t.match(reachOf(evaluation.scenario, 'antenatal'), { reachedUnder5s: 100, deprivedReachedUnder5s: 100, reachShare: 100 / 650 });
  t.match(reachOf(evaluation.scenario, 'stay_and_play'), { reachedUnder5s: 450, deprivedReachedUnder5s: 300 });
  t.match(reachOf(evaluation.scenario, 'health_visiting'), { reachedUnder5s: 100 });
  t.match(reachOf(evaluation.scenario, 'childcare'), { reachedUnder5s: 0, reachShare: 0 });
  t.equal(evaluation.scenario.reach.byService.length, 10, 'every service kind');
  const lost = evaluation.warnings.filter((warning) => warning.code === 'service_lost');
  t.same(
    lost.map((warning) => [warning.evidence.service, warning.evidence.areas.map((area) => area.name), warning.evidence.under5s]),
    [['antenatal', ['L3'], 150]],
    'a downgrade that withdraws a service names the areas left without it',
  );
  t.match(evaluation.actions[0]!.description, /venue of "Hub H".*1.1667 FTE removed, 0.8 FTE redeployed, 0.5 FTE kept; services withdrawn: antenatal/);
});

t.test('make_venue refuses what cannot be: a closed hub, more FTE kept than the site has, a hub with spokes', async (t) => {
  const reason = (actions: Parameters<typeof evaluate>[0]) => {
    const result = evaluate(actions);
    return result.ok ? 'applied' : result.errors[0]!.reason;
  };
  t.match(reason([{ ...venueOfHub, hubId: ids.spoke }]), /is not a hub \(it is spoke\)/);
  t.match(
    reason([{ ...venueOfHub, keepPosts: [{ kind: 'frontline', fte: 1 }], redeploy: [{ kind: 'frontline', fte: 1, toSiteId: ids.hub }] }]),
    /cannot keep 1 FTE of frontline .* and redeploy 1 FTE: it has 1.5 FTE/,
  );
  t.match(reason([{ ...venueOfHub, siteId: ids.hub, hubId: ids.standalone }]), /is not a hub/);
  t.match(
    reason([
      { type: 'make_hub', siteId: ids.standalone },
      { ...venueOfHub, siteId: ids.hub, hubId: ids.standalone },
    ]),
    /cannot make a venue of hub "Hub H".*spokes "Spoke S"/,
  );
});

t.test("form_cluster: the hub's manager goes, a locality manager comes, part of the spoke's manager stays", async (t) => {
  const evaluation = evaluated([
    {
      type: 'form_cluster',
      hubId: ids.hub,
      spokeIds: [ids.standalone],
      management: {
        keep: [{ siteId: ids.standalone, fte: 0.3 }],
        add: [{ siteId: ids.hub, title: 'Locality manager', fte: 1, annualCostPerFtePence: 6_500_000 }],
      },
    },
  ]);
  // Removed: H manager 1.0 × 6,000,000 (redundancy 3,000,000); 0.5 of A's manager's 0.8 FTE, 2,750,000
  // (redundancy 1,375,000). Added: the locality manager, 6,500,000. hubManagementFtePerSpoke is not added.
  t.same(
    evaluation.postsRemoved.map((post) => [post.postId, post.fte, post.annualCostPence, post.redundancyCostPence]),
    [
      ['post-h-manager', 1, 6_000_000, 3_000_000],
      ['post-a-manager', 0.5, 2_750_000, 1_375_000],
    ],
  );
  t.same(
    evaluation.postsAdded.map((post) => [post.postId, post.title, post.siteId, post.fte, post.annualCostPerFtePence]),
    [['action-0-management-0', 'Locality manager', ids.hub, 1, 6_500_000]],
  );
  // Staff 30,200,000.5 − 8,750,000 + 6,500,000 = 27,950,000.5 → 27,950,001; gross 54,950,001; net 51,948,631.
  t.equal(evaluation.scenario.money.staffPence, 27_950_001);
  t.equal(evaluation.scenario.money.netCostPence, 51_948_631);
  t.equal(evaluation.savings.annualSavingPence, 2_250_000);
  t.equal(evaluation.savings.oneOff.redundancyPence, 4_375_000);
  t.same(evaluation.jobs.postsDeleted, { posts: 2, fte: 1.5, redundancyPence: 4_375_000 });
  t.same(evaluation.jobs.postsAdded, { posts: 1, fte: 1 });
  t.same(
    evaluation.scenario.clusters[0]!.spokes.map((spoke) => spoke.siteId),
    [ids.spoke, ids.standalone],
  );
  t.equal(evaluation.scenario.staff.fteByKind.management, 1.3);
});

t.test("form_cluster: a spoke's manager moves to the hub and is not removed there with the hub's own", async (t) => {
  const evaluation = evaluated([
    { type: 'form_cluster', hubId: ids.hub, spokeIds: [ids.standalone], management: { move: [{ postId: 'post-a-manager', toSiteId: ids.hub }] } },
  ]);
  t.same(
    evaluation.postsRemoved.map((post) => post.postId),
    ['post-h-manager'],
  );
  t.same(
    evaluation.postsRedeployed.map((post) => [post.postId, post.newPostId, post.fte, post.toSiteId]),
    [['post-a-manager', 'action-0-redeployed-0', 0.8, ids.hub]],
  );
  // Staff 30,200,000.5 − 6,000,000 = 24,200,000.5 → 24,200,001.
  t.equal(evaluation.scenario.money.staffPence, 24_200_001);
  t.equal(evaluation.savings.annualSavingPence, 6_000_000);
});

t.test('form_cluster refuses a management team that is not there', async (t) => {
  const reason = (management: object, spokeIds: string[] = [ids.standalone]) => {
    const result = evaluate([{ type: 'form_cluster', hubId: ids.hub, spokeIds, management } as never]);
    return result.ok ? 'applied' : result.errors[0]!.reason;
  };
  t.match(reason({ keep: [{ siteId: ids.standalone, fte: 0.9 }] }), /cannot keep or move 0.9 FTE of management at "Standalone A".*it has 0.8 FTE/);
  t.match(reason({ keep: [{ postId: 'post-a-family' }] }), /post post-a-family is not a management post/);
  t.match(reason({ keep: [{ postId: 'post-a-manager' }], move: [{ postId: 'post-a-manager', toSiteId: ids.hub }] }), /named twice/);
  t.match(reason({ add: [{ siteId: ids.spoke, title: 'Lead', fte: 1, annualCostPerFtePence: 1 }] }), /is not the hub or a spoke of this cluster/);
  t.match(reason({}, [ids.hub]), /cannot be its own hub/);
});

t.test('change_hours with scaleStaffKinds: FTE of the kinds named follows the hours, both ways', async (t) => {
  const cut = evaluated([{ type: 'change_hours', siteId: ids.hub, openingHoursPerWeek: 30, scaleStaffKinds: ['frontline'] }]);
  // H family worker 2.5 × 30 ÷ 40 = 1.875: 0.625 FTE removed, 2,187,500 (redundancy 1,093,750).
  // Running 10,000,000 × 30 ÷ 40 = 7,500,000. Staff 28,012,500.5 → 28,012,501; gross 52,512,501; net 49,511,131.
  t.same(
    cut.postsRemoved.map((post) => [post.postId, post.fte, post.annualCostPence, post.redundancyCostPence]),
    [['post-h-family', 0.625, 2_187_500, 1_093_750]],
  );
  t.equal(cut.scenario.money.netCostPence, 49_511_131);
  t.equal(cut.savings.annualSavingPence, 4_687_500);
  t.match(cut.actions[0]!.description, /frontline 2.5 FTE → 1.875 FTE/);

  const rise = evaluated([{ type: 'change_hours', siteId: ids.spoke, openingHoursPerWeek: 25, scaleStaffKinds: ['frontline', 'management'] }]);
  // S family worker 1 × 25 ÷ 20 = 1.25: a post of 0.25 FTE at S's mean 3,300,000 (825,000). S has no management to scale.
  t.same(
    rise.postsAdded.map((post) => [post.postId, post.fte, post.annualCostPerFtePence]),
    [['action-0-frontline', 0.25, 3_300_000]],
  );
  t.equal(rise.scenario.money.staffPence - rise.baseline.money.staffPence, 825_000);

  const fromZero = evaluate([
    { type: 'change_hours', siteId: ids.spoke, openingHoursPerWeek: 0 },
    { type: 'change_hours', siteId: ids.spoke, openingHoursPerWeek: 10, scaleStaffKinds: ['frontline'] },
  ]);
  t.match(fromZero.ok ? '' : fromZero.errors[0]!.reason, /cannot scale the staff of "Spoke S" .* with its hours: it has 0 opening hours/);
});
