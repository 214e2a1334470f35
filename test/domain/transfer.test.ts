// transfer_site on the three-site network of test/helpers/planning-fixtures.ts, worked on paper.
import t from 'tap';
import fc from 'fast-check';
import { evaluateScenario } from '../../src/domain/evaluation.js';
import { baselineNetCostPence, evaluate, evaluated, fixtureParameters, ids } from '../helpers/planning-fixtures.js';
import { networkArbitrary } from '../helpers/planning-arbitraries.js';

t.test('transfer_site: open for reach, posts leave without redundancy, costs become the payment', async (t) => {
  const evaluation = evaluated([{ type: 'transfer_site', siteId: ids.standalone, provider: 'St Anne’s Primary School', annualPaymentPence: 4_500_000 }]);
  // A's staff (9,950,090.1667) leaves: 30,200,000.5 − 9,950,090.1667 = 20,249,910.3333 → 20,249,910.
  // Premises 10,000,000 − 3,000,000 = 7,000,000; running 17,000,000 − 4,000,000 + 4,500,000 = 17,500,000.
  // Gross 44,749,910; income unchanged (A stays open: the lettings still count) 3,001,370; net 41,748,540.
  t.same(evaluation.scenario.money, {
    staffPence: 20_249_910,
    premisesPence: 7_000_000,
    runningPence: 17_500_000,
    centralPence: 0,
    grossCostPence: 44_749_910,
    incomePence: 3_001_370,
    netCostPence: 41_748_540,
  });
  t.equal(evaluation.savings.annualSavingPence, baselineNetCostPence - 41_748_540);
  t.equal(evaluation.savings.annualSavingPence, 12_450_091);
  t.same(evaluation.savings.oneOff.totalPence, 0, 'TUPE: no redundancy');
  t.same(evaluation.postsRemoved, []);
  t.same(
    evaluation.postsTransferred.map((post) => [post.postId, post.fte, post.annualCostPence]),
    [
      ['post-a-manager', 0.8, 4_400_000],
      ['post-a-family', 1.5, 5_100_000],
      ['post-a-admin', 0.1667, 450_090],
    ],
  );
  t.same(evaluation.jobs.postsTransferred, { posts: 3, fte: 2.4667 });
  t.same(evaluation.jobs.postsDeleted, { posts: 0, fte: 0, redundancyPence: 0 });
  t.same(evaluation.scenario.reach, evaluation.baseline.reach, 'the site still reaches families');
  t.same(evaluation.warnings, []);
  t.match(
    evaluation.lineItems.find((item) => item.category === 'running' && item.sourceId === ids.standalone),
    { baselinePence: 4_000_000, scenarioPence: 4_500_000, actionIndex: 0 },
  );
});

t.test('transferring a closed site is an error naming the action', async (t) => {
  const result = evaluate([
    { type: 'close_site', siteId: ids.standalone },
    { type: 'transfer_site', siteId: ids.standalone, provider: 'A school', annualPaymentPence: 1 },
  ]);
  t.match(result.ok ? [] : result.errors, [{ actionIndex: 1, reason: /cannot transfer "Standalone A".*it is closed/ }]);
});

t.test('a transfer keeps reach, on random networks', async (t) => {
  const parameters = fixtureParameters();
  fc.assert(
    fc.property(networkArbitrary, fc.nat(), fc.nat({ max: 10_000_000 }), (network, pick, payment) => {
      const open = network.sites.filter((site) => site.status === 'open');
      fc.pre(open.length > 0);
      const site = open[pick % open.length]!;
      const result = evaluateScenario(network, [{ type: 'transfer_site', siteId: site.id, provider: 'Provider', annualPaymentPence: payment }], parameters);
      return (
        result.ok &&
        JSON.stringify(result.evaluation.scenario.reach) === JSON.stringify(result.evaluation.baseline.reach) &&
        result.evaluation.savings.oneOff.redundancyPence === 0
      );
    }),
    { numRuns: 150 },
  );
  t.pass('held for 150 random networks');
});
