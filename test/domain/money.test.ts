// Exact money, dates and parameters.
import fc from 'fast-check';
import t from 'tap';
import { addYears, dayNumber, daysActive, isoDate, nextFinancialYearStart, planYears } from '../../src/domain/dates.js';
import { npvPence, paybackYears, presentValuePence } from '../../src/domain/finance.js';
import { decimalFraction, divideRounded, ExactTotal, scalePence, staffCostPence } from '../../src/domain/money.js';
import { parameterDefaults } from '../../src/domain/parameter-defaults.js';
import { resolveParameters } from '../../src/domain/parameters.js';

t.test('rounding is half away from zero, once, at the end', async (t) => {
  t.same([divideRounded(5n, 2n), divideRounded(-5n, 2n), divideRounded(7n, 4n), divideRounded(-7n, 4n), divideRounded(1n, 3n)], [3, -3, 2, -2, 0]);
  t.same([scalePence(5, 1, 2), scalePence(-5, 1, 2), scalePence(3, 1, 4), scalePence(-3, 3, 4)], [3, -3, 1, -2]);
  // 0.3333 × 2,700,001 + 0.1667 × 2,700,001 = 899,910.3333 + 450,090.1667 = 1,350,000.5 → 1,350,001
  // (each rounded first: 899,910 + 450,090 = 1,350,000).
  t.equal(
    staffCostPence([
      { fte: 0.3333, annualCostPerFtePence: 2_700_001 },
      { fte: 0.1667, annualCostPerFtePence: 2_700_001 },
    ]),
    1_350_001,
  );
});

t.test('exact totals past 2^53', async (t) => {
  const total = new ExactTotal().addProduct(1_000_000, 1_000_000_000_000).addProduct(1_000_000, 1_000_000_000_000).add(1);
  t.equal(total.value(), 2_000_000_000_000_000_001n);
  t.equal(total.dividedBy(10_000), 200_000_000_000_000);
  t.equal(scalePence(1e12, 1e6, 3), Number((10n ** 18n + 1n) / 3n));
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: 1e9 }))), (terms) => {
      const exact = terms.reduce((sum, [a, b]) => sum + BigInt(a) * BigInt(b), 0n);
      return terms.reduce((total, [a, b]) => total.addProduct(a, b), new ExactTotal()).value() === exact;
    }),
  );
});

t.test('dates', async (t) => {
  t.equal(dayNumber('1970-01-01'), 0);
  t.equal(isoDate(dayNumber('2024-02-29')), '2024-02-29');
  t.equal(addYears('2024-02-29', 1), '2025-03-01');
  t.same(
    planYears('2026-04-01', 2).map((year) => [isoDate(year.firstDay), isoDate(year.lastDay), year.days]),
    [
      ['2026-04-01', '2027-03-31', 365],
      ['2027-04-01', '2028-03-31', 366],
    ],
  );
  const [year1] = planYears('2026-04-01', 1);
  t.equal(daysActive(dayNumber('2025-04-01'), dayNumber('2026-09-30'), year1!), 183);
  t.equal(daysActive(dayNumber('2027-04-01'), null, year1!), 0);
  t.equal(nextFinancialYearStart('2025-11-01'), '2026-04-01');
  t.equal(nextFinancialYearStart('2026-03-31'), '2026-04-01');
  t.equal(nextFinancialYearStart('2026-04-01'), '2027-04-01', 'on 1 April the year has begun: the next one');
});

t.test('NPV and payback', async (t) => {
  // −100 + 60 ÷ 1.1 + 60 ÷ 1.21 = 4.13 → 4.
  t.equal(npvPence(100, [60, 60], 0.1), 4);
  // Cumulative 60, 120: 100 is reached 40 ÷ 60 = 0.67 into year 2.
  t.equal(paybackYears(100, [60, 60]), 1.67);
  t.equal(paybackYears(100, [60, -10, 60]), 2.83, 'a dip is recovered: (100 − 50) ÷ 60 = 0.83 into year 3');
  t.equal(paybackYears(100, [10, 10]), null);
  t.equal(paybackYears(0, [-5]), 0);
});

t.test('payback rounds exact half-hundredths half away from zero', async (t) => {
  // 145 ÷ 1,000 = 0.145 exactly, but 0.145 × 100 is 14.499… in binary floating point.
  t.equal(paybackYears(145, [1_000]), 0.15);
  t.equal(paybackYears(575, [1_000]), 0.58);
  // Year 2 reached 5 ÷ 1,000 = 0.005 into it: 1.005 → 1.01.
  t.equal(paybackYears(1_005, [1_000, 1_000]), 1.01);
  t.equal(paybackYears(1_004, [1_000, 1_000]), 1);
});

t.test('NPV and present values are exact at very large sums, rounded once', async (t) => {
  const savings = [1_073_292_424_380, 14_477_180_074_761, 18_826_051_392_071, 10_921_081_923_804, 802_892_311_105];
  // Over the common denominator 1.035^5, in integers; a floating-point sum gave …237.
  const horizon = 5n;
  let numerator = -84_717_581_158n * 1035n ** horizon;
  savings.forEach((saving, index) => {
    const year = BigInt(index + 1);
    numerator += BigInt(saving) * 1000n ** year * 1035n ** (horizon - year);
  });
  const denominator = 1035n ** horizon;
  t.equal(numerator / denominator, 41_640_007_913_236n);
  t.ok(2n * (numerator % denominator) < denominator, 'less than half a penny over: rounds down');
  t.equal(npvPence(84_717_581_158, savings, 0.035), 41_640_007_913_236);
  // 1035 ÷ 1.035 = 1000 exactly; a half-penny rounds away from zero either way.
  t.equal(presentValuePence(1035, 0.035, 1), 1000);
  t.equal(presentValuePence(1, 1, 1), 1, '0.5 → 1');
  t.equal(presentValuePence(-1, 1, 1), -1, '−0.5 → −1');
  t.equal(npvPence(0, [3], 0.5), 2, '3 ÷ 1.5 = 2');
});

t.test('decimal parameters are read as the decimals they are written as', async (t) => {
  t.same(decimalFraction(0.035), { numerator: 35n, denominator: 1000n });
  t.same(decimalFraction(0), { numerator: 0n, denominator: 1n });
  t.same(decimalFraction(1e-7), { numerator: 1n, denominator: 10_000_000n });
  t.same(decimalFraction(2.5e21), { numerator: 2_500_000_000_000_000_000_000n, denominator: 1n });
});

t.test('parameters: defaults, overrides and the default start date', async (t) => {
  const parameters = resolveParameters({ radiusM: 2000, deprivedDeciles: [3, 1, 1] }, '2025-11-01');
  t.equal(parameters.radiusM, 2000);
  t.same(parameters.deprivedDeciles, [1, 3], 'sorted, without repeats');
  t.equal(parameters.horizonYears, parameterDefaults.horizonYears);
  t.equal(parameters.startDate, '2026-04-01');
  t.equal(resolveParameters({ startDate: '2030-01-01', radiusM: undefined }, '2025-11-01').startDate, '2030-01-01');
  t.equal(resolveParameters({ radiusM: undefined }, '2025-11-01').radiusM, 1609);
});
