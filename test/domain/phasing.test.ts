// Phasing on the three-site network of test/helpers/planning-fixtures.ts, worked on paper: year 1 is
// 2026-04-01 … 2027-03-31 (365 days), year 2 to 2028-03-31 (366), year 3 from 2028-04-01.
import t from 'tap';
import { baselineNetCostPence, evaluate, evaluated, ids } from '../helpers/planning-fixtures.js';

const savingsByYear = (evaluation: ReturnType<typeof evaluated>) => evaluation.savings.cashFlow.map((year) => year.savingPence);

t.test('a closure half way through year 1: in-year and full-year savings, one-off in year 1', async (t) => {
  const evaluation = evaluated([{ type: 'close_site', siteId: ids.standalone, effectiveDate: '2026-10-01' }]);
  // A is open 2026-04-01 … 2026-09-30 (183 days), closed for the last 182 days of year 1.
  // Staff (30,200,000.5 × 183 + 20,249,910.3333 × 182) ÷ 365 = 25,238,585.68 → 25,238,586;
  // premises (10,000,000 × 183 + 7,000,000 × 182) ÷ 365 = 8,504,109.59 → 8,504,110;
  // running (17,000,000 × 183 + 13,000,000 × 182) ÷ 365 = 15,005,479.45 → 15,005,479;
  // gross 48,748,175. Income: NHS 2,000,000 × 365, lettings 500,000 × 183 (while A is open), grant
  // 1,000,000 × 183, ÷ 365 = 2,752,054.79 → 2,752,055. Net 45,996,120; saving 54,198,631 − 45,996,120.
  t.equal(evaluation.savings.cashFlow[0]!.scenarioNetCostPence, 45_996_120);
  t.equal(evaluation.savings.cashFlow[0]!.scenarioIncomePence, 2_752_055);
  t.equal(evaluation.savings.inYearSavingPence, 8_202_511);
  t.equal(baselineNetCostPence - 45_996_120, 8_202_511);
  // Full year: as if closed from the start (actions.test.ts): 16,450,091.
  t.equal(evaluation.savings.fullYearSavingPence, 16_450_091);
  t.equal(evaluation.savings.annualSavingPence, 16_450_091);
  t.equal(evaluation.scenario.money.netCostPence, 37_748_540, 'the scenario figures are the full year');
  t.same(savingsByYear(evaluation), [8_202_511, 16_450_091, 16_950_091, 16_950_091, 16_950_091]);
  // Redundancy 4,975,045 falls in year 1 (2026-10-01 is not a year's first day), none in year 0.
  t.same(evaluation.savings.oneOff, {
    redundancyPence: 4_975_045,
    closureCostsPence: 0,
    capitalCostsPence: 0,
    capitalReceiptsPence: 0,
    totalPence: 4_975_045,
    year0Pence: 0,
  });
  t.same(
    evaluation.savings.cashFlow.map((year) => year.oneOffPence),
    [4_975_045, 0, 0, 0, 0],
  );
  // PV of year 1: (8,202,511 − 4,975,045) ÷ 1.035 = 3,118,324.64 → 3,118,325.
  t.equal(evaluation.savings.cashFlow[0]!.presentValuePence, 3_118_325);
  // NPV: 3,227,466 ÷ 1.035 + 16,450,091 ÷ 1.035² + 16,950,091 × (1.035⁻³ + 1.035⁻⁴ + 1.035⁻⁵) = 62,805,217.9… → 62,805,218.
  t.equal(evaluation.savings.npvPence, 62_805_218);
  // Payback: 4,975,045 ÷ 8,202,511 = 0.607 of year 1 → 0.61.
  t.equal(evaluation.savings.paybackYears, 0.61);
  t.same(evaluation.jobs.postsDeleted, { posts: 3, fte: 2.4667, redundancyPence: 4_975_045 });
});

t.test('a closure from the first day of year 3: nothing saved before, one-off at the end of year 2', async (t) => {
  const evaluation = evaluated([{ type: 'close_site', siteId: ids.standalone, effectiveDate: '2028-04-01', oneOffCostPence: 25_000 }]);
  // The lettings at A end 2028-03-31 anyway: from year 3 the closure saves 16,950,091 a year.
  t.same(savingsByYear(evaluation), [0, 0, 16_950_091, 16_950_091, 16_950_091]);
  t.equal(evaluation.savings.inYearSavingPence, 0);
  t.equal(evaluation.savings.fullYearSavingPence, 16_450_091);
  t.same(
    evaluation.savings.cashFlow.map((year) => year.oneOffPence),
    [0, 5_000_045, 0, 0, 0],
    'redundancy 4,975,045 + closure cost 25,000, at the end of year 2',
  );
  // NPV: −5,000,045 ÷ 1.035² + 16,950,091 × (1.035⁻³ + 1.035⁻⁴ + 1.035⁻⁵) = 39,662,962.1… → 39,662,962.
  t.equal(evaluation.savings.npvPence, 39_662_962);
  // Payback: 2 + 5,000,045 ÷ 16,950,091 = 2.29498 → 2.29.
  t.equal(evaluation.savings.paybackYears, 2.29);
});

t.test('phased actions build on each other: each state is the actions in effect by then', async (t) => {
  const evaluation = evaluated([
    { type: 'change_posts', siteId: ids.hub, kind: 'frontline', fteDelta: -1, effectiveDate: '2027-04-01' },
    { type: 'change_posts', siteId: ids.hub, kind: 'frontline', fteDelta: -1, effectiveDate: '2028-04-01' },
  ]);
  // Each removes 1.0 FTE at 3,500,000: 3,500,000 saved a year from year 2, 7,000,000 from year 3.
  t.same(savingsByYear(evaluation), [0, 3_500_000, 7_000_000, 7_000_000, 7_000_000]);
  t.equal(evaluation.savings.fullYearSavingPence, 7_000_000);
  // Redundancy 1,750,000 each, at the end of years 1 and 2.
  t.same(
    evaluation.savings.cashFlow.map((year) => year.oneOffPence),
    [1_750_000, 1_750_000, 0, 0, 0],
  );
  t.equal(evaluation.savings.oneOff.year0Pence, 0);
});

t.test('an effective date that is the start date is the same as none', async (t) => {
  const dated = evaluated([{ type: 'close_site', siteId: ids.standalone, effectiveDate: '2026-04-01' }]);
  const undated = evaluated([{ type: 'close_site', siteId: ids.standalone }]);
  t.same(dated.savings, undated.savings);
});

t.test('effective dates outside the horizon or out of order are errors naming the action', async (t) => {
  const errorsOf = (result: ReturnType<typeof evaluate>) => (result.ok ? [] : result.errors);
  t.match(errorsOf(evaluate([{ type: 'close_site', siteId: ids.standalone, effectiveDate: '2026-03-31' }])), [
    { actionIndex: 0, reason: /before the scenario's start 2026-04-01/ },
  ]);
  t.match(errorsOf(evaluate([{ type: 'close_site', siteId: ids.standalone, effectiveDate: '2031-04-01' }])), [
    { actionIndex: 0, reason: /after the horizon's last day 2031-03-31/ },
  ]);
  t.match(
    errorsOf(
      evaluate([
        { type: 'close_site', siteId: ids.standalone, effectiveDate: '2027-04-01' },
        { type: 'change_hours', siteId: ids.hub, openingHoursPerWeek: 30, effectiveDate: '2026-10-01' },
      ]),
    ),
    [{ actionIndex: 1, reason: /before that of the action listed before it \(2027-04-01\)/ }],
  );
});

t.test('an undated action takes effect at the start, so it cannot follow a later one', async (t) => {
  const result = evaluate([
    { type: 'close_site', siteId: ids.standalone, effectiveDate: '2027-04-01' },
    { type: 'change_hours', siteId: ids.hub, openingHoursPerWeek: 30 },
  ]);
  t.match(result.ok ? [] : result.errors, [{ actionIndex: 1, reason: /2026-04-01 \(the start, by default\) is before that of the action listed before it/ }]);
});
