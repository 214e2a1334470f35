// The economic case, expected values and uncertainty of an evaluation (outcomes-model.md).
import { z } from 'zod';
import { cohortBases } from '../domain/types.js';
import { dateSchema, withLimit } from './common.js';

const pence = z.int().describe('Money in integer pence; negative where it says so');
const idSchema = z.string().max(100);
const nameSchema = z.string().max(200);
const labelSchema = z.string().max(300).describe('The input in words');
const keySchema = z.string().max(150).describe('Names the input: kind:id');

const valueFields = {
  fiscalPence: pence,
  economicPence: pence,
  socialPence: pence,
  totalPence: pence.describe('fiscal + economic + social'),
};

const yearValueSchema = z.object({
  year: z.int().min(1),
  outcomesLost: z.number().describe('Outcomes lost that year (negative: gained), to 0.0001'),
  ...valueFields,
  presentValuePence: pence.describe('total ÷ (1 + discountRate)^year'),
});

export const outcomeValueSchema = z
  .object({
    outcomeId: idSchema,
    name: nameSchema,
    illustrative: z.boolean().describe('true for a shipped illustrative default rather than a figure the council entered'),
    sourceRef: z.string().max(1000),
    cohortBasis: z.enum(cohortBases),
    agency: nameSchema,
    cohortLostPerYear: z
      .number()
      .describe('Cohort no longer reached each year (negative: more reached): under-5s, deprived under-5s, births (÷ 5) or households'),
    netOutcomesPerCohortYear: z
      .number()
      .describe('cohort × engagement × impact × (1 − deadweight) × attribution × (1 − optimism bias): outcomes lost per year a cohort is not reached'),
    years: z.array(yearValueSchema).describe('Each year of the benefit horizon; a year’s figures rounded on their own'),
    presentValue: z.object({ ...valueFields, cashableFiscalPence: pence.describe('fiscal × cashability') }),
  })
  .meta({ id: 'OutcomeValue' });

export const economicCaseSchema = z
  .object({
    benefitHorizonYears: z.int(),
    outcomes: z.array(outcomeValueSchema),
    valueLost: z
      .object({ ...valueFields, cashableFiscalPence: pence })
      .describe('Present value of the outcome value the option loses (negative: gains), summed exactly and rounded once'),
    fiscalByAgency: z.array(z.object({ agency: nameSchema, presentValuePence: pence, cashablePence: pence })),
    financialNpvPence: pence.describe('The expected financial NPV (expected.npvPence)'),
    economicNpvPence: pence.describe('financial NPV − present value of the outcome value lost'),
    benefitCostRatio: z
      .number()
      .nullable()
      .describe('Where the option spends (financial NPV below 0): outcome value gained ÷ net cost, to 0.01; null otherwise'),
  })
  .describe(
    "The economic case: the value of outcomes for children lost (or gained) by the change in reach, from the council's outcomes. With no outcomes, the economic NPV is the financial one.",
  )
  .meta({ id: 'EconomicCase' });
export type EconomicCase = z.output<typeof economicCaseSchema>;

const riskItemFields = {
  sourceType: z.enum(['site', 'income_stream']),
  sourceId: idSchema,
  description: nameSchema.describe('The site name or income partner'),
  probability: z.number(),
};

export const expectedSchema = z
  .object({
    oneOff: z.object({
      redundancyPence: pence,
      closureCostsPence: pence,
      capitalCostsPence: pence,
      optimismBiasPence: pence.describe('oneOffOptimismBias × (redundancy + closure costs + capital costs), rounded'),
      clawbackPence: pence.describe('Σ probability × clawback of each site a closure or transfer triggers, rounded once'),
      capitalReceiptsPence: pence,
      totalPence: pence,
    }),
    cashFlow: z.array(
      z.object({
        year: z.int().min(1),
        plannedSavingPence: pence.describe('The evaluation’s saving'),
        deliveredSavingPence: pence.describe('A positive planned saving × (1 − savingsSlippage) × the ramp’s share; a negative one as it is'),
        renewalIncomePence: pence.describe('Expected income after contract end dates: scenario − baseline'),
        expectedSavingPence: pence,
        presentValuePence: pence,
      }),
    ),
    npvPence: pence.describe('−expected one-off + Σ expected saving ÷ (1 + discountRate)^year'),
    clawbacks: z.array(z.object({ ...riskItemFields, amountPence: pence, capitalGrantDate: dateSchema, expectedPence: pence })),
    renewals: z.array(
      z.object({
        ...riskItemFields,
        endDate: dateSchema,
        annualValuePence: pence,
        change: z.enum(['lost', 'gained']).describe('lost: counted in the baseline only; gained: in the scenario only'),
        presentValuePence: pence.describe('Present value of the renewed income over the horizon, at certainty'),
      }),
    ),
  })
  .describe('Expected values for risks (Green Book): slippage and ramp of savings, optimism bias on one-offs, clawback and renewals at their probabilities')
  .meta({ id: 'ExpectedValues' });
export type Expected = z.output<typeof expectedSchema>;

const npvRangeSchema = z.object({ lowPence: pence, centralPence: pence, highPence: pence });
const distributionStatsSchema = z.object({
  p10Pence: pence,
  p50Pence: pence,
  p90Pence: pence,
  meanPence: pence,
  probabilityBelowZero: z.number(),
});

export const uncertainInputSchema = z.object({
  key: keySchema.describe('Names the input across options (kind:id): the same key draws the same random numbers in a comparison'),
  kind: z.enum(['renewal', 'clawback', 'savings_slippage', 'one_off_optimism_bias', 'outcome_impact']),
  label: labelSchema,
  distribution: z.enum(['bernoulli', 'triangular']),
  low: z.number(),
  central: z.number().describe('The probability of a Bernoulli input; the mode of a triangular one'),
  high: z.number(),
  affects: z.enum(['financial', 'economic']).describe('financial inputs move both NPVs; economic ones only the economic NPV'),
  npvPencePerUnit: z.number().describe('Change in NPV per unit of the input: the NPV is linear in every input'),
});
export type UncertainInput = z.output<typeof uncertainInputSchema>;

export const monteCarloSchema = z
  .object({ draws: z.int(), seed: z.int(), financial: distributionStatsSchema, economic: distributionStatsSchema })
  .meta({ id: 'MonteCarlo' });
export type MonteCarlo = z.output<typeof monteCarloSchema>;

export const comparedMonteCarloSchema = monteCarloSchema
  .extend({
    probabilityBestFinancial: z.number().describe('Share of draws in which this option has the highest financial NPV of the options compared'),
    probabilityBestEconomic: z.number().describe('The same for the economic NPV'),
  })
  .meta({ id: 'ComparedMonteCarlo' });

/** What a comparison ranks by. */
export const rankMeasures = ['saving_per_under5_lost', 'npv', 'economic_npv'] as const;
export type RankMeasure = (typeof rankMeasures)[number];

/** Monte Carlo draws one request may ask for (README "Limits"): far more than percentiles need, within the time limit for the most options a comparison takes. */
export const monteCarloDraws = { min: 100, max: 100_000 };
const maxSeed = 4_294_967_295;
const drawsDescription = `Monte Carlo draws, ${monteCarloDraws.min} to ${monteCarloDraws.max} (absent: no Monte Carlo)`;
const seedDescription = 'Seed of the Monte Carlo draws: the same seed gives the same figures. Default 1';
/** ?monteCarlo=N&seed=S */
export const monteCarloQueryFields = {
  monteCarlo: withLimit(z.coerce.number().int().min(monteCarloDraws.min), monteCarloDraws.max).optional().describe(drawsDescription),
  seed: z.coerce.number().int().min(0).max(maxSeed).default(1).describe(seedDescription),
};
/** The same in a JSON body. */
export const monteCarloBodyFields = {
  monteCarlo: withLimit(z.int().min(monteCarloDraws.min), monteCarloDraws.max).optional().describe(drawsDescription),
  seed: z.int().min(0).max(maxSeed).default(1).describe(seedDescription),
};

/** What a request asks of Monte Carlo: how many draws, from which seed. */
export interface MonteCarloRequest {
  draws: number;
  seed: number;
}

/** Names a request's Monte Carlo in cache keys. */
export const monteCarloKey = (request: MonteCarloRequest | undefined) => (request ? `mc${request.draws}s${request.seed}` : 'nomc');

/** The request's Monte Carlo, absent when it asked for none. */
export const monteCarloRequest = ({ monteCarlo, seed }: { monteCarlo?: number | undefined; seed: number }): MonteCarloRequest | undefined =>
  monteCarlo === undefined ? undefined : { draws: monteCarlo, seed };

export const uncertaintySchema = z
  .object({
    inputs: z.array(uncertainInputSchema),
    financialNpv: npvRangeSchema,
    economicNpv: npvRangeSchema,
    tornado: z
      .array(
        z.object({
          key: keySchema,
          label: labelSchema,
          financialNpvAtLowPence: pence,
          financialNpvAtHighPence: pence,
          economicNpvAtLowPence: pence,
          economicNpvAtHighPence: pence,
          swingPence: pence.describe('|economic NPV at high − at low|'),
        }),
      )
      .describe('Each input alone at its low and its high, the others central; sorted by swing, largest first'),
    switchingValues: z.array(
      z.object({
        key: keySchema,
        label: labelSchema,
        central: z.number(),
        financial: z.number().nullable().describe('The value at which the financial NPV is 0; null when none within the input’s range'),
        economic: z.number().nullable(),
      }),
    ),
    monteCarlo: monteCarloSchema.optional().describe('On request (?monteCarlo=N): draws of every input at once'),
  })
  .describe(
    'Low / central / high NPV (low: every input at its end that lowers the NPV), tornado, switching values and Monte Carlo, over the inputs the council gave a range or probability',
  )
  .meta({ id: 'Uncertainty' });
export type Uncertainty = z.output<typeof uncertaintySchema>;

export const provenanceSchema = z
  .object({
    parametersGiven: z.array(z.string().max(50)).describe('Parameters the scenario set'),
    parametersDefaulted: z.array(z.string().max(50)).describe('Parameters taken from the defaults (see each one’s source)'),
    illustrativeOutcomes: z.array(idSchema).describe('Outcomes (ids) that are shipped illustrative defaults'),
    councilOutcomes: z.array(idSchema).describe('Outcomes (ids) the council entered'),
  })
  .describe('Which figures are illustrative defaults and which the council entered')
  .meta({ id: 'Provenance' });
export type Provenance = z.output<typeof provenanceSchema>;
