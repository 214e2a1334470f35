// The economic case, expected values and uncertainty, worked by hand on the three-site network
// (test/helpers/planning-fixtures.ts), and their properties on random networks.
import fc from 'fast-check';
import t from 'tap';
import { cohortLost, outcomeProfile } from '../../src/domain/economic-case.js';
import { linearModelOf } from '../../src/domain/economics.js';
import { drawNpvs, monteCarloOf, probabilityBest, type LinearModel } from '../../src/domain/uncertainty.js';
import type { Network, Outcome } from '../../src/domain/types.js';
import type { ScenarioAction } from '../../src/schemas/scenario.js';
import { actionsArbitrary, networkArbitrary } from '../helpers/planning-arbitraries.js';
import { evaluated, fixtureParameters, ids, threeSiteNetwork } from '../helpers/planning-fixtures.js';

const closeA: ScenarioAction[] = [{ type: 'close_site', siteId: ids.standalone }];

/** A births-based outcome: 150 under-5s lost by closing A are 30 births a year. */
const outcome = (fields: Partial<Outcome> = {}): Outcome => ({
  id: '00000000-0000-4000-8000-000000000201',
  name: 'School readiness',
  sourceRef: 'worked example',
  priceYear: '2012/13',
  illustrative: false,
  cohortBasis: 'births',
  under5sPerHousehold: null,
  engagementRate: 0.5,
  impactRate: 0.2,
  impactRateLow: null,
  impactRateHigh: null,
  deadweight: 0,
  attribution: 1,
  optimismBias: 0,
  lagYears: 1,
  durationYears: 3,
  dropOff: 0.5,
  fiscalValuePence: 10_000,
  economicValuePence: 0,
  socialValuePence: 1_000,
  priceUplift: 1.2,
  agency: 'Local authority',
  cashability: 0.25,
  ...fields,
});

const withOutcomes = (outcomes: Outcome[], network: Network = threeSiteNetwork()): Network => ({ ...network, outcomes });

t.test('one outcome over several years with lag, duration and drop-off, in pence', async (t) => {
  // Closing A loses L3's 150 under-5s (decile 5): 30 births a year. net = 30 × 0.5 × 0.2 × 1 × 1 × 1 = 3 outcomes per cohort-year.
  // Cohorts reached in years 1 and 2 (horizonYears 2), lag 1, duration 3, drop-off 0.5:
  //   cohort 1 gives 1, 0.5, 0.25 in years 2, 3, 4; cohort 2 gives 1, 0.5, 0.25 in years 3, 4, 5.
  //   Profile by year 1…6: 0, 1, 1.5, 0.75, 0.25, 0 → outcomes lost 0, 3, 4.5, 2.25, 0.75, 0.
  // Fiscal £100 × uplift 1.2 = 12,000p an outcome: 0, 36,000, 54,000, 27,000, 9,000, 0 (126,000 in all);
  // social £10 × 1.2 = 1,200p: 0, 3,600, 5,400, 2,700, 900, 0 (12,600).
  const evaluation = evaluated(closeA, { horizonYears: 2, benefitHorizonYears: 6, discountRate: 0 }, withOutcomes([outcome()]));
  t.equal(evaluation.baseline.reach.reachedUnder5s - evaluation.scenario.reach.reachedUnder5s, 150);
  const [valued] = evaluation.economicCase.outcomes;
  t.equal(valued!.cohortLostPerYear, 30);
  t.equal(valued!.netOutcomesPerCohortYear, 3);
  t.same(
    valued!.years.map((year) => year.outcomesLost),
    [0, 3, 4.5, 2.25, 0.75, 0],
  );
  t.same(
    valued!.years.map((year) => year.fiscalPence),
    [0, 36_000, 54_000, 27_000, 9_000, 0],
  );
  t.same(
    valued!.years.map((year) => year.socialPence),
    [0, 3_600, 5_400, 2_700, 900, 0],
  );
  t.same(evaluation.economicCase.valueLost, { fiscalPence: 126_000, economicPence: 0, socialPence: 12_600, totalPence: 138_600, cashableFiscalPence: 31_500 });
  t.same(evaluation.economicCase.fiscalByAgency, [{ agency: 'Local authority', presentValuePence: 126_000, cashablePence: 31_500 }]);
  t.equal(evaluation.economicCase.financialNpvPence, evaluation.savings.npvPence, 'no risks entered: the expected NPV is the cash NPV');
  t.equal(evaluation.economicCase.economicNpvPence, evaluation.savings.npvPence - 138_600);

  // At 5%: 39,600 ÷ 1.05² + 59,400 ÷ 1.05³ + 29,700 ÷ 1.05⁴ + 9,900 ÷ 1.05⁵
  //      = 35,918.367… + 51,311.953… + 24,434.108… + 7,756.840… = 119,421.269… → 119,421.
  const discounted = evaluated(closeA, { horizonYears: 2, benefitHorizonYears: 6, discountRate: 0.05 }, withOutcomes([outcome()]));
  t.equal(discounted.economicCase.valueLost.totalPence, 119_421);
  t.same(
    discounted.economicCase.outcomes[0]!.years.map((year) => year.presentValuePence),
    [0, 35_918, 51_312, 24_434, 7_757, 0],
  );
});

t.test('cohort bases and the benefit profile', async (t) => {
  const lost = { under5s: 700, deprivedUnder5s: 280 };
  t.equal(cohortLost({ cohortBasis: 'births', under5sPerHousehold: null }, lost), 140);
  t.equal(cohortLost({ cohortBasis: 'under5s', under5sPerHousehold: null }, lost), 700);
  t.equal(cohortLost({ cohortBasis: 'deprived_under5s', under5sPerHousehold: null }, lost), 280);
  t.equal(cohortLost({ cohortBasis: 'households', under5sPerHousehold: 1.25 }, lost), 560);
  t.same(outcomeProfile({ lagYears: 0, durationYears: 1, dropOff: 0 }, 3, 5), [1, 1, 1, 0, 0], 'a one-year benefit for each cohort reached');
  t.same(outcomeProfile({ lagYears: 2, durationYears: 10, dropOff: 0 }, 1, 4), [0, 0, 1, 1], 'cut at the benefit horizon');
});

t.test('expected income with a renewal probability, in pence', async (t) => {
  // Closing A loses the lettings at A (500,000p a year, ends 2028-03-31, the end of year 2). Renewed
  // with probability 0.6, it would bring 500,000p in each of years 3–5: expected 300,000p a year lost.
  const network = threeSiteNetwork();
  network.incomeStreams[1] = { ...network.incomeStreams[1]!, renewalProbability: 0.6 };
  const evaluation = evaluated(closeA, { discountRate: 0 }, network);
  t.same(
    evaluation.expected.cashFlow.map((flow) => flow.renewalIncomePence),
    [0, 0, -300_000, -300_000, -300_000],
  );
  t.equal(evaluation.expected.npvPence, evaluation.savings.npvPence - 900_000);
  t.match(evaluation.expected.renewals, [{ sourceId: ids.lettings, change: 'lost', probability: 0.6, presentValuePence: 1_500_000 }]);
  const renewal = evaluation.uncertainty.inputs.find((input) => input.key === `renewal:${ids.lettings}`)!;
  t.match(renewal, { distribution: 'bernoulli', central: 0.6, npvPencePerUnit: -1_500_000 });

  const overridden = evaluated(closeA, { discountRate: 0, renewalProbabilityOverrides: { [ids.lettings]: 0.2 } }, network);
  t.equal(overridden.expected.npvPence, evaluation.savings.npvPence - 300_000, 'a scenario overrides the probability');
  const kept = evaluated([{ type: 'change_hours', siteId: ids.standalone, openingHoursPerWeek: 25 }], { discountRate: 0 }, network);
  t.same(kept.expected.renewals, [], 'income counted on both sides carries no renewal risk');
});

t.test('a capital clawback triggered by a closure or a transfer, in pence', async (t) => {
  const network = threeSiteNetwork();
  network.sites[2] = { ...network.sites[2]!, capitalClawbackPence: 5_000_000, capitalGrantDate: '2010-06-01', clawbackProbability: 0.4 };
  const evaluation = evaluated(closeA, {}, network);
  // 0.4 × 5,000,000 = 2,000,000 in year 0, undiscounted.
  t.equal(evaluation.expected.oneOff.clawbackPence, 2_000_000);
  t.equal(evaluation.expected.oneOff.totalPence, evaluation.savings.oneOff.totalPence + 2_000_000);
  t.equal(evaluation.expected.npvPence, evaluation.savings.npvPence - 2_000_000);
  t.match(evaluation.expected.clawbacks, [{ sourceId: ids.standalone, amountPence: 5_000_000, expectedPence: 2_000_000, capitalGrantDate: '2010-06-01' }]);
  const tornado = evaluation.uncertainty.tornado.find((bar) => bar.key === `clawback:${ids.standalone}`)!;
  t.equal(tornado.financialNpvAtLowPence - tornado.financialNpvAtHighPence, 5_000_000, 'no clawback against the whole of it');

  const expired = threeSiteNetwork();
  expired.sites[2] = { ...expired.sites[2]!, capitalClawbackPence: 5_000_000, capitalGrantDate: '2001-03-31', clawbackProbability: 0.4 };
  t.equal(evaluated(closeA, {}, expired).expected.oneOff.clawbackPence, 0, 'a grant more than 25 years before year 1 is no longer reclaimed');
  t.equal(
    evaluated([{ type: 'make_spoke', siteId: ids.standalone, hubId: ids.hub }], {}, network).expected.oneOff.clawbackPence,
    0,
    'a change of role does not trigger it',
  );
  // A transfer to another provider keeps the site open for reach but ends the council's use of the capital.
  const transfer: ScenarioAction[] = [{ type: 'transfer_site', siteId: ids.standalone, provider: 'St Anne’s Primary School', annualPaymentPence: 4_500_000 }];
  const transferred = evaluated(transfer, {}, network);
  t.equal(transferred.expected.oneOff.clawbackPence, 2_000_000, 'a transfer triggers it as a closure does');
  t.equal(transferred.expected.npvPence, transferred.savings.npvPence - 2_000_000);
  t.match(transferred.expected.clawbacks, [{ sourceId: ids.standalone, probability: 0.4, expectedPence: 2_000_000 }]);
});

t.test('switching values: re-evaluated at the switching value, the NPV is within a penny of zero', async (t) => {
  const network = threeSiteNetwork();
  network.sites[2] = { ...network.sites[2]!, capitalClawbackPence: 100_000_000, capitalGrantDate: '2010-06-01', clawbackProbability: 0.3 };
  const overrides = {
    savingsSlippage: 0.1,
    savingsSlippageLow: 0,
    savingsSlippageHigh: 1,
    oneOffOptimismBias: 0.2,
    oneOffOptimismBiasLow: 0,
    oneOffOptimismBiasHigh: 2,
  };
  const evaluation = evaluated(closeA, overrides, network);
  t.ok(evaluation.expected.npvPence > 0);
  const switching = (key: string) => evaluation.uncertainty.switchingValues.find((value) => value.key === key)!.financial;

  const slippage = switching('savingsSlippage');
  t.ok(slippage !== null && slippage > 0.1 && slippage < 1);
  t.ok(Math.abs(evaluated(closeA, { ...overrides, savingsSlippage: slippage! }, network).expected.npvPence) <= 1, `slippage ${slippage}`);

  const clawback = switching(`clawback:${ids.standalone}`);
  t.ok(clawback !== null && clawback > 0.3 && clawback < 1);
  const atClawback = threeSiteNetwork();
  atClawback.sites[2] = { ...network.sites[2]!, clawbackProbability: clawback! };
  t.ok(Math.abs(evaluated(closeA, overrides, atClawback).expected.npvPence) <= 1, `clawback probability ${clawback}`);

  const bias = switching('oneOffOptimismBias');
  if (bias !== null) t.ok(Math.abs(evaluated(closeA, { ...overrides, oneOffOptimismBias: bias }, network).expected.npvPence) <= 1);
  const sorted = evaluation.uncertainty.tornado.map((bar) => bar.swingPence);
  t.same(
    sorted,
    [...sorted].sort((a, b) => b - a),
    'the tornado is sorted by swing',
  );
  const { financialNpv } = evaluation.uncertainty;
  t.ok(financialNpv.lowPence <= financialNpv.centralPence && financialNpv.centralPence <= financialNpv.highPence);
  t.equal(financialNpv.centralPence, evaluation.expected.npvPence);
});

const parameters = fixtureParameters();
const outcomeArbitrary = fc
  .record({
    cohortBasis: fc.constantFrom('births' as const, 'under5s' as const, 'deprived_under5s' as const, 'households' as const),
    engagementRate: fc.double({ min: 0, max: 1, noNaN: true }),
    impactRate: fc.double({ min: 0, max: 1, noNaN: true }),
    lagYears: fc.nat(6),
    durationYears: fc.integer({ min: 1, max: 8 }),
    dropOff: fc.double({ min: 0, max: 1, noNaN: true }),
    fiscalValuePence: fc.nat(10_000_000),
    socialValuePence: fc.nat(10_000_000),
  })
  .map((fields) => outcome({ ...fields, under5sPerHousehold: 1.5 }));

const scenarios = networkArbitrary.chain((network) =>
  fc.record({ network: fc.constant(network), actions: actionsArbitrary(network, parameters), outcomes: fc.array(outcomeArbitrary, { maxLength: 3 }) }),
);

t.test('properties of the economic case', async (_t) => {
  fc.assert(
    fc.property(scenarios, ({ network, actions, outcomes }) => {
      const without = evaluated(actions, {}, network);
      // No outcome: the economic case is the financial case; no risk: that is the cash NPV.
      if (without.economicCase.economicNpvPence !== without.savings.npvPence) return false;
      if (without.expected.npvPence !== without.savings.npvPence) return false;
      const valued = evaluated(
        actions,
        {},
        withOutcomes(
          outcomes.map((o, i) => ({ ...o, id: `outcome-${i}` })),
          network,
        ),
      );
      const keepsReach =
        valued.scenario.reach.reachedUnder5s === valued.baseline.reach.reachedUnder5s &&
        valued.scenario.reach.deprivedReachedUnder5s === valued.baseline.reach.deprivedReachedUnder5s;
      // An option that keeps reach loses no outcome value.
      if (keepsReach && valued.economicCase.outcomes.some((o) => o.presentValue.totalPence !== 0)) return false;
      // Each rounded once from exact sums: within a penny of the difference of the rounded figures.
      return Math.abs(valued.economicCase.economicNpvPence - (valued.savings.npvPence - valued.economicCase.valueLost.totalPence)) <= 1;
    }),
    { numRuns: 100 },
  );
});

t.test('raising any risk never raises the expected NPV', async (_t) => {
  const risk = fc.record({
    slippage: fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })),
    bias: fc.tuple(fc.double({ min: 0, max: 2, noNaN: true }), fc.double({ min: 0, max: 2, noNaN: true })),
    clawback: fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })),
    amount: fc.nat(100_000_000),
    ramp: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 5 }),
  });
  fc.assert(
    fc.property(
      networkArbitrary.chain((network) => fc.record({ network: fc.constant(network), actions: actionsArbitrary(network, parameters), risk })),
      ({ network, actions, risk }) => {
        const [slippageLow, slippageHigh] = [...risk.slippage].sort((a, b) => a - b) as [number, number];
        const [biasLow, biasHigh] = [...risk.bias].sort((a, b) => a - b) as [number, number];
        const [clawbackLow, clawbackHigh] = [...risk.clawback].sort((a, b) => a - b) as [number, number];
        const withClawback = (probability: number): Network => ({
          ...network,
          sites: network.sites.map((site) => ({
            ...site,
            capitalClawbackPence: risk.amount,
            capitalGrantDate: '2015-01-01',
            clawbackProbability: probability,
          })),
        });
        const npv = (slippage: number, bias: number, probability: number) =>
          evaluated(actions, { savingsSlippage: slippage, oneOffOptimismBias: bias, savingsRamp: risk.ramp }, withClawback(probability)).expected.npvPence;
        const base = npv(slippageLow, biasLow, clawbackLow);
        return (
          npv(slippageHigh, biasLow, clawbackLow) <= base && npv(slippageLow, biasHigh, clawbackLow) <= base && npv(slippageLow, biasLow, clawbackHigh) <= base
        );
      },
    ),
    { numRuns: 60 },
  );
});

const symmetricModel = fc
  .record({
    npv: fc.integer({ min: -1e9, max: 1e9 }),
    inputs: fc.array(
      fc.record({
        slope: fc.integer({ min: -1e8, max: 1e8 }),
        central: fc.double({ min: 0, max: 1, noNaN: true }),
        half: fc.double({ min: 0.01, max: 1, noNaN: true }),
      }),
      { minLength: 1, maxLength: 8 },
    ),
  })
  .map(
    ({ npv, inputs }): LinearModel => ({
      financialNpv: npv,
      economicNpv: npv,
      inputs: inputs.map(({ slope, central, half }, index) => ({
        key: `input-${index}`,
        kind: 'savings_slippage',
        label: `input ${index}`,
        distribution: 'triangular',
        low: central - half,
        central,
        high: central + half,
        affects: 'financial',
        npvPencePerUnit: slope,
      })),
    }),
  );

t.test('Monte Carlo: P50 within 5% of a standard deviation of the central NPV on a symmetric linear model; a seed repeats', async (_t) => {
  fc.assert(
    fc.property(symmetricModel, fc.nat(), (model, seed) => {
      const draws = drawNpvs([model], 10_000, seed);
      const result = monteCarloOf(draws, 0, seed);
      // A symmetric triangular input of half-width h has variance h² ÷ 6.
      const sd = Math.sqrt(model.inputs.reduce((sum, input) => sum + (input.npvPencePerUnit * (input.high - input.central)) ** 2 / 6, 0));
      const again = monteCarloOf(drawNpvs([model], 10_000, seed), 0, seed);
      return Math.abs(result.financial.p50Pence - model.financialNpv) <= 0.05 * sd + 1 && JSON.stringify(again) === JSON.stringify(result);
    }),
    { numRuns: 40 },
  );
});

t.test('Monte Carlo of Bernoulli risks and the probability each option is best', async (t) => {
  const network = threeSiteNetwork();
  network.sites[2] = { ...network.sites[2]!, capitalClawbackPence: 50_000_000, capitalGrantDate: '2010-06-01', clawbackProbability: 0.3 };
  const close = evaluated(closeA, {}, network);
  const spoke = evaluated([{ type: 'make_spoke', siteId: ids.standalone, hubId: ids.hub }], {}, network);
  const draws = drawNpvs([linearModelOf(close), linearModelOf(spoke)], 10_000, 1);
  const result = monteCarloOf(draws, 0, 1);
  // The NPV is the expected one less 0.7 × 50,000,000 with probability 0.3 and plus 0.3 × 50,000,000 otherwise.
  t.equal(result.financial.p10Pence, close.expected.npvPence - 35_000_000);
  t.equal(result.financial.p90Pence, close.expected.npvPence + 15_000_000);
  t.ok(Math.abs(result.financial.probabilityBelowZero - (close.expected.npvPence - 35_000_000 < 0 ? 0.3 : 0)) < 0.02);
  t.ok(Math.abs(result.financial.meanPence - close.expected.npvPence) < 1_000_000, 'the mean is near the expected value');
  const best = probabilityBest(draws.financial);
  t.equal(best[0]! + best[1]!, 1);
  t.same(monteCarloOf(drawNpvs([linearModelOf(close)], 10_000, 1), 0, 1), monteCarloOf(drawNpvs([linearModelOf(close)], 10_000, 1), 0, 1), 'a seed repeats');
});
