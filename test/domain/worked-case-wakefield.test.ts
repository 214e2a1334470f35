// Worked case: the metropolitan district's closure of 14 of its 23 centres (2014), from the published
// totals (test/fixtures/wakefield-2014: the network, the decision and every assumption). The saving
// must come within ±10% of the published figure; the jobs and one-off costs are worked by hand below,
// as the reports publish no figure for them.
import t from 'tap';
import { evaluateScenario } from '../../src/domain/evaluation.js';
import { resolveParameters } from '../../src/domain/parameters.js';
import { scenarioActionsSchema } from '../../src/schemas/scenario.js';
import {
  centre,
  publishedBudgetPence,
  publishedSavingPence,
  runningPence,
  wakefieldDecision,
  wakefieldNetwork,
  wakefieldParameters,
} from '../fixtures/wakefield-2014/network.js';

const parameters = resolveParameters(wakefieldParameters, '2014-01-01');
const result = evaluateScenario(wakefieldNetwork(), wakefieldDecision(), parameters);
if (!result.ok) throw new Error(JSON.stringify(result.errors));
const evaluation = result.evaluation;

t.test('the decision is valid API input', async (t) => {
  t.ok(scenarioActionsSchema.safeParse(wakefieldDecision()).success);
});

t.test('the network is calibrated to the published budget', async (t) => {
  // Each centre: staff 5,200,000 + 3 × 3,510,000 + 2,600,000 = 18,330,000; premises 1,500,000;
  // running ⌊500,000,000 ÷ 23⌋ − 18,330,000 − 1,500,000 = 1,909,130; 21,739,130 a centre.
  t.equal(runningPence, 1_909_130);
  t.equal(evaluation.baseline.money.grossCostPence, 23 * 21_739_130);
  t.ok(Math.abs(evaluation.baseline.money.grossCostPence - publishedBudgetPence) < 100, 'about £5m');
});

t.test('the annual saving is within ±10% of the published £2.5m', async (t) => {
  // Closures: 14 × 21,739,130 = 304,347,820, less 14 family support workers redeployed to hubs
  // (14 × 3,510,000 = 49,140,000): 255,207,820. Linked sites: each loses its manager (5,200,000) and
  // its hub gains 0.2 FTE at the hub's mean management cost (1,040,000): 3 × 4,160,000 = 12,480,000.
  // Full-year saving 267,687,820: £2,676,878, 7.1% above the published figure.
  t.equal(evaluation.savings.fullYearSavingPence, 267_687_820);
  const ratio = evaluation.savings.fullYearSavingPence / publishedSavingPence;
  t.ok(ratio >= 0.9 && ratio <= 1.1, `saving ${ratio.toFixed(3)} × published`);
});

t.test('phasing: the clusters from April, the closures from 1 October', async (t) => {
  // 182 of year 1's 365 days after 1 October: staff 207,480,000 × 182 ÷ 365 = 103,455,780.82,
  // premises 21,000,000 × 182 ÷ 365 = 10,471,232.88, running 26,727,820 × 182 ÷ 365 = 13,327,296.55,
  // each taken off a whole-penny baseline exactly and the year's totals rounded once (so 103,455,781,
  // 10,471,233 and 13,327,297 saved); plus the clusters' 12,480,000 all year: 139,734,311.
  t.equal(evaluation.savings.inYearSavingPence, 12_480_000 + 103_455_781 + 10_471_233 + 13_327_297);
  t.equal(evaluation.savings.cashFlow[1]!.savingPence, 267_687_820, 'the full saving from year 2');
  t.equal(evaluation.savings.oneOff.year0Pence, 6_240_000, "the linked sites' redundancy at the start");
});

t.test('jobs and one-off costs, traced to their posts', async (t) => {
  // Deleted: 14 closed centres × (manager, 2 family support workers, administrator) + 3 linked sites'
  // managers = 59 posts, 59 FTE. Redeployed: 14 family support workers. Added: 3 × 0.2 FTE at the hubs.
  t.same(evaluation.jobs.postsDeleted.posts, 59);
  t.same(evaluation.jobs.postsDeleted.fte, 59);
  t.same(evaluation.jobs.postsRedeployed, { posts: 14, fte: 14 });
  t.same(evaluation.jobs.postsAdded, { posts: 3, fte: 0.6 });
  // Redundancy: 6 months of the annual cost of what is deleted, less the 20% vacant:
  // (14 × 14,820,000 + 3 × 5,200,000) × 6 ÷ 12 × 0.8 = 223,080,000 × 0.4 = 89,232,000 (£892,320),
  // 6,240,000 at the start (the linked sites) and 82,992,000 in year 1 (the closures).
  t.equal(evaluation.savings.oneOff.redundancyPence, 89_232_000);
  t.equal(evaluation.savings.cashFlow[0]!.oneOffPence, 82_992_000);
  t.equal(centre.frontlinePosts, 3);
});
