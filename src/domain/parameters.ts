// Scenario parameters with every default filled in (planning-model.md, "Parameters and defaults").
import type { ParameterOverrides, ScenarioParameters } from '../schemas/scenario.js';
import { nextFinancialYearStart } from './dates.js';
import { parameterDefaults } from './parameter-defaults.js';

export type { ParameterOverrides, ScenarioParameters };

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
    coreOffer: [...(overrides.coreOffer ?? [])],
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
