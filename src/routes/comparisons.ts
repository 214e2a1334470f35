import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { invalidInputKind, ProblemError, problemResponses } from '../http/problem.js';
import { councilParamsSchema, uuidSchema, withLimit } from '../schemas/common.js';
import {
  monteCarloBodyFields,
  monteCarloKey,
  monteCarloQueryFields,
  monteCarloRequest,
  type MonteCarloRequest,
  type RankMeasure,
  rankMeasures,
} from '../schemas/economics.js';
import { comparisonSchema } from '../schemas/scenario.js';
import { csvResponse } from '../http/csv-reply.js';
import { loadNetworkOrNotFound } from '../db/council-resource.js';
import { loadScenario, scenariosKey, sendEvaluated } from './scenarios.js';

/** Options a council weighs side by side at most (README "Limits"): each is a whole evaluation. */
const maxComparedScenarios = 10;

const scenarioIdsSchema = withLimit(z.array(uuidSchema).min(1), maxComparedScenarios)
  .refine((ids) => new Set(ids).size === ids.length, 'must not repeat a scenario')
  .describe(`The scenarios to compare, 1 to ${maxComparedScenarios}`);

const rankByField = z
  .enum(rankMeasures)
  .default('saving_per_under5_lost')
  .describe('What the rank orders by: saving per under-5 no longer reached (default), the expected financial NPV (npv) or the economic NPV (economic_npv)');

const comparisonBody = z
  .strictObject({
    scenarioIds: scenarioIdsSchema,
    includeBaseline: z.boolean().default(true).describe('Add the current network as a row'),
    rankBy: rankByField,
    ...monteCarloBodyFields,
  })
  .meta({ examples: [{ scenarioIds: ['3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f', '7b8c9d0e-1f2a-4b3c-9d4e-5f6a7b8c9d0e'], includeBaseline: true }] });

const comparisonQuery = z.object({
  // As many ids as a comparison takes, each with its comma.
  scenarioIds: withLimit(z.string(), maxComparedScenarios * 37).describe('Comma-separated scenario ids, so that a comparison can be linked'),
  includeBaseline: z.enum(['true', 'false']).default('true'),
  rankBy: rankByField,
  ...monteCarloQueryFields,
});

const jsonDescription =
  'The options side by side: headline figures (saving, one-off cost, NPV, payback, reach, deprived reach, distance, staff, income lost), ' +
  'deltas against the baseline, which options are dominated (another saves at least as much and reaches at least as many under-5s, ' +
  'overall and in the most deprived areas, one strictly more) and a ranking by saving per under-5 no longer reached (options that lose ' +
  'nobody first), or on request by the expected or the economic NPV (rankBy). Each row carries the expected NPV, the outcome value lost ' +
  'and the economic NPV; with monteCarlo=N (seeded), the NPV distributions and the probability each option is best.';
const csvDescription =
  'The rows of the comparison as CSV, one line per option, deltas as delta… columns, the expected and economic NPVs and, with ' +
  'monteCarlo=N, the economic NPV percentiles and the probability each option is best, for a spreadsheet.';
const problems = problemResponses(400, 401, 404, 422, 503);

export function registerComparisons(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  interface Choices {
    includeBaseline: boolean;
    rankBy: RankMeasure;
    monteCarlo: MonteCarloRequest | undefined;
  }

  async function compare(
    reply: FastifyReply,
    councilId: string,
    scenarioIds: string[],
    { includeBaseline, rankBy, monteCarlo }: Choices,
    format: 'json' | 'csv',
  ) {
    const rows = await loadNetworkOrNotFound(app.networkCache, councilId);
    const scenarios = [];
    for (const scenarioId of scenarioIds) scenarios.push(await loadScenario(app.db, councilId, scenarioId));
    const asOf = new Date().toISOString().slice(0, 10);
    const cacheKey = `comparison:${scenariosKey(scenarios)}:${includeBaseline}:${rankBy}:${monteCarloKey(monteCarlo)}:${asOf}:${format}`;
    const task = { kind: 'comparison', scenarios, includeBaseline, rankBy, monteCarlo, asOf, format } as const;
    return sendEvaluated(app.evaluations, reply, rows, cacheKey, task, format === 'csv' ? 'comparison.csv' : undefined);
  }

  function linkedIds(scenarioIds: string): string[] {
    const ids = scenarioIdsSchema.safeParse(scenarioIds.split(',').map((id) => id.trim()));
    if (ids.success) return ids.data;
    throw new ProblemError(
      invalidInputKind(ids.error.issues),
      `scenarioIds must be 1 to ${maxComparedScenarios} distinct scenario ids, comma-separated`,
      ids.error.issues.map((issue) => ({ path: `query.scenarioIds${issue.path.length ? `.${issue.path.join('.')}` : ''}`, message: issue.message })),
    );
  }

  // Each comparison as JSON and as CSV, by a POSTed body or as a link (?scenarioIds=a,b).
  for (const csv of [false, true]) {
    const suffix = csv ? '.csv' : '';
    const format = csv ? 'csv' : 'json';
    const response = { 200: csv ? csvResponse('The comparison') : comparisonSchema, ...problems };
    r.post(
      `/councils/:councilId/comparisons${suffix}`,
      {
        config: { keepsNetwork: true },
        schema: {
          operationId: csv ? 'compareScenariosCsv' : 'compareScenarios',
          tags: ['Comparisons'],
          summary: csv ? 'Compare options side by side, as CSV' : 'Compare closure against hub-and-spoke options side by side',
          description: csv ? csvDescription : `${jsonDescription} As CSV: POST …/comparisons.csv.`,
          params: councilParamsSchema,
          body: comparisonBody,
          response,
        },
      },
      async (request, reply) => {
        const { scenarioIds, includeBaseline, rankBy } = request.body;
        return compare(reply, request.params.councilId, scenarioIds, { includeBaseline, rankBy, monteCarlo: monteCarloRequest(request.body) }, format);
      },
    );

    r.get(
      `/councils/:councilId/comparisons${suffix}`,
      {
        schema: {
          operationId: csv ? 'getComparisonCsv' : 'getComparison',
          tags: ['Comparisons'],
          summary: csv ? 'The same comparison as a CSV link: ….csv?scenarioIds=a,b' : 'The same comparison as a link: ?scenarioIds=a,b',
          description: csv ? csvDescription : `${jsonDescription} As CSV: GET …/comparisons.csv?scenarioIds=a,b.`,
          params: councilParamsSchema,
          querystring: comparisonQuery,
          response,
        },
      },
      async (request, reply) => {
        const { scenarioIds, includeBaseline, rankBy } = request.query;
        const choices = { includeBaseline: includeBaseline === 'true', rankBy, monteCarlo: monteCarloRequest(request.query) };
        return compare(reply, request.params.councilId, linkedIds(scenarioIds), choices, format);
      },
    );
  }
}
