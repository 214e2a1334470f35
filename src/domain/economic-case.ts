// The economic case (outcomes-model.md, section 1): the value of outcomes for children an option loses,
// or gains, through its change in reach, year by year, fiscal / economic / social, in present value.
import type { EconomicCase } from '../schemas/economics.js';
import { discountFactor } from './finance.js';
import { roundHalfAwayFromZero } from './money.js';
import type { CohortBasis, Outcome } from './types.js';

export type { EconomicCase };

/** Under-5s no longer reached by an option (negative when it reaches more), overall and in the deprived deciles. */
export interface ReachLost {
  under5s: number;
  deprivedUnder5s: number;
}

/** Births are one year group of the under-5s. */
const yearGroupsUnder5 = 5;

/** The cohort no longer reached each year, counted as the outcome counts it. */
export function cohortLost(outcome: Pick<Outcome, 'cohortBasis' | 'under5sPerHousehold'>, lost: ReachLost): number {
  const byBasis: Record<CohortBasis, () => number> = {
    births: () => lost.under5s / yearGroupsUnder5,
    under5s: () => lost.under5s,
    deprived_under5s: () => lost.deprivedUnder5s,
    households: () => lost.under5s / outcome.under5sPerHousehold!,
  };
  return byBasis[outcome.cohortBasis]();
}

/** Outcomes per cohort-year for every unit of impact rate: net = this × impactRate. */
export const netPerUnitImpact = (outcome: Outcome, cohort: number): number =>
  cohort * outcome.engagementRate * (1 - outcome.deadweight) * outcome.attribution * (1 - outcome.optimismBias);

/**
 * Σ over cohorts s = 1 … cohortYears of (1 − dropOff)^(t − s − lag) for lag ≤ t − s < lag + duration: the
 * outcomes of year t (1 … years) for one net outcome per cohort-year.
 */
export function outcomeProfile(outcome: Pick<Outcome, 'lagYears' | 'durationYears' | 'dropOff'>, cohortYears: number, years: number): number[] {
  return Array.from({ length: years }, (_, index) => {
    const year = index + 1;
    let total = 0;
    for (let cohort = 1; cohort <= Math.min(cohortYears, year); cohort++) {
      const since = year - cohort - outcome.lagYears;
      if (since >= 0 && since < outcome.durationYears) total += (1 - outcome.dropOff) ** since;
    }
    return total;
  });
}

interface ValueSums {
  fiscal: number;
  economic: number;
  social: number;
}

/** Present value of an outcome's total value per unit of impact rate: what the uncertainty analysis moves. */
export interface OutcomeSensitivity {
  outcome: Outcome;
  presentValuePerUnitImpact: number;
}

/**
 * The value of outcomes lost by an option: each outcome's net outcomes per cohort-year from the cohort
 * it no longer reaches in each of the `cohortYears` (the cash horizon), spread over the years by lag,
 * duration and drop-off up to `benefitYears`, valued at its unit values uplifted to today's prices and
 * discounted. Exact sums are rounded once; each year's figures are rounded on their own.
 */
export function economicCase(
  outcomes: readonly Outcome[],
  lost: ReachLost,
  {
    cohortYears,
    benefitYears,
    discountRate,
    financialNpvPence,
  }: { cohortYears: number; benefitYears: number; discountRate: number; financialNpvPence: number },
): { economicCase: EconomicCase; sensitivities: OutcomeSensitivity[] } {
  const totals: ValueSums = { fiscal: 0, economic: 0, social: 0 };
  let cashable = 0;
  const agencies = new Map<string, { presentValue: number; cashable: number }>();
  const sensitivities: OutcomeSensitivity[] = [];
  const valued = outcomes.map((outcome) => {
    const cohort = cohortLost(outcome, lost);
    const net = netPerUnitImpact(outcome, cohort) * outcome.impactRate;
    const unit = {
      fiscal: outcome.fiscalValuePence * outcome.priceUplift,
      economic: outcome.economicValuePence * outcome.priceUplift,
      social: outcome.socialValuePence * outcome.priceUplift,
    };
    const present: ValueSums = { fiscal: 0, economic: 0, social: 0 };
    const years = outcomeProfile(outcome, cohortYears, benefitYears).map((profile, index) => {
      const outcomesLost = net * profile;
      const factor = discountFactor(discountRate, index + 1);
      present.fiscal += outcomesLost * unit.fiscal * factor;
      present.economic += outcomesLost * unit.economic * factor;
      present.social += outcomesLost * unit.social * factor;
      const fiscalPence = roundHalfAwayFromZero(outcomesLost * unit.fiscal);
      const economicPence = roundHalfAwayFromZero(outcomesLost * unit.economic);
      const socialPence = roundHalfAwayFromZero(outcomesLost * unit.social);
      const total = outcomesLost * (unit.fiscal + unit.economic + unit.social);
      return {
        year: index + 1,
        outcomesLost: Math.round(outcomesLost * 10_000) / 10_000,
        fiscalPence,
        economicPence,
        socialPence,
        totalPence: roundHalfAwayFromZero(total),
        presentValuePence: roundHalfAwayFromZero(total * factor),
      };
    });
    const presentTotal = present.fiscal + present.economic + present.social;
    sensitivities.push({ outcome, presentValuePerUnitImpact: outcome.impactRate === 0 ? 0 : presentTotal / outcome.impactRate });
    totals.fiscal += present.fiscal;
    totals.economic += present.economic;
    totals.social += present.social;
    cashable += present.fiscal * outcome.cashability;
    const agency = agencies.get(outcome.agency) ?? { presentValue: 0, cashable: 0 };
    agency.presentValue += present.fiscal;
    agency.cashable += present.fiscal * outcome.cashability;
    agencies.set(outcome.agency, agency);
    return {
      outcomeId: outcome.id,
      name: outcome.name,
      illustrative: outcome.illustrative,
      sourceRef: outcome.sourceRef,
      cohortBasis: outcome.cohortBasis,
      agency: outcome.agency,
      cohortLostPerYear: Math.round(cohort * 10_000) / 10_000,
      netOutcomesPerCohortYear: Math.round(net * 10_000) / 10_000,
      years,
      presentValue: {
        fiscalPence: roundHalfAwayFromZero(present.fiscal),
        economicPence: roundHalfAwayFromZero(present.economic),
        socialPence: roundHalfAwayFromZero(present.social),
        totalPence: roundHalfAwayFromZero(presentTotal),
        cashableFiscalPence: roundHalfAwayFromZero(present.fiscal * outcome.cashability),
      },
    };
  });
  const totalLost = totals.fiscal + totals.economic + totals.social;
  const valueLostPence = roundHalfAwayFromZero(totalLost);
  return {
    sensitivities,
    economicCase: {
      benefitHorizonYears: benefitYears,
      outcomes: valued,
      valueLost: {
        fiscalPence: roundHalfAwayFromZero(totals.fiscal),
        economicPence: roundHalfAwayFromZero(totals.economic),
        socialPence: roundHalfAwayFromZero(totals.social),
        totalPence: valueLostPence,
        cashableFiscalPence: roundHalfAwayFromZero(cashable),
      },
      fiscalByAgency: [...agencies].map(([agency, sums]) => ({
        agency,
        presentValuePence: roundHalfAwayFromZero(sums.presentValue),
        cashablePence: roundHalfAwayFromZero(sums.cashable),
      })),
      financialNpvPence,
      economicNpvPence: roundHalfAwayFromZero(financialNpvPence - totalLost),
      benefitCostRatio: financialNpvPence < 0 ? Math.round((-totalLost / -financialNpvPence) * 100) / 100 : null,
    },
  };
}
