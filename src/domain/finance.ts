// Money over the horizon (planning-model.md, "The network in a year", "One-off costs and the horizon").
import type { NetworkFigures } from '../schemas/scenario.js';
import type { TouchedIncome } from './actions.js';
import { dayNumber, daysActive, type PlanYear } from './dates.js';
import { decimalFraction, divideRounded, ExactTotal, scalePence, type Fraction } from './money.js';
import { incomeCounts, type SitesById } from './network.js';
import type { IncomeStream } from './types.js';

/** Days the stream is active in each plan year (its dates read once). */
function activeDaysByYear(stream: IncomeStream, years: readonly PlanYear[]): number[] {
  const from = dayNumber(stream.startDate);
  const to = stream.endDate === null ? null : dayNumber(stream.endDate);
  return years.map((year) => daysActive(from, to, year));
}

/** Exact sums of income by plan year, before each is divided by its year's days (see incomeByYear). */
export type IncomeTotals = ExactTotal[];

/**
 * Adds `sign` × annual value × days active in each plan year of the streams that count (their site
 * open, or not needing one) to `totals`. A scenario's totals are its baseline's, with the streams it
 * touched taken out (−1) as they were and put back (+1) as they are.
 */
export function addIncome(totals: IncomeTotals, streams: Iterable<IncomeStream>, sites: SitesById, years: readonly PlanYear[], sign: 1 | -1): IncomeTotals {
  for (const stream of streams) {
    if (!incomeCounts(stream, sites)) continue;
    const from = dayNumber(stream.startDate);
    const to = stream.endDate === null ? null : dayNumber(stream.endDate);
    for (let index = 0; index < years.length; index++) totals[index]!.addProduct(sign * stream.annualValuePence, daysActive(from, to, years[index]!));
  }
  return totals;
}

export const incomeTotals = (streams: Iterable<IncomeStream>, sites: SitesById, years: readonly PlanYear[]): IncomeTotals =>
  addIncome(
    years.map(() => new ExactTotal()),
    streams,
    sites,
    years,
    1,
  );

/** Income in each plan year from its exact sum, rounded once per year. */
export const roundedIncome = (totals: IncomeTotals, years: readonly PlanYear[]): number[] => totals.map((total, index) => total.dividedBy(years[index]!.days));

/** Income in each plan year: Σ annual value × days active in the year ÷ days in the year over the streams that count. */
export const incomeByYear = (streams: Iterable<IncomeStream>, sites: SitesById, years: readonly PlanYear[]): number[] =>
  roundedIncome(incomeTotals(streams, sites, years), years);

/** One stream's income in one year, rounded on its own (for line items and lists). */
export function streamIncomeInYear(stream: IncomeStream, year: PlanYear): number {
  return scalePence(stream.annualValuePence, activeDaysByYear(stream, [year])[0]!, year.days);
}

export function isActiveWithin(stream: IncomeStream, years: readonly PlanYear[]): boolean {
  return activeDaysByYear(stream, years).some((days) => days > 0);
}

type IncomeAtRiskEntry = NetworkFigures['incomeAtRisk']['streams'][number];

/** Income at risk, with each stream's place in its side's order: what a scenario's is worked out from. */
export interface IncomeAtRisk {
  figures: NetworkFigures['incomeAtRisk'];
  order: Int32Array;
}

/** Streams that count and whose contract ends within the horizon, with their indexes in `streams`. */
function streamsAtRisk(streams: readonly IncomeStream[], sites: SitesById, years: readonly PlanYear[]) {
  const first = years[0]?.firstDay ?? 0;
  const last = years.at(-1)?.lastDay ?? -1;
  const entries: IncomeAtRiskEntry[] = [];
  const indexes: number[] = [];
  streams.forEach((stream, index) => {
    // The dates first: whether the stream counts is a look-up of its site.
    const end = stream.endDate === null ? null : dayNumber(stream.endDate);
    if (end === null || end < first || last < end || !incomeCounts(stream, sites)) return;
    entries.push({
      incomeStreamId: stream.id,
      partner: stream.partner,
      kind: stream.kind,
      siteId: stream.siteId,
      annualValuePence: stream.annualValuePence,
      endDate: stream.endDate,
    });
    indexes.push(index);
  });
  return { entries, indexes };
}

const atRisk = (entries: IncomeAtRiskEntry[], order: Int32Array): IncomeAtRisk => ({
  figures: { annualValuePence: entries.reduce((sum, entry) => sum + entry.annualValuePence, 0), streams: entries },
  order,
});

/** Counted streams whose contract ends within the horizon, in the streams' order. */
export function incomeAtRisk(streams: readonly IncomeStream[], sites: SitesById, years: readonly PlanYear[]): IncomeAtRisk {
  const { entries, indexes } = streamsAtRisk(streams, sites, years);
  return atRisk(entries, Int32Array.from(indexes));
}

/**
 * A scenario's income at risk: the baseline's less the streams it touched (`touchedIncome` in
 * actions.ts), merged in order with those of the touched streams as they are in the scenario.
 */
export function scenarioIncomeAtRisk(baseline: IncomeAtRisk, touched: TouchedIncome, scenarioSites: SitesById, years: readonly PlanYear[]): IncomeAtRisk {
  const added = streamsAtRisk(touched.scenario, scenarioSites, years);
  const addedPlaces = added.indexes.map((index) => touched.scenarioOrder[index]!);
  const entries: IncomeAtRiskEntry[] = [];
  const order: number[] = [];
  let next = 0;
  let dropped = 0;
  baseline.figures.streams.forEach((entry, index) => {
    const place = baseline.order[index]!;
    while (next < addedPlaces.length && addedPlaces[next]! < place) {
      entries.push(added.entries[next]!);
      order.push(addedPlaces[next++]!);
    }
    while (dropped < touched.baseline.length && touched.baseline[dropped]! < place) dropped++;
    if (touched.baseline[dropped] === place) return;
    entries.push(entry);
    order.push(place);
  });
  for (; next < addedPlaces.length; next++) {
    entries.push(added.entries[next]!);
    order.push(addedPlaces[next]!);
  }
  return atRisk(entries, Int32Array.from(order));
}

/**
 * 1 ÷ (1 + rate) as an exact fraction, the rate read as the decimal it is written as (0.035 → 1000/1035),
 * so that discounted sums are exact until their one rounding.
 */
function discountRatio(rate: number): Fraction {
  const { numerator, denominator } = decimalFraction(rate);
  return { numerator: denominator, denominator: denominator + numerator };
}

/** 1 ÷ (1 + rate)^year in floating point: for figures that are not exact money sums (outcome values, expected values). */
export const discountFactor = (rate: number, year: number): number => 1 / (1 + rate) ** year;

/** saving ÷ (1 + rate)^year, rounded once. */
export function presentValuePence(savingPence: number, rate: number, year: number): number {
  const { numerator, denominator } = discountRatio(rate);
  const power = BigInt(year);
  return divideRounded(BigInt(savingPence) * numerator ** power, denominator ** power);
}

/**
 * −one-off + Σ saving(t) ÷ (1 + rate)^t, summed exactly over the common denominator (1 + rate)^horizon
 * and rounded once: a floating-point sum of large savings can be a penny out.
 */
export function npvPence(oneOffPence: number, savingsPence: readonly number[], rate: number): number {
  const { numerator, denominator } = discountRatio(rate);
  const horizon = BigInt(savingsPence.length);
  let total = -BigInt(oneOffPence) * denominator ** horizon;
  savingsPence.forEach((saving, index) => {
    const year = BigInt(index + 1);
    total += BigInt(saving) * numerator ** year * denominator ** (horizon - year);
  });
  return divideRounded(total, denominator ** horizon);
}

/**
 * Years until the cumulative saving first covers the one-off cost, interpolated within the year, to
 * 0.01 of a year, rounded half away from zero from the exact fraction (not from a binary double, in
 * which 0.145 is a little under). 0 when there is no one-off cost to recover; null when not within
 * the horizon.
 */
export function paybackYears(oneOffPence: number, savingsPence: readonly number[]): number | null {
  if (oneOffPence <= 0) return 0;
  let cumulative = 0;
  for (const [index, saving] of savingsPence.entries()) {
    if (cumulative + saving >= oneOffPence) {
      // index + (one-off − cumulative) ÷ saving, in hundredths; saving > 0 here, as cumulative < one-off.
      const hundredths = divideRounded(100n * (BigInt(index) * BigInt(saving) + BigInt(oneOffPence) - BigInt(cumulative)), BigInt(saving));
      return hundredths / 100;
    }
    cumulative += saving;
  }
  return null;
}
