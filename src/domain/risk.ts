// Expected values for risks (outcomes-model.md, section 2): savings slippage and ramp, optimism bias on
// one-off costs, capital clawback and contract renewals at their probabilities. Every one enters the NPV
// linearly, so each is also an uncertain input of the sensitivity analysis (uncertainty.ts) with its
// change in NPV per unit.
import type { Expected, UncertainInput } from '../schemas/economics.js';
import type { ScenarioAction, ScenarioEvaluation, ScenarioParameters } from '../schemas/scenario.js';
import type { AppliedScenario } from './actions.js';
import { addYears, dayNumber, daysActive, type PlanYear } from './dates.js';
import { discountFactor } from './finance.js';
import { roundHalfAwayFromZero } from './money.js';
import { incomeCounts, type SitesById } from './network.js';
import type { IncomeStream, Site } from './types.js';

/** A site's capital clawback that the scenario's closure of it triggers. */
export interface ClawbackRisk {
  site: Site;
  amountPence: number;
  probability: number;
}

/** Income that counts on one side only, and whose renewal after its end date is uncertain. */
export interface RenewalRisk {
  stream: IncomeStream;
  change: 'lost' | 'gained';
  probability: number;
  /** Renewed income in each plan year (after the end date), unrounded. */
  byYear: number[];
}

/** Sites the scenario hands to another provider: like a closure, a transfer ends the council's use of the capital. */
export const transferredSites = (actions: readonly ScenarioAction[]): ReadonlySet<string> =>
  new Set(actions.flatMap((action) => (action.type === 'transfer_site' ? [action.siteId] : [])));

/**
 * Sites open in the network that the scenario closes or transfers, with a capital grant still within its
 * clawback period on the first day of year 1 (when closures take effect).
 */
export function clawbackRisks(
  applied: Pick<AppliedScenario, 'changesBySite' | 'sitesById'>,
  transferred: ReadonlySet<string>,
  baselineSites: SitesById,
  parameters: ScenarioParameters,
): ClawbackRisk[] {
  const risks: ClawbackRisk[] = [];
  for (const siteId of applied.changesBySite.keys()) {
    const before = baselineSites.get(siteId);
    const after = applied.sitesById.get(siteId);
    if (before?.status !== 'open' || (after?.status !== 'closed' && !transferred.has(siteId))) continue;
    const amountPence = before.capitalClawbackPence ?? 0;
    const grant = before.capitalGrantDate;
    if (amountPence <= 0 || !grant || parameters.startDate >= addYears(grant, parameters.clawbackYears)) continue;
    risks.push({ site: before, amountPence, probability: before.clawbackProbability ?? 1 });
  }
  return risks;
}

/** Income after a stream's end date in each plan year, at certainty. */
function incomeAfterEnd(stream: IncomeStream, years: readonly PlanYear[]): number[] {
  const from = dayNumber(stream.endDate!) + 1;
  return years.map((year) => (stream.annualValuePence * daysActive(from, null, year)) / year.days);
}

/**
 * The touched streams (the only ones a scenario can count differently) that end within the horizon,
 * count on one side only and may be renewed: their renewal is income lost (or gained) in expectation.
 */
export function renewalRisks(
  applied: Pick<AppliedScenario, 'touchedIncome' | 'incomeById' | 'sitesById'>,
  baselineSites: SitesById,
  years: readonly PlanYear[],
  parameters: ScenarioParameters,
): RenewalRisk[] {
  const lastDay = years.at(-1)!.lastDay;
  const risks: RenewalRisk[] = [];
  for (const stream of applied.touchedIncome.baselineStreams) {
    const probability = parameters.renewalProbabilityOverrides[stream.id] ?? stream.renewalProbability ?? 0;
    if (probability <= 0 || stream.endDate === null || dayNumber(stream.endDate) >= lastDay) continue;
    const after = applied.incomeById.get(stream.id);
    const inBaseline = incomeCounts(stream, baselineSites);
    const inScenario = after !== undefined && incomeCounts(after, applied.sitesById);
    if (inBaseline === inScenario) continue;
    risks.push({ stream, change: inBaseline ? 'lost' : 'gained', probability, byYear: incomeAfterEnd(stream, years) });
  }
  return risks;
}

/** The share of the planned saving the ramp delivers in plan year `year` (1-based): all of it after the list. */
const rampShare = (ramp: readonly number[], year: number): number => ramp[year - 1] ?? 1;

/** A linear model of the expected financial NPV: its value with every input central, and the inputs. */
export interface FinancialModel {
  expected: Expected;
  /** The expected NPV before rounding. */
  npv: number;
  inputs: UncertainInput[];
}

const triangular = (low: number | null, central: number, high: number | null) => ({ low: low ?? central, central, high: high ?? central });
const isUncertain = ({ low, high }: { low: number; high: number }) => low < high;

/**
 * Expected values of the option's money: a positive planned saving slips by savingsSlippage and ramps
 * up (a negative one, a cost, is taken as planned, so that no risk can make it smaller); redundancy and
 * closure and capital costs carry the optimism bias; each clawback counts at its probability in year 0; each renewal
 * at its probability after the end date.
 */
export function financialModel(
  savings: ScenarioEvaluation['savings'],
  clawbacks: readonly ClawbackRisk[],
  renewals: readonly RenewalRisk[],
  years: readonly PlanYear[],
  parameters: ScenarioParameters,
): FinancialModel {
  const { discountRate, savingsSlippage, savingsRamp, oneOffOptimismBias } = parameters;
  const factors = years.map((year) => discountFactor(discountRate, year.year));
  const planned = savings.cashFlow.map((flow) => flow.savingPence);
  const delivered = planned.map((saving, index) => (saving > 0 ? saving * (1 - savingsSlippage) * rampShare(savingsRamp, index + 1) : saving));
  const renewalSign = (risk: RenewalRisk) => (risk.change === 'gained' ? 1 : -1);
  const renewal = years.map((_, index) => renewals.reduce((sum, risk) => sum + renewalSign(risk) * risk.probability * risk.byYear[index]!, 0));
  const expectedSavings = delivered.map((saving, index) => saving + renewal[index]!);
  const biasedCosts = savings.oneOff.redundancyPence + savings.oneOff.closureCostsPence + savings.oneOff.capitalCostsPence;
  const optimismBias = biasedCosts * oneOffOptimismBias;
  const clawback = clawbacks.reduce((sum, risk) => sum + risk.probability * risk.amountPence, 0);
  const oneOffTotal = biasedCosts + optimismBias + clawback - savings.oneOff.capitalReceiptsPence;
  // The cash NPV (summed exactly) plus what the risks change: with no risk entered, it is the cash NPV itself.
  const npv =
    savings.npvPence +
    expectedSavings.reduce((sum, saving, index) => sum + (saving - planned[index]!) * factors[index]!, 0) -
    (oneOffTotal - savings.oneOff.totalPence);

  const inputs: UncertainInput[] = [];
  const slippage = triangular(parameters.savingsSlippageLow, savingsSlippage, parameters.savingsSlippageHigh);
  if (isUncertain(slippage)) {
    const perUnit = -planned.reduce((sum, saving, index) => sum + (saving > 0 ? saving * rampShare(savingsRamp, index + 1) * factors[index]! : 0), 0);
    inputs.push({
      key: 'savingsSlippage',
      kind: 'savings_slippage',
      label: 'Savings slippage',
      distribution: 'triangular',
      ...slippage,
      affects: 'financial',
      npvPencePerUnit: perUnit,
    });
  }
  const bias = triangular(parameters.oneOffOptimismBiasLow, oneOffOptimismBias, parameters.oneOffOptimismBiasHigh);
  if (isUncertain(bias)) {
    inputs.push({
      key: 'oneOffOptimismBias',
      kind: 'one_off_optimism_bias',
      label: 'Optimism bias on one-off costs',
      distribution: 'triangular',
      ...bias,
      affects: 'financial',
      npvPencePerUnit: -biasedCosts,
    });
  }
  const bernoulli = (probability: number) => ({ distribution: 'bernoulli' as const, low: 0, central: probability, high: 1, affects: 'financial' as const });
  for (const risk of clawbacks) {
    if (risk.probability >= 1) continue;
    inputs.push({
      key: `clawback:${risk.site.id}`,
      kind: 'clawback',
      label: `Capital clawback at ${risk.site.name}`,
      ...bernoulli(risk.probability),
      npvPencePerUnit: -risk.amountPence,
    });
  }
  for (const risk of renewals) {
    if (risk.probability >= 1) continue;
    const perUnit = renewalSign(risk) * risk.byYear.reduce((sum, income, index) => sum + income * factors[index]!, 0);
    inputs.push({
      key: `renewal:${risk.stream.id}`,
      kind: 'renewal',
      label: `Renewal of ${risk.stream.partner} (${risk.stream.kind})`,
      ...bernoulli(risk.probability),
      npvPencePerUnit: perUnit,
    });
  }

  const expected: Expected = {
    oneOff: {
      redundancyPence: savings.oneOff.redundancyPence,
      closureCostsPence: savings.oneOff.closureCostsPence,
      capitalCostsPence: savings.oneOff.capitalCostsPence,
      optimismBiasPence: roundHalfAwayFromZero(optimismBias),
      clawbackPence: roundHalfAwayFromZero(clawback),
      capitalReceiptsPence: savings.oneOff.capitalReceiptsPence,
      totalPence: roundHalfAwayFromZero(oneOffTotal),
    },
    cashFlow: years.map((year, index) => ({
      year: year.year,
      plannedSavingPence: planned[index]!,
      deliveredSavingPence: roundHalfAwayFromZero(delivered[index]!),
      renewalIncomePence: roundHalfAwayFromZero(renewal[index]!),
      expectedSavingPence: roundHalfAwayFromZero(expectedSavings[index]!),
      presentValuePence: roundHalfAwayFromZero(expectedSavings[index]! * factors[index]!),
    })),
    npvPence: roundHalfAwayFromZero(npv),
    clawbacks: clawbacks.map((risk) => ({
      sourceType: 'site',
      sourceId: risk.site.id,
      description: risk.site.name,
      probability: risk.probability,
      amountPence: risk.amountPence,
      capitalGrantDate: risk.site.capitalGrantDate!,
      expectedPence: roundHalfAwayFromZero(risk.probability * risk.amountPence),
    })),
    renewals: renewals.map((risk) => ({
      sourceType: 'income_stream',
      sourceId: risk.stream.id,
      description: risk.stream.partner,
      probability: risk.probability,
      endDate: risk.stream.endDate!,
      annualValuePence: risk.stream.annualValuePence,
      change: risk.change,
      presentValuePence: roundHalfAwayFromZero(risk.byYear.reduce((sum, income, index) => sum + income * factors[index]!, 0)),
    })),
  };
  return { expected, npv, inputs };
}
