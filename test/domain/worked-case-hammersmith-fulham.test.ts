// Worked case: the London borough's hubs and venues (2011), from the published totals
// (test/fixtures/hammersmith-fulham-2011: the network, the decision and every assumption). The saving,
// jobs lost and redundancy must come within ±10% of the published figures, each hub's budget after
// within the published range; every figure is also worked by hand below.
import t from 'tap';
import { evaluateScenario } from '../../src/domain/evaluation.js';
import { resolveParameters } from '../../src/domain/parameters.js';
import { scenarioActionsSchema } from '../../src/schemas/scenario.js';
import {
  commissioningPence,
  hammersmithFulhamDecision,
  hammersmithFulhamNetwork,
  hammersmithFulhamParameters,
  hubBudgetAfterPence,
  newCentreId,
  publishedBudgetPence,
  publishedJobsLost,
  publishedRedundancyPence,
  publishedSavingPence,
  venueBudgetPence,
} from '../fixtures/hammersmith-fulham-2011/network.js';

const parameters = resolveParameters(hammersmithFulhamParameters, '2011-01-01');
const network = hammersmithFulhamNetwork();
const result = evaluateScenario(network, hammersmithFulhamDecision(), parameters);
if (!result.ok) throw new Error(JSON.stringify(result.errors));
const evaluation = result.evaluation;
const within10Percent = (value: number, published: number) => Math.abs(value / published - 1) <= 0.1;

t.test('the decision is valid API input', async (t) => {
  t.ok(scenarioActionsSchema.safeParse(hammersmithFulhamDecision()).success);
});

t.test('the network is calibrated to the published budgets', async (t) => {
  t.equal(evaluation.baseline.money.grossCostPence, publishedBudgetPence, '6 × £455,000 + £1,270,000 = £4m');
  t.equal(evaluation.baseline.sites.total, 15);
  // Each hub: staff 58,500 + 46,800 + 4 × 36,400 + 2 × 31,200 + 28,600 = 341,900, premises 60,000, running 53,100.
  const hub = network.sites[0]!;
  t.equal(hub.annualPremisesCostPence + hub.annualRunningCostPence, 45_500_000 - 34_190_000);
});

t.test('the annual saving is within ±10% of the published £1.8m', async (t) => {
  // Hubs: each loses its deputy (46,800), two play workers (62,400) and its administrator (28,600):
  // 6 × 137,800 = 826,800. Spokes: 1,270,000 − 9 × 19,000 = 1,099,000. The new venue costs 19,000
  // and the commissioning budget 133,000. Saving 1,773,800: £1,773,800, 1.5% below the published figure.
  t.equal(evaluation.savings.fullYearSavingPence, 177_380_000);
  t.equal(evaluation.savings.inYearSavingPence, 177_380_000, 'all from the start of the year');
  t.ok(
    within10Percent(evaluation.savings.fullYearSavingPence, publishedSavingPence),
    `${evaluation.savings.fullYearSavingPence} against ${publishedSavingPence}`,
  );
  t.equal(evaluation.scenario.money.grossCostPence, 222_620_000, 'about £2.2m after');
  t.equal(evaluation.scenario.money.centralPence, commissioningPence);
});

t.test('six hubs within the published range, ten venues at about £19,000, one of them new', async (t) => {
  t.same(evaluation.scenario.sites.openByRole, { hub: 6, spoke: 0, standalone: 0, venue: 10 });
  const postSites = new Map(network.posts.map((post) => [post.id, post.siteId]));
  // A site's own items and its posts' (the hubs keep posts of the network; venues have none).
  const costOf = (siteId: string) =>
    evaluation.lineItems.filter(
      (item) => ['staff', 'premises', 'running'].includes(item.category) && (item.sourceId === siteId || postSites.get(item.sourceId) === siteId),
    );
  for (const hub of network.sites.slice(0, 6)) {
    const after = costOf(hub.id).reduce((sum, item) => sum + item.scenarioPence, 0);
    t.equal(after, 31_720_000, `${hub.name}: £317,200`);
    t.ok(after >= hubBudgetAfterPence.low && after <= hubBudgetAfterPence.high);
  }
  for (const spoke of network.sites.slice(6))
    t.equal(
      costOf(spoke.id).reduce((sum, item) => sum + item.scenarioPence, 0),
      venueBudgetPence,
    );
  t.match(evaluation.scenario.clusters[5], { spokes: [{ role: 'venue' }, { siteId: newCentreId, role: 'venue' }] });
  t.equal(evaluation.scenario.reach.reachedUnder5s - evaluation.baseline.reach.reachedUnder5s, 800, "the new centre reaches its area's under-5s");
});

t.test('jobs lost and redundancy are within ±10% of the published figures', async (t) => {
  // Deleted: 6 hubs × 4 posts; spokes 6 × 2 + 3 + 4 + 5 posts = 48 posts; FTE 24 + 6 × 1.3 + 1.9 + 3 + 4 = 40.7.
  t.same(evaluation.jobs.postsDeleted.posts, 48);
  t.same(evaluation.jobs.postsDeleted.fte, 40.7);
  t.ok(within10Percent(evaluation.jobs.postsDeleted.posts, publishedJobsLost));
  // Redundancy: 6 months of the annual cost deleted, less the 20% vacant: spoke staff 6 × 52,520 +
  // 73,840 + 113,100 + 149,500 = 651,560; (826,800 + 651,560) × 6 ÷ 12 × 0.8 = 591,344.
  t.equal(evaluation.savings.oneOff.redundancyPence, 59_134_400);
  t.equal(evaluation.savings.oneOff.totalPence, 59_134_400, 'no other one-off was published');
  t.ok(within10Percent(evaluation.savings.oneOff.redundancyPence, publishedRedundancyPence));
});
