import { and, eq } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../db/client.js';
import { loadNetworkRows, networkKey, type NetworkRows, toDomainNetwork } from '../db/network.js';
import { scenarios } from '../db/schema.js';
import { applyActions } from '../domain/actions.js';
import { parameterRangeErrors, resolveParameters } from '../domain/parameters.js';
import { type EvaluationPool, EvaluationTimeout } from '../evaluation-pool.js';
import type { ScenarioToEvaluate } from '../evaluation-worker.js';
import { notFound, ProblemError, problemResponses } from '../http/problem.js';
import { alreadySerialized } from '../http/serializer.js';
import { councilParamsSchema, uuidSchema } from '../schemas/common.js';
import { monteCarloKey, monteCarloQueryFields, monteCarloRequest } from '../schemas/economics.js';
import { type ActionError, networkEvaluationSchema, parameterOverridesSchema, scenarioActionsSchema, scenarioEvaluationSchema } from '../schemas/scenario.js';
import { csvResponse, sendCsv } from '../http/csv-reply.js';
import { loadNetworkOrNotFound } from '../db/council-resource.js';
import { registerResource } from './resource.js';

export const scenarioFields = z.strictObject({
  name: z.string().trim().min(1).max(200),
  description: z.string().max(5000).default(''),
  parameters: parameterOverridesSchema.default({}),
  actions: scenarioActionsSchema.default([]),
});
export type ScenarioInput = z.output<typeof scenarioFields>;

const scenarioSchema = z
  .object({
    id: uuidSchema,
    councilId: uuidSchema,
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    version: z.int().min(1),
    name: z.string().max(200),
    description: z.string().max(5000),
    parameters: parameterOverridesSchema,
    actions: scenarioActionsSchema,
  })
  .meta({ id: 'Scenario' });

const today = () => new Date().toISOString().slice(0, 10);

/** A 422 naming each action that cannot apply, by its index. */
export function actionErrorsProblem(errors: readonly ActionError[], subject = 'The scenario') {
  return new ProblemError(
    'rule-violation',
    `${subject} cannot apply to the current network: ${errors.map((e) => `action ${e.actionIndex}: ${e.reason}`).join('; ')}`,
    errors.map((e) => ({ path: `/actions/${e.actionIndex}`, message: e.reason })),
    { actionErrors: errors },
  );
}

/** A stored scenario: what the pool evaluates, and its description for the pages. */
export type StoredScenario = ScenarioToEvaluate & { description: string };

type PoolAnswer = Awaited<ReturnType<EvaluationPool['answer']>>;
type PoolTask = Parameters<EvaluationPool['answer']>[1];

/**
 * Works out (or finds kept) an evaluation, comparison or page of the council's network in the evaluation
 * pool. A scenario that cannot apply is a 422 naming each action; an answer past the size limit a 422
 * naming the limit; one past the time limit a 503 naming it.
 */
export async function answerFromPool(pool: EvaluationPool, reply: FastifyReply, rows: NetworkRows, cacheKey: string, task: PoolTask): Promise<Buffer> {
  let answer: PoolAnswer;
  try {
    answer = await pool.answer(cacheKey, task, networkKey(rows), toDomainNetwork(rows));
  } catch (error) {
    if (!(error instanceof EvaluationTimeout)) throw error;
    reply.header('retry-after', '30');
    throw new ProblemError(
      'service-unavailable',
      `The evaluation did not finish within the time limit of ${error.limitMs / 1000} s (EVALUATION_TIME_LIMIT_MS) and was stopped: ` +
        'try fewer actions or scenarios or a smaller radiusM, or retry later',
      [{ path: 'evaluation', message: `took longer than the time limit of ${error.limitMs} ms` }],
    );
  }
  switch (answer.status) {
    case 'ok':
      return answer.body;
    case 'action-errors':
      throw actionErrorsProblem(answer.errors, task.kind === 'scenario' ? undefined : `Scenario "${answer.scenario.name}" (${answer.scenario.id})`);
    case 'too-large': {
      const size = answer.bytes === null ? 'longer than the longest text this server can make' : `${Math.ceil(answer.bytes / 1_048_576)} MiB`;
      throw new ProblemError(
        'rule-violation',
        `The answer would be ${size}, over the limit of ${maxAnswerMiB} MiB: try fewer actions or scenarios or a smaller radiusM`,
        [{ path: 'evaluation', message: `the answer is over the limit of ${maxAnswerMiB} MiB` }],
      );
    }
  }
}

/** An evaluation or comparison from the pool (answerFromPool), sent as JSON, or as CSV named `csvFilename`. */
export async function sendEvaluated(pool: EvaluationPool, reply: FastifyReply, rows: NetworkRows, cacheKey: string, task: PoolTask, csvFilename?: string) {
  const body = await answerFromPool(pool, reply, rows, cacheKey, task);
  if (csvFilename) return sendCsv(reply, csvFilename, body);
  return reply.type('application/json; charset=utf-8').serializer(alreadySerialized).send(body);
}

/** The largest answer an evaluation or comparison makes (with every list of areas capped, far above any real one). */
export const maxAnswerMiB = 256;

const scenarioKey = (scenario: StoredScenario) => `${scenario.id}:${scenario.version}`;
export const scenariosKey = (stored: readonly StoredScenario[]) => stored.map(scenarioKey).join(',');

export async function loadScenario(db: Db, councilId: string, scenarioId: string): Promise<StoredScenario> {
  const [row] = await db
    .select({
      id: scenarios.id,
      name: scenarios.name,
      description: scenarios.description,
      version: scenarios.version,
      parameters: scenarios.parameters,
      actions: scenarios.actions,
    })
    .from(scenarios)
    .where(and(eq(scenarios.id, scenarioId), eq(scenarios.councilId, councilId)));
  if (!row) throw notFound('The scenario');
  return row as StoredScenario;
}

export function registerScenarios(app: FastifyInstance) {
  registerResource<ScenarioInput>(app, {
    table: scenarios,
    path: 'scenarios',
    idParam: 'scenarioId',
    nouns: ['Scenario', 'Scenarios'],
    label: 'scenario',
    tag: 'Scenarios',
    fields: scenarioFields,
    output: scenarioSchema,
    rules: (scenario) => parameterRangeErrors(scenario.parameters),
    patchExample: { description: 'Revised after the first consultation round.' },
    createExample: {
      name: 'Keep all open: hub-and-spoke management plus health income',
      description: 'Make the two standalone centres spokes of the nearest hub and bring in a health-visiting contract.',
      parameters: { horizonYears: 5 },
      actions: [
        { type: 'make_spoke', siteId: '3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f', hubId: '7b8c9d0e-1f2a-4b3c-9d4e-5f6a7b8c9d0e' },
        {
          type: 'add_income',
          partner: 'Liverpool University Hospitals NHS Foundation Trust',
          kind: 'health_contract',
          annualValuePence: 25_000_000,
          siteId: '3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f',
          requiresSiteOpen: true,
        },
      ],
    },
    descriptions: {
      create:
        'A restructuring option over the current network: an ordered list of actions and parameter overrides. ' +
        'An action list that cannot apply to the network (unknown site, closing a hub with open spokes, …) is a 422 naming each action by index; nothing is stored.',
    },
    rowChecks: (councilId, next) => async (tx) => {
      const rows = await loadNetworkRows(tx, councilId);
      const outcome = applyActions(toDomainNetwork(rows!), next.actions, resolveParameters(next.parameters, today()));
      if (!outcome.ok) throw actionErrorsProblem(outcome.errors);
    },
  });

  const r = app.withTypeProvider<ZodTypeProvider>();
  const evaluationParams = councilParamsSchema.extend({ scenarioId: uuidSchema });
  const evaluationProblems = problemResponses(400, 401, 404, 422, 503);
  const evaluationQuery = z.object(monteCarloQueryFields);
  async function evaluate(reply: FastifyReply, councilId: string, scenarioId: string, query: z.output<typeof evaluationQuery>, format: 'json' | 'csv') {
    const [rows, scenario] = await Promise.all([loadNetworkOrNotFound(app.networkCache, councilId), loadScenario(app.db, councilId, scenarioId)]);
    const asOf = today();
    const monteCarlo = monteCarloRequest(query);
    const task = { kind: 'scenario', scenario, asOf, format, monteCarlo } as const;
    const cacheKey = `scenario:${scenarioKey(scenario)}:${asOf}:${format}:${monteCarloKey(monteCarlo)}`;
    return sendEvaluated(app.evaluations, reply, rows, cacheKey, task, format === 'csv' ? 'evaluation.csv' : undefined);
  }

  r.get(
    '/councils/:councilId/scenarios/:scenarioId/evaluation',
    {
      schema: {
        operationId: 'evaluateScenario',
        tags: ['Scenarios'],
        summary: 'Evaluate a scenario against the current network',
        description:
          'Money (annual, one-off, year-by-year cash flow, payback, NPV, income lost and at risk), staff, network shape, reach among ' +
          'under-5s and the most deprived areas, distances, warnings (including each change needing public consultation) and line items ' +
          'tracing every figure to its site, post or income stream; the expected values of its risks, the economic case (the value of outcomes ' +
          'for children its change in reach loses or gains) and the uncertainty of both NPVs (low/central/high, tornado, switching values, and ' +
          'with ?monteCarlo=N seeded draws); which figures are illustrative defaults. Cached until the scenario or the network changes. ' +
          'As CSV: …/evaluation.csv.',
        params: evaluationParams,
        querystring: evaluationQuery,
        response: { 200: scenarioEvaluationSchema, ...evaluationProblems },
      },
    },
    async (request, reply) => evaluate(reply, request.params.councilId, request.params.scenarioId, request.query, 'json'),
  );

  r.get(
    '/councils/:councilId/scenarios/:scenarioId/evaluation.csv',
    {
      schema: {
        operationId: 'evaluateScenarioCsv',
        tags: ['Scenarios'],
        summary: 'The evaluation as one CSV table, for a spreadsheet',
        description:
          'One row per figure, by section: annual money, one-off costs, cash flow by year (with its dates), summary (saving, NPV, payback), ' +
          'reach, warnings, expected values, the economic case by outcome, the NPV range (and Monte Carlo percentiles with ?monteCarlo=N) ' +
          'and every line item, each traced to its site, post, income stream or outcome.',
        params: evaluationParams,
        querystring: evaluationQuery,
        response: { 200: csvResponse('The evaluation'), ...evaluationProblems },
      },
    },
    async (request, reply) => evaluate(reply, request.params.councilId, request.params.scenarioId, request.query, 'csv'),
  );

  r.get(
    '/councils/:councilId/network/evaluation',
    {
      schema: {
        operationId: 'evaluateNetwork',
        tags: ['Network'],
        summary: 'Evaluate the current network alone',
        description: 'The baseline figures of every scenario evaluation, with default parameters.',
        params: councilParamsSchema,
        response: { 200: networkEvaluationSchema, ...problemResponses(400, 401, 404, 503) },
      },
    },
    async (request, reply) => {
      const rows = await loadNetworkOrNotFound(app.networkCache, request.params.councilId);
      const asOf = today();
      return sendEvaluated(app.evaluations, reply, rows, `network:${asOf}`, { kind: 'network', asOf });
    },
  );
}
