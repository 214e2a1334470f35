import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { outcomes } from '../db/schema.js';
import { cohortBases } from '../domain/types.js';
import { csvResponse, sendCsv } from '../http/csv-reply.js';
import { problemResponses } from '../http/problem.js';
import { outcomesToCsv } from '../imports/outcomes.js';
import { templateCsv } from '../imports/templates.js';
import { councilParamsSchema } from '../schemas/common.js';
import { type OutcomeInput, outcomeFields, outcomeRules, outcomeSchema } from '../schemas/resources.js';
import { loadNetworkOrNotFound } from '../db/council-resource.js';
import { registerResource } from './resource.js';

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

  app.withTypeProvider<ZodTypeProvider>().get(
    '/councils/:councilId/outcomes.csv',
    {
      schema: {
        operationId: 'getOutcomesCsv',
        tags: ['Outcomes'],
        summary: "The council's outcomes as CSV, in the form POST …/imports/outcomes takes",
        description:
          'One row per outcome, sorted by name, with the columns of the outcomes import template (GET …/imports/templates/outcomes.csv): ' +
          'edit it in a spreadsheet and import it back. Money in pence only, so that each value is given once.',
        params: councilParamsSchema,
        response: { 200: csvResponse('One row per outcome', templateCsv('outcomes').replace(/^\uFEFF/, '')), ...problemResponses(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const rows = await loadNetworkOrNotFound(app.networkCache, request.params.councilId);
      return sendCsv(reply, 'outcomes.csv', outcomesToCsv(rows.outcomes));
    },
  );
}
