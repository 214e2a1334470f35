// The economic case, expected values and their uncertainty for one option, from its evaluation's results:
// its savings, its change in reach and the risks its actions trigger.
import type { EconomicCase, Expected, MonteCarloRequest, Provenance, Uncertainty } from '../schemas/economics.js';
import {
  scenarioParametersSchema,
  type NetworkFigures,
  type ParameterOverrides,
  type ScenarioEvaluation,
  type ScenarioAction,
  type ScenarioParameters,
} from '../schemas/scenario.js';
import type { AppliedScenario } from './actions.js';
import type { PlanYear } from './dates.js';
import { economicCase } from './economic-case.js';
import type { SitesById } from './network.js';
import { clawbackRisks, financialModel, renewalRisks, transferredSites } from './risk.js';
import type { Outcome } from './types.js';
import { drawNpvs, type LinearModel, monteCarloOf, sensitivity } from './uncertainty.js';

export interface Economics {
  expected: Expected;
  economicCase: EconomicCase;
  uncertainty: Uncertainty;
}

// biome-ignore lint/complexity/useMaxParams: seven arguments, to become one parameter object
export function scenarioEconomics(
  outcomes: readonly Outcome[],
  applied: AppliedScenario,
  actions: readonly ScenarioAction[],
  baselineSites: SitesById,
  years: readonly PlanYear[],
  parameters: ScenarioParameters,
  savings: ScenarioEvaluation['savings'],
  reach: { baseline: NetworkFigures['reach']; scenario: NetworkFigures['reach'] },
): Economics {
  const financial = financialModel(
    savings,
    clawbackRisks(applied, transferredSites(actions), baselineSites, parameters),
    renewalRisks(applied, baselineSites, years, parameters),
    years,
    parameters,
  );
  const lost = {
    under5s: reach.baseline.reachedUnder5s - reach.scenario.reachedUnder5s,
    deprivedUnder5s: reach.baseline.deprivedReachedUnder5s - reach.scenario.deprivedReachedUnder5s,
  };
  const economic = economicCase(outcomes, lost, {
    cohortYears: parameters.horizonYears,
    benefitYears: Math.max(parameters.horizonYears, parameters.benefitHorizonYears),
    discountRate: parameters.discountRate,
    financialNpvPence: financial.expected.npvPence,
  });
  const valueLost = economic.sensitivities.reduce((sum, { outcome, presentValuePerUnitImpact }) => sum + presentValuePerUnitImpact * outcome.impactRate, 0);
  const model: LinearModel = {
    financialNpv: financial.npv,
    economicNpv: financial.npv - valueLost,
    inputs: [
      ...financial.inputs,
      ...economic.sensitivities.flatMap(({ outcome, presentValuePerUnitImpact }) => {
        const low = outcome.impactRateLow ?? outcome.impactRate;
        const high = outcome.impactRateHigh ?? outcome.impactRate;
        if (!(low < high) || presentValuePerUnitImpact === 0) return [];
        return [
          {
            key: `impact:${outcome.id}`,
            kind: 'outcome_impact' as const,
            label: `Impact rate of ${outcome.name}`,
            distribution: 'triangular' as const,
            low,
            central: outcome.impactRate,
            high,
            affects: 'economic' as const,
            npvPencePerUnit: -presentValuePerUnitImpact,
          },
        ];
      }),
    ],
  };
  return { expected: financial.expected, economicCase: economic.economicCase, uncertainty: sensitivity(model) };
}

/** The linear model an evaluation's figures describe, for Monte Carlo. */
export const linearModelOf = (evaluation: Pick<ScenarioEvaluation, 'expected' | 'economicCase' | 'uncertainty'>): LinearModel => ({
  financialNpv: evaluation.expected.npvPence,
  economicNpv: evaluation.economicCase.economicNpvPence,
  inputs: evaluation.uncertainty.inputs,
});

/** Which parameters the scenario set and which are defaults; which outcomes are illustrative and which the council's. */
export function provenanceOf(overrides: ParameterOverrides, outcomes: readonly Outcome[]): Provenance {
  const given = new Set(Object.keys(overrides).filter((name) => overrides[name as keyof ParameterOverrides] !== undefined));
  const names = Object.keys(scenarioParametersSchema.shape);
  return {
    parametersGiven: names.filter((name) => given.has(name)),
    parametersDefaulted: names.filter((name) => !given.has(name)),
    illustrativeOutcomes: outcomes.filter((outcome) => outcome.illustrative).map((outcome) => outcome.id),
    councilOutcomes: outcomes.filter((outcome) => !outcome.illustrative).map((outcome) => outcome.id),
  };
}

/** The evaluation with seeded Monte Carlo draws of its uncertain inputs. */
export function withMonteCarlo(evaluation: ScenarioEvaluation, { draws, seed }: MonteCarloRequest): ScenarioEvaluation {
  const monteCarlo = monteCarloOf(drawNpvs([linearModelOf(evaluation)], draws, seed), 0, seed);
  return { ...evaluation, uncertainty: { ...evaluation.uncertainty, monteCarlo } };
}
