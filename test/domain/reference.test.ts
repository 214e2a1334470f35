// The fast evaluation against the plain reference (test/reference/evaluate.ts), figure by figure, on
// random networks, parameters and scenarios: headline and year-by-year money, staff, sites, clusters,
// reach (the 95th percentile distance included), posts, jobs, income lost, areas losing coverage,
// warnings with their evidence, and line items.
import fc from 'fast-check';
import t from 'tap';
import { evaluateScenario } from '../../src/domain/evaluation.js';
import type { Network } from '../../src/domain/types.js';
import type { ScenarioAction, ScenarioEvaluation, ScenarioParameters } from '../../src/schemas/scenario.js';
import { actionsArbitrary, networkArbitrary } from '../helpers/planning-arbitraries.js';
import { baselineNetCostPence, fixtureParameters, ids, threeSiteNetwork } from '../helpers/planning-fixtures.js';
import { type Evaluation, referenceEvaluation, referenceKnows } from '../reference/evaluate.js';

/** What the two must agree on: everything but the wording of messages and descriptions; line items as a set. */
function comparable(full: ScenarioEvaluation | Evaluation) {
  const { expected: _expected, economicCase: _economicCase, uncertainty: _uncertainty, provenance: _provenance, ...evaluation } = full as ScenarioEvaluation;
  const key = (item: ScenarioEvaluation['lineItems'][number]) => `${item.category} ${item.sourceId} ${item.scenarioPence} ${item.actionIndex}`;
  return {
    ...evaluation,
    actions: evaluation.actions.map(({ actionIndex, type }) => ({ actionIndex, type })),
    warnings: evaluation.warnings.map(({ code, evidence }) => ({ code, evidence })),
    lineItems: evaluation.lineItems.toSorted((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0)),
  };
}

const parametersArbitrary: fc.Arbitrary<ScenarioParameters> = fc
  .record({
    radiusM: fc.integer({ min: 200, max: 5_000 }),
    deprivedDeciles: fc.subarray([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]),
    horizonYears: fc.integer({ min: 1, max: 12 }),
    discountRate: fc.integer({ min: 0, max: 1_000 }).map((thousandths) => thousandths / 10_000),
    redundancyMonths: fc.integer({ min: 0, max: 2_400 }).map((hundredths) => hundredths / 100),
    hubManagementFtePerSpoke: fc.integer({ min: 0, max: 10_000 }).map((units) => units / 10_000),
    vacantOrRedeployedShare: fc.integer({ min: 0, max: 10_000 }).map((units) => units / 10_000),
    maxSpokeDistanceM: fc.integer({ min: 100, max: 10_000 }),
    maxSpokesPerHub: fc.integer({ min: 1, max: 4 }),
    consultationHoursCutShare: fc.integer({ min: 0, max: 100 }).map((hundredths) => hundredths / 100),
    startDate: fc.constantFrom('2026-04-01', '2027-02-28', '2028-02-29'),
    coreOffer: fc.subarray(['antenatal', 'health_visiting', 'stay_and_play'] as const),
  })
  .map((overrides) => fixtureParameters(overrides));

const cases = fc
  .tuple(networkArbitrary, parametersArbitrary)
  .chain(([network, parameters]) => actionsArbitrary(network, parameters).map((actions) => ({ network, parameters, actions: actions.filter(referenceKnows) })));

/** JSON with every object's keys sorted: equal for equal figures, whatever order each path builds them in. */
const canonicalJson = (value: unknown): string =>
  JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).toSorted(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );

function agree(network: Network, actions: ScenarioAction[], parameters: ScenarioParameters) {
  const fast = evaluateScenario(network, actions, parameters);
  // Dropping actions the reference does not know may leave a list that no longer applies.
  if (!fast.ok) return { skipped: true, same: true, fast: undefined, reference: undefined };
  const reference = comparable(referenceEvaluation(network, actions, parameters));
  const fastFigures = comparable(fast.evaluation);
  return { skipped: false, same: canonicalJson(fastFigures) === canonicalJson(reference), fast: fastFigures, reference };
}

t.test('the reference gives the hand-worked figures of the three-site network', async (t) => {
  const parameters = fixtureParameters();
  const evaluation = referenceEvaluation(threeSiteNetwork(), [{ type: 'close_site', siteId: ids.standalone }], parameters);
  t.equal(evaluation.baseline.money.netCostPence, baselineNetCostPence);
  t.equal(evaluation.baseline.money.staffPence, 30_200_001);
  t.same(evaluation.baseline.reach.reachedUnder5s, 450);
  t.equal(evaluation.savings.npvPence, 70_605_656);
  t.equal(evaluation.savings.paybackYears, 0.3);
});

t.test('every figure of the fast evaluation is the reference’s, on random networks, parameters and scenarios', async (t) => {
  let compared = 0;
  const run = fc.check(
    fc.property(cases, ({ network, parameters, actions }) => {
      const { skipped, same } = agree(network, actions, parameters);
      if (!skipped) compared++;
      return same;
    }),
    { numRuns: 300 },
  );
  if (run.failed) {
    const [{ network, parameters, actions }] = run.counterexample!;
    const { fast, reference } = agree(network, actions, parameters);
    // Strictly, on the figures as JSON: a case that fails above must fail here.
    t.strictSame(
      JSON.parse(canonicalJson(fast)),
      JSON.parse(canonicalJson(reference)),
      `the smallest case found: ${JSON.stringify({ network, parameters, actions })}`,
    );
  } else t.ok(compared > 200, `${compared} scenarios compared`);
});
