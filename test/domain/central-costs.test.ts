// Central costs (posts and budget lines of no site) on the three-site network of
// test/helpers/planning-fixtures.ts, worked on paper.
//
// Central lines added to the network:
//   C1 "Head of early help", a post: 1.5 FTE × 6,400,001 = 9,600,001.5 a year;
//   C2 "Commissioning budget", a budget line: 13,300,000 a year.
//   Central exact 22,900,001.5 → rounded once 22,900,002 (line items: C1 9,600,002, C2 13,300,000).
// Baseline gross 57,200,001 (sites) + 22,900,002 = 80,100,003; net 80,100,003 − 3,001,370 = 77,098,633.
import t from 'tap';
import { summariseNetwork } from '../../src/domain/network.js';
import type { Network } from '../../src/domain/types.js';
import { evaluate, evaluated, threeSiteNetwork } from '../helpers/planning-fixtures.js';

const headId = '00000000-0000-4000-8000-000000000c01';
const budgetId = '00000000-0000-4000-8000-000000000c02';

function withCentralCosts(): Network {
  return {
    ...threeSiteNetwork(),
    centralCosts: [
      { id: headId, title: 'Head of early help', category: 'central_management', fte: 1.5, annualCostPerFtePence: 6_400_001, annualBudgetPence: null },
      { id: budgetId, title: 'Commissioning budget', category: 'commissioning', fte: null, annualCostPerFtePence: null, annualBudgetPence: 13_300_000 },
    ],
  };
}

t.test('central costs count in the network summary and the baseline, rounded once', async (t) => {
  const summary = summariseNetwork(withCentralCosts(), '2026-04-01');
  t.same(summary.annualCost, {
    staffPence: 30_200_001,
    premisesPence: 10_000_000,
    runningPence: 17_000_000,
    centralPence: 22_900_002,
    grossCostPence: 80_100_003,
  });
  const evaluation = evaluated([], {}, withCentralCosts());
  t.equal(evaluation.baseline.money.centralPence, 22_900_002);
  t.equal(evaluation.baseline.money.netCostPence, 77_098_633);
  t.same(
    evaluation.lineItems.filter((item) => item.category === 'central').map((item) => [item.sourceType, item.sourceId, item.baselinePence]),
    [
      ['central_cost', headId, 9_600_002],
      ['central_cost', budgetId, 13_300_000],
    ],
  );
  t.same(evaluation.baseline.staff, evaluated([]).baseline.staff, 'staff figures count the posts at sites only');
});

t.test('cutting a central post and a budget line: saving, redundancy, jobs and line items', async (t) => {
  const evaluation = evaluated(
    [
      { type: 'change_central_cost', centralCostId: headId, fte: 0.5 },
      { type: 'change_central_cost', centralCostId: budgetId, annualBudgetPence: 6_650_000 },
    ],
    {},
    withCentralCosts(),
  );
  // Scenario central: 0.5 × 6,400,001 = 3,200,000.5, + 6,650,000 = 9,850,000.5 → 9,850,001.
  t.equal(evaluation.scenario.money.centralPence, 9_850_001);
  t.equal(evaluation.scenario.money.grossCostPence, 57_200_001 + 9_850_001);
  // Saving 22,900,002 − 9,850,001 = 13,050,001.
  t.equal(evaluation.savings.fullYearSavingPence, 13_050_001);
  // Redundancy: 1 FTE × 6,400,001 × 6 ÷ 12 = 3,200,000.5 → 3,200,001.
  t.same(evaluation.centralPostsRemoved, [
    {
      centralCostId: headId,
      title: 'Head of early help',
      category: 'central_management',
      fte: 1,
      annualCostPerFtePence: 6_400_001,
      annualCostPence: 6_400_001,
      redundancyCostPence: 3_200_001,
      actionIndex: 0,
    },
  ]);
  t.equal(evaluation.savings.oneOff.redundancyPence, 3_200_001);
  t.same(evaluation.jobs.postsDeleted, { posts: 1, fte: 1, redundancyPence: 3_200_001 });
  t.same(evaluation.postsRemoved, [], 'no post at a site is removed');
  const central = evaluation.lineItems.filter((item) => item.sourceType === 'central_cost');
  t.same(
    central.map((item) => [item.category, item.sourceId, item.actionIndex, item.baselinePence, item.scenarioPence]),
    [
      ['central', headId, 0, 9_600_002, 3_200_001],
      ['central', budgetId, 1, 13_300_000, 6_650_000],
      ['redundancy', headId, 0, 0, 3_200_001],
    ],
  );
});

t.test('vacantOrRedeployedShare applies to central posts too', async (t) => {
  const evaluation = evaluated([{ type: 'change_central_cost', centralCostId: headId, fte: 0 }], { vacantOrRedeployedShare: 0.25 }, withCentralCosts());
  // 1.5 × 6,400,001 × 6 ÷ 12 × 0.75 = 3,600,000.5625 → 3,600,001; the post (0 FTE) is gone.
  t.equal(evaluation.savings.oneOff.redundancyPence, 3_600_001);
  t.equal(evaluation.scenario.money.centralPence, 13_300_000);
  t.match(
    evaluation.lineItems.find((item) => item.category === 'central' && item.sourceId === headId),
    { baselinePence: 9_600_002, scenarioPence: 0 },
  );
});

t.test('adding a central post: no redundancy when the scenario cuts it again', async (t) => {
  const evaluation = evaluated(
    [
      { type: 'add_central_cost', title: 'Locality manager', category: 'central_management', fte: 2, annualCostPerFtePence: 6_200_000 },
      { type: 'change_central_cost', centralCostId: 'action-0-central', fte: 1 },
    ],
    {},
    withCentralCosts(),
  );
  // Central 22,900,001.5 + 1 × 6,200,000 = 29,100,001.5 → 29,100,002.
  t.equal(evaluation.scenario.money.centralPence, 29_100_002);
  t.equal(evaluation.savings.fullYearSavingPence, -6_200_000);
  t.equal(evaluation.savings.oneOff.redundancyPence, 0);
  t.same(evaluation.jobs.postsDeleted, { posts: 0, fte: 0, redundancyPence: 0 });
  t.match(
    evaluation.lineItems.find((item) => item.sourceId === 'action-0-central'),
    {
      category: 'central',
      actionIndex: 1,
      baselinePence: 0,
      scenarioPence: 6_200_000,
    },
  );
});

t.test('a central cut phased from 1 October: half a year in year 1, the full saving after', async (t) => {
  const evaluation = evaluated(
    [{ type: 'change_central_cost', centralCostId: budgetId, annualBudgetPence: 0, effectiveDate: '2026-10-01' }],
    {},
    withCentralCosts(),
  );
  // Year 1 is 365 days: 183 with C2 (central 22,900,001.5 a year), 182 without (9,600,001.5 a year):
  // (22,900,001.5 × 183 + 9,600,001.5 × 182) ÷ 365 = 16,268,220.68 → 16,268,221.
  // In-year saving 22,900,002 − 16,268,221 = 6,631,781; full-year 13,300,000.
  t.equal(evaluation.savings.inYearSavingPence, 6_631_781);
  t.equal(evaluation.savings.fullYearSavingPence, 13_300_000);
  t.equal(evaluation.savings.cashFlow[1]!.savingPence, 13_300_000);
});

t.test('bad central cost actions are errors naming the action', async (t) => {
  const errors = (actions: Parameters<typeof evaluate>[0]) => {
    const result = evaluate(actions, {}, withCentralCosts());
    return result.ok ? [] : result.errors;
  };
  t.match(errors([{ type: 'change_central_cost', centralCostId: 'nope', fte: 1 }]), [{ actionIndex: 0, reason: /unknown central cost nope/ }]);
  t.match(errors([{ type: 'change_central_cost', centralCostId: budgetId, fte: 1 }]), [{ actionIndex: 0, reason: /is a budget line/ }]);
  t.match(errors([{ type: 'change_central_cost', centralCostId: headId, annualBudgetPence: 1 }]), [{ actionIndex: 0, reason: /is a post/ }]);
  t.match(errors([{ type: 'change_central_cost', centralCostId: headId, fte: 1.5 }]), [{ actionIndex: 0, reason: /already has that FTE/ }]);
  t.match(
    errors([
      { type: 'change_central_cost', centralCostId: headId, fte: 0 },
      { type: 'change_central_cost', centralCostId: headId, fte: 1 },
    ]),
    [{ actionIndex: 1, reason: /unknown central cost .*removed earlier/ }],
  );
  t.match(errors([{ type: 'add_central_cost', title: 'X', category: 'other', fte: 1 }]), [
    { actionIndex: 0, reason: /needs both fte and annualCostPerFtePence/ },
  ]);
  t.match(errors([{ type: 'add_central_cost', title: 'X', category: 'other', fte: 1, annualCostPerFtePence: 1, annualBudgetPence: 1 }]), [
    { actionIndex: 0, reason: /not both/ },
  ]);
});
