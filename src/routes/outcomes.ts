import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { outcomes } from '../db/schema.js';
import { cohortBases } from '../domain/types.js';
import { type OutcomeInput, outcomeFields, outcomeSchema, shareErrors } from '../schemas/resources.js';
import { registerResource } from './resource.js';

/** Rules an outcome keeps (outcomes-model.md): rates within 0 to 1, sensible years, and some value to count. */
export function outcomeRules(outcome: OutcomeInput) {
  const errors = shareErrors(outcome, [
    'engagementRate',
    'impactRate',
    'impactRateLow',
    'impactRateHigh',
    'deadweight',
    'attribution',
    'optimismBias',
    'dropOff',
    'cashability',
  ]);
  if (outcome.impactRateLow != null && outcome.impactRateLow > outcome.impactRate) {
    errors.push({ path: '/impactRateLow', message: 'must not be above impactRate' });
  }
  if (outcome.impactRateHigh != null && outcome.impactRateHigh < outcome.impactRate) {
    errors.push({ path: '/impactRateHigh', message: 'must not be below impactRate' });
  }
  if (!(outcome.lagYears >= 0 && outcome.lagYears <= 50)) errors.push({ path: '/lagYears', message: 'must be 0 to 50 years' });
  if (!(outcome.durationYears >= 1 && outcome.durationYears <= 100)) errors.push({ path: '/durationYears', message: 'must be 1 to 100 years' });
  if (!(outcome.priceUplift > 0)) errors.push({ path: '/priceUplift', message: 'must be above 0' });
  if (outcome.fiscalValuePence + outcome.economicValuePence + outcome.socialValuePence === 0) {
    errors.push({
      path: '/fiscalValuePence',
      message: 'an outcome needs a value: at least one of fiscalValuePence, economicValuePence and socialValuePence above 0',
    });
  }
  if (outcome.cohortBasis === 'households' && !((outcome.under5sPerHousehold ?? 0) > 0)) {
    errors.push({ path: '/under5sPerHousehold', message: 'is needed, above 0, when cohortBasis is households' });
  }
  return errors;
}

export function registerOutcomes(app: FastifyInstance) {
  registerResource<OutcomeInput>(app, {
    table: outcomes,
    path: 'outcomes',
    idParam: 'outcomeId',
    nouns: ['Outcome', 'Outcomes'],
    label: 'outcome',
    tag: 'Outcomes',
    fields: outcomeFields,
    output: outcomeSchema,
    rules: outcomeRules,
    network: {
      rows: (network) => network.outcomes,
      filters: z.object({ cohortBasis: z.enum(cohortBases).optional() }),
    },
    patchExample: { impactRate: 0.05, impactRateLow: 0.02, impactRateHigh: 0.08 },
    createExample: {
      name: 'Child reaches a good level of development at 5',
      sourceRef: 'GMCA Unit Cost Database v1.4: school readiness, about £1,000 per child per year (2012/13 prices)',
      priceYear: '2012/13',
      cohortBasis: 'births',
      engagementRate: 0.6,
      impactRate: 0.05,
      lagYears: 4,
      durationYears: 1,
      fiscalValuePence: 100_000,
      priceUplift: 1.2,
      agency: 'Local authority (education)',
      cashability: 0.1,
    },
    descriptions: {
      create:
        "An outcome for children the council values in the economic case of every evaluation: the outcome value lost (or gained) by an option's " +
        'change in reach (outcomes-model.md). Rates outside 0 to 1, a negative lag and an outcome with no value are 422s naming the field.',
    },
  });
}
