// Redeployment and the share of removed posts that costs no redundancy, on the three-site network of
// test/helpers/planning-fixtures.ts, worked on paper (the baseline figures are there).
import t from 'tap';
import { baselineNetCostPence, evaluate, evaluated, ids } from '../helpers/planning-fixtures.js';

t.test('close_site with redeployment: posts named move with their cost, the rest are removed', async (t) => {
  const evaluation = evaluated([
    {
      type: 'close_site',
      siteId: ids.standalone,
      redeploy: [
        { kind: 'frontline', fte: 1, toSiteId: ids.spoke },
        { postId: 'post-a-manager', toSiteId: ids.hub },
      ],
    },
  ]);
  // Named posts move first: the manager (0.8 × 5,500,000 = 4,400,000) to H; then 1.0 of the family
  // worker's 1.5 FTE (3,400,000) to S. Removed: family 0.5 (1,700,000) and admin 0.1667 (450,090.1667).
  t.same(
    evaluation.postsRedeployed.map((post) => [post.postId, post.newPostId, post.fte, post.annualCostPence, post.toSiteId]),
    [
      ['post-a-manager', 'action-0-redeployed-0', 0.8, 4_400_000, ids.hub],
      ['post-a-family', 'action-0-redeployed-1', 1, 3_400_000, ids.spoke],
    ],
  );
  t.same(
    evaluation.postsRemoved.map((post) => [post.postId, post.fte, post.annualCostPence, post.redundancyCostPence]),
    [
      ['post-a-family', 0.5, 1_700_000, 850_000],
      ['post-a-admin', 0.1667, 450_090, 225_045],
    ],
  );
  // Staff 30,200,000.5 − 9,950,090.1667 + 4,400,000 + 3,400,000 = 28,049,910.3333 → 28,049,910.
  // Gross 28,049,910 + 7,000,000 + 13,000,000 = 48,049,910; income 2,501,370 (no lettings); net 45,548,540.
  t.equal(evaluation.scenario.money.staffPence, 28_049_910);
  t.equal(evaluation.scenario.money.netCostPence, 45_548_540);
  t.equal(evaluation.savings.annualSavingPence, baselineNetCostPence - 45_548_540);
  t.equal(evaluation.savings.annualSavingPence, 8_650_091);
  // Redundancy 6 ÷ 12 × 2,150,090.1667 = 1,075,045.08 → 1,075,045.
  t.equal(evaluation.savings.oneOff.redundancyPence, 1_075_045);
  t.same(evaluation.jobs, {
    postsDeleted: { posts: 2, fte: 0.6667, redundancyPence: 1_075_045 },
    postsRedeployed: { posts: 2, fte: 1.8 },
    postsAdded: { posts: 0, fte: 0 },
    postsTransferred: { posts: 0, fte: 0 },
    netFteChange: -0.6667,
  });
  const staffAt = (sourceId: string) => evaluation.lineItems.find((item) => item.category === 'staff' && item.sourceId === sourceId);
  t.match(staffAt('action-0-redeployed-1'), { baselinePence: 0, scenarioPence: 3_400_000, actionIndex: 0, description: 'A family worker (from Standalone A)' });
  t.match(staffAt('post-a-family'), { baselinePence: 5_100_000, scenarioPence: 0, actionIndex: 0 });
  t.match(evaluation.actions[0]!.description, /2 post\(s\), 0.6667 FTE removed, 1.8 FTE redeployed/);
});

t.test('vacantOrRedeployedShare: that share of the FTE removed costs no redundancy', async (t) => {
  const evaluation = evaluated([{ type: 'close_site', siteId: ids.standalone }], { vacantOrRedeployedShare: 0.25 });
  // 6 ÷ 12 × 0.75 = 0.375 of each post's cost: 4,400,000 → 1,650,000; 5,100,000 → 1,912,500;
  // 450,090.1667 → 168,783.81 → 168,784. Total 0.375 × 9,950,090.1667 = 3,731,283.81 → 3,731,284.
  t.same(
    evaluation.postsRemoved.map((post) => post.redundancyCostPence),
    [1_650_000, 1_912_500, 168_784],
  );
  t.equal(evaluation.savings.oneOff.redundancyPence, 3_731_284);
  t.equal(evaluation.jobs.postsDeleted.redundancyPence, 3_731_284);
  t.equal(evaluation.savings.annualSavingPence, 16_450_091, 'the recurring saving is that of the closure');
});

t.test('make_spoke with redeployment: part of the management moves, the rest is removed', async (t) => {
  const evaluation = evaluated([
    { type: 'make_spoke', siteId: ids.standalone, hubId: ids.hub, redeploy: [{ kind: 'management', fte: 0.3, toSiteId: ids.spoke }] },
  ]);
  // A's manager 0.8: 0.3 moves to S (1,650,000), 0.5 removed (2,750,000; redundancy 1,375,000);
  // H gains 0.2 × 6,000,000 = 1,200,000. Staff 30,200,000.5 − 2,750,000 + 1,200,000 = 28,650,000.5 → 28,650,001.
  t.equal(evaluation.scenario.money.staffPence, 28_650_001);
  t.equal(evaluation.savings.oneOff.redundancyPence, 1_375_000);
  t.same(
    evaluation.postsRedeployed.map((post) => [post.postId, post.fte, post.annualCostPence, post.toSiteName]),
    [['post-a-manager', 0.3, 1_650_000, 'Spoke S']],
  );
  t.same(evaluation.jobs.postsAdded, { posts: 1, fte: 0.2 });
});

t.test('change_posts with redeployToSiteId moves the FTE: no staff saving, no redundancy', async (t) => {
  const evaluation = evaluated([{ type: 'change_posts', siteId: ids.hub, kind: 'frontline', fteDelta: -1, redeployToSiteId: ids.standalone }]);
  t.equal(evaluation.scenario.money.staffPence, 30_200_001);
  t.equal(evaluation.savings.annualSavingPence, 0);
  t.equal(evaluation.savings.oneOff.totalPence, 0);
  t.same(evaluation.postsRemoved, []);
  t.same(evaluation.jobs.postsRedeployed, { posts: 1, fte: 1 });
  t.equal(evaluation.scenario.staff.totalFte, evaluation.baseline.staff.totalFte);
});

t.test('bad redeployments are errors naming the action', async (t) => {
  const errorsOf = (result: ReturnType<typeof evaluate>) => (result.ok ? [] : result.errors);
  t.match(
    errorsOf(
      evaluate([
        { type: 'close_site', siteId: ids.spoke },
        { type: 'close_site', siteId: ids.standalone, redeploy: [{ kind: 'frontline', fte: 1, toSiteId: ids.spoke }] },
      ]),
    ),
    [{ actionIndex: 1, reason: /cannot redeploy posts to "Spoke S".*it is closed/ }],
  );
  t.match(errorsOf(evaluate([{ type: 'close_site', siteId: ids.standalone, redeploy: [{ kind: 'frontline', fte: 2, toSiteId: ids.hub }] }])), [
    { actionIndex: 0, reason: /cannot redeploy 2 FTE of frontline from "Standalone A".*it has 1.5 FTE/ },
  ]);
  t.match(errorsOf(evaluate([{ type: 'make_spoke', siteId: ids.standalone, hubId: ids.hub, redeploy: [{ postId: 'post-a-family', toSiteId: ids.hub }] }])), [
    { actionIndex: 0, reason: /only management posts/ },
  ]);
  t.match(errorsOf(evaluate([{ type: 'close_site', siteId: ids.standalone, redeploy: [{ postId: 'post-h-manager', toSiteId: ids.hub }] }])), [
    { actionIndex: 0, reason: /post post-h-manager is not at "Standalone A"/ },
  ]);
  t.match(errorsOf(evaluate([{ type: 'change_posts', siteId: ids.hub, kind: 'frontline', fteDelta: 1, redeployToSiteId: ids.spoke }])), [
    { actionIndex: 0, reason: /goes with a removal/ },
  ]);
});
