import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { toDomainNetwork } from '../db/network.js';
import { type ComparedOption, compareOptions, comparisonToCsv } from '../domain/comparison.js';
import { ProblemError, problemResponses } from '../http/problem.js';
import { councilParamsSchema, uuidSchema } from '../schemas/common.js';
import { type Comparison, comparisonSchema } from '../schemas/scenario.js';
import { csvResponse, sendCsv } from '../http/csv-reply.js';
import { loadNetworkOrNotFound } from './resource.js';
import { actionErrorsProblem, evaluateStored, loadScenario } from './scenarios.js';

const scenarioIdsSchema = z
  .array(uuidSchema)
  .min(1)
  .max(20)
  .refine((ids) => new Set(ids).size === ids.length, 'must not repeat a scenario')
  .describe('The scenarios to compare, 1 to 20');

const comparisonBody = z
  .strictObject({ scenarioIds: scenarioIdsSchema, includeBaseline: z.boolean().default(true).describe('Add the current network as a row') })
  .meta({ examples: [{ scenarioIds: ['3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f', '7b8c9d0e-1f2a-4b3c-9d4e-5f6a7b8c9d0e'], includeBaseline: true }] });

const comparisonQuery = z.object({
  scenarioIds: z
    .string()
    .max(20 * 37)
    .describe('Comma-separated scenario ids, so that a comparison can be linked'),
  includeBaseline: z.enum(['true', 'false']).default('true'),
});

const jsonDescription =
  'The options side by side: headline figures (saving, one-off cost, NPV, payback, reach, deprived reach, distance, staff, income lost), ' +
  "deltas against the baseline, which options are dominated (another saves at least as much and reaches at least as many under-5s, " +
  'overall and in the most deprived areas, one strictly more) and a ranking by saving per under-5 no longer reached (options that lose ' +
  'nobody first).';
const csvDescription = 'The rows of the comparison as CSV, one line per option, deltas as delta… columns, for a spreadsheet.';
const problems = problemResponses(400, 401, 404, 422);

export function registerComparisons(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  async function compare(councilId: string, scenarioIds: string[], includeBaseline: boolean) {
    const rows = await loadNetworkOrNotFound(app.networkCache, councilId);
    const network = toDomainNetwork(rows);
    const options: ComparedOption[] = [];
    for (const scenarioId of scenarioIds) {
      const scenario = await loadScenario(app.db, councilId, scenarioId);
      const result = evaluateStored(rows, scenario, network);
      if (!result.ok) throw actionErrorsProblem(result.errors, `Scenario "${scenario.name}" (${scenario.id})`);
      options.push({ id: scenario.id, name: scenario.name, evaluation: result.evaluation });
    }
    return compareOptions(options, { includeBaseline });
  }

  function linkedIds(scenarioIds: string): string[] {
    const ids = scenarioIdsSchema.safeParse(scenarioIds.split(',').map((id) => id.trim()));
    if (ids.success) return ids.data;
    throw new ProblemError(
      'validation',
      'scenarioIds must be 1 to 20 distinct scenario ids, comma-separated',
      ids.error.issues.map((issue) => ({ path: `query.scenarioIds${issue.path.length ? `.${issue.path.join('.')}` : ''}`, message: issue.message })),
    );
  }

  // Each comparison as JSON and as CSV, by a POSTed body or as a link (?scenarioIds=a,b).
  for (const csv of [false, true]) {
    const suffix = csv ? '.csv' : '';
    const send = (reply: FastifyReply, comparison: Comparison) =>
      csv ? sendCsv(reply, 'comparison.csv', comparisonToCsv(comparison.rows)) : reply.type('application/json').send(comparison);
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
      async (request, reply) => send(reply, await compare(request.params.councilId, request.body.scenarioIds, request.body.includeBaseline)),
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
      async (request, reply) =>
        send(reply, await compare(request.params.councilId, linkedIds(request.query.scenarioIds), request.query.includeBaseline === 'true')),
    );
  }
}
