// Money over the horizon (planning-model.md, "The network in a year", "One-off costs and the horizon").
import { dayNumber, daysActive, type PlanYear } from './dates.js';
import { ExactTotal, roundHalfAwayFromZero, scalePence } from './money.js';
import { incomeCounts, type SitesById } from './network.js';
import type { IncomeStream } from './types.js';

/** Days the stream is active in each plan year (its dates read once). */
function activeDaysByYear(stream: IncomeStream, years: readonly PlanYear[]): number[] {
  const from = dayNumber(stream.startDate);
  const to = stream.endDate === null ? null : dayNumber(stream.endDate);
  return years.map((year) => daysActive(from, to, year));
}

/**
 * Income in each plan year: Σ annual value × days active in the year ÷ days in the year over the
 * streams that count (their site open, or not needing one), rounded once per year.
 */
export function incomeByYear(streams: readonly IncomeStream[], sites: SitesById, years: readonly PlanYear[]): number[] {
  const totals = years.map(() => new ExactTotal());
  for (const stream of streams) {
    if (!incomeCounts(stream, sites)) continue;
    activeDaysByYear(stream, years).forEach((days, index) => totals[index]!.addProduct(stream.annualValuePence, days));
  }
  return totals.map((total, index) => total.dividedBy(years[index]!.days));
}

/** One stream's income in one year, rounded on its own (for line items and lists). */
export function streamIncomeInYear(stream: IncomeStream, year: PlanYear): number {
  return scalePence(stream.annualValuePence, activeDaysByYear(stream, [year])[0]!, year.days);
}

export function isActiveWithin(stream: IncomeStream, years: readonly PlanYear[]): boolean {
  return activeDaysByYear(stream, years).some((days) => days > 0);
}

/** Streams that count and whose contract ends within the horizon. */
export function incomeAtRisk(streams: readonly IncomeStream[], sites: SitesById, years: readonly PlanYear[]) {
  const first = years[0]?.firstDay ?? 0;
  const last = years.at(-1)?.lastDay ?? -1;
  const atRisk = streams
    // The dates first: whether the stream counts is a look-up of its site.
    .filter((stream) => {
      const end = stream.endDate === null ? null : dayNumber(stream.endDate);
      return end !== null && first <= end && end <= last && incomeCounts(stream, sites);
    })
    .map((stream) => ({
      incomeStreamId: stream.id,
      partner: stream.partner,
      kind: stream.kind,
      siteId: stream.siteId,
      annualValuePence: stream.annualValuePence,
      endDate: stream.endDate,
    }));
  return { annualValuePence: atRisk.reduce((sum, stream) => sum + stream.annualValuePence, 0), streams: atRisk };
}

const discountFactor = (rate: number, year: number): number => 1 / (1 + rate) ** year;

export function presentValuePence(savingPence: number, rate: number, year: number): number {
  return roundHalfAwayFromZero(savingPence * discountFactor(rate, year));
}

/** −one-off + Σ saving(t) ÷ (1 + rate)^t, rounded once. */
export function npvPence(oneOffPence: number, savingsPence: readonly number[], rate: number): number {
  const discounted = savingsPence.reduce((sum, saving, index) => sum + saving * discountFactor(rate, index + 1), 0);
  return roundHalfAwayFromZero(discounted - oneOffPence);
}

/**
 * Years until the cumulative saving first covers the one-off cost, interpolated within the year, to
 * 0.01 of a year. 0 when there is no one-off cost to recover; null when not within the horizon.
 */
export function paybackYears(oneOffPence: number, savingsPence: readonly number[]): number | null {
  if (oneOffPence <= 0) return 0;
  let cumulative = 0;
  for (const [index, saving] of savingsPence.entries()) {
    if (cumulative + saving >= oneOffPence) return Math.round((index + (oneOffPence - cumulative) / saving) * 100) / 100;
    cumulative += saving;
  }
  return null;
}
