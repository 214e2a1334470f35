// Scenario parameters: defaults and where each comes from (planning-model.md, "Parameters and defaults").
import type { ParameterOverrides, ScenarioParameters } from '../schemas/scenario.js';
import { nextFinancialYearStart } from './dates.js';

export type { ParameterOverrides, ScenarioParameters };

// Typed without the schema's types, which the schema builds from these values.
export const parameterDefaults = {
  radiusM: 1609,
  deprivedDeciles: [1, 2, 3] as readonly number[],
  horizonYears: 5,
  discountRate: 0.035,
  redundancyMonths: 6,
  hubManagementFtePerSpoke: 0.2,
  hubManagementCostPerFtePence: 5_850_000,
  walkingSpeedMPerMin: 80,
  detourFactor: 1.3,
  maxSpokeDistanceM: 5000,
  maxSpokesPerHub: 6,
  consultationHoursCutShare: 0.1,
  vacantOrRedeployedShare: 0,
  benefitHorizonYears: 10,
  savingsSlippage: 0,
  savingsSlippageLow: null,
  savingsSlippageHigh: null,
  savingsRamp: [] as readonly number[],
  oneOffOptimismBias: 0,
  oneOffOptimismBiasLow: null,
  oneOffOptimismBiasHigh: null,
  clawbackYears: 25,
  renewalProbabilityOverrides: {} as Readonly<Record<string, number>>,
} satisfies Record<string, number | null | readonly number[] | Readonly<Record<string, number>>>;

export const parameterSources: { readonly [K in keyof typeof parameterDefaults | 'startDate']: string } = {
  radiusM: 'one mile: "pram-pushing distance", the Sure Start reach-area rule of thumb',
  deprivedDeciles: 'the 30% most deprived LSOAs in England (IoD2019)',
  horizonYears: 'a typical medium-term financial plan',
  discountRate: 'HM Treasury Green Book social time preference rate',
  redundancyMonths: 'illustrative: redundancy pay plus pension strain; councils set their own',
  hubManagementFtePerSpoke: 'illustrative',
  hubManagementCostPerFtePence:
    'illustrative, 2024/25 prices: a £45,000 salary (an assumed centre-manager grade on the NJC pay spine; councils use their own grades) plus 30% on-costs (employer National Insurance and LGPS pension) = £58,500',
  walkingSpeedMPerMin: "4.8 km/h, about 3 mph (as in Sport England's Facilities Planning Model)",
  detourFactor: 'illustrative: street network against straight line',
  maxSpokeDistanceM: 'illustrative warning threshold',
  maxSpokesPerHub: 'illustrative (Bradford: 41 centres in 7 clusters)',
  consultationHoursCutShare:
    'illustrative and cautious: the Childcare Act 2006 s5D and the statutory guidance require consultation before a "significant change" in services without defining it; a cut of more than a tenth of opening hours is treated as one',
  vacantOrRedeployedShare:
    'cautious: 0 assumes every post removed is filled and its holder made redundant; councils state their vacancies and redeployments',
  startDate: 'the next 1 April (start of a council financial year) after the evaluation date',
  benefitHorizonYears: 'illustrative: long enough for the benefits of the cohorts reached within the cash horizon to show',
  savingsSlippage: 'none assumed: councils state their own (Green Book: expected values for risks)',
  savingsSlippageLow: 'null: no range, the central value is taken as certain',
  savingsSlippageHigh: 'null: no range, the central value is taken as certain',
  savingsRamp: 'none: every saving delivered in full from year 1',
  oneOffOptimismBias: 'none assumed: the Green Book supplementary guidance on optimism bias gives ranges by kind of project',
  oneOffOptimismBiasLow: 'null: no range, the central value is taken as certain',
  oneOffOptimismBiasHigh: 'null: no range, the central value is taken as certain',
  clawbackYears: 'the Department for Education may reclaim Sure Start capital for 25 years after the grant',
  renewalProbabilityOverrides: "none: each income stream's own renewalProbability",
};

/** Fills in every parameter not given. `asOf` (YYYY-MM-DD, the evaluation date) fixes the default start date. */
export function resolveParameters(overrides: ParameterOverrides, asOf: string): ScenarioParameters {
  const given = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
  return {
    ...parameterDefaults,
    startDate: nextFinancialYearStart(asOf),
    ...given,
    deprivedDeciles: [...new Set(overrides.deprivedDeciles ?? parameterDefaults.deprivedDeciles)].sort((a, b) => a - b),
    savingsRamp: [...(overrides.savingsRamp ?? parameterDefaults.savingsRamp)],
    renewalProbabilityOverrides: { ...(overrides.renewalProbabilityOverrides ?? parameterDefaults.renewalProbabilityOverrides) },
  };
}

/** Low and high values of an uncertain parameter must bracket its central value. */
export function parameterRangeErrors(overrides: ParameterOverrides): { path: string; message: string }[] {
  const errors: { path: string; message: string }[] = [];
  for (const name of ['savingsSlippage', 'oneOffOptimismBias'] as const) {
    const central = overrides[name] ?? parameterDefaults[name];
    const low = overrides[`${name}Low`];
    const high = overrides[`${name}High`];
    if (low != null && low > central) errors.push({ path: `/parameters/${name}Low`, message: `must not be above ${name} (${central})` });
    if (high != null && high < central) errors.push({ path: `/parameters/${name}High`, message: `must not be below ${name} (${central})` });
  }
  return errors;
}
