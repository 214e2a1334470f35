// The zod schemas: JSON Schema for OpenAPI, bounds, and the evaluation's output matching them.
import t from 'tap';
import { z } from 'zod';
import { compareOptions } from '../../src/domain/comparison.js';
import { evaluateNetwork } from '../../src/domain/evaluation.js';
import { summariseNetwork } from '../../src/domain/network.js';
import * as summarySchemas from '../../src/schemas/network-summary.js';
import * as scenarioSchemas from '../../src/schemas/scenario.js';
import { evaluated, fixtureParameters, ids, threeSiteNetwork } from '../helpers/planning-fixtures.js';

const schemas = Object.entries({ ...scenarioSchemas, ...summarySchemas }).flatMap(([name, value]) =>
  value instanceof z.ZodType ? [[name, value] as const] : [],
);

t.test('every schema converts to JSON Schema (draft 2020-12) for OpenAPI', async (t) => {
  t.ok(schemas.length >= 20);
  for (const [name, schema] of schemas) {
    for (const io of ['input', 'output'] as const) {
      t.doesNotThrow(() => z.toJSONSchema(schema, { target: 'draft-2020-12', io }), `${name} (${io})`);
    }
  }
  const jsonSchema = z.toJSONSchema(scenarioSchemas.parameterOverridesSchema, { target: 'draft-2020-12' }) as {
    $defs: Record<string, { properties: Record<string, { description?: string; maximum?: number }> }>;
  };
  const parameters = jsonSchema.$defs.ScenarioParameterOverrides!;
  t.match(parameters.properties.radiusM?.description, /Default 1609\. Source: one mile/);
  t.equal(parameters.properties.horizonYears?.maximum, 30);
});

t.test('the examples given in the schemas are valid', async (t) => {
  for (const [name, schema] of schemas) {
    const examples = (z.globalRegistry.get(schema)?.examples ?? []) as unknown[];
    for (const example of examples) t.ok(schema.safeParse(example).success, `${name}: ${JSON.stringify(example)}`);
  }
  for (const option of scenarioSchemas.scenarioActionSchema.options) {
    const [example] = (z.globalRegistry.get(option)?.examples ?? []) as unknown[];
    t.ok(scenarioSchemas.scenarioActionSchema.safeParse(example).success, JSON.stringify(example));
  }
});

t.test('input bounds', async (t) => {
  const rejects = (schema: z.ZodType, value: unknown, why: string) => t.notOk(schema.safeParse(value).success, why);
  const parameters = scenarioSchemas.parameterOverridesSchema;
  rejects(parameters, { radiusM: 0 }, 'radius at least 1 m');
  rejects(parameters, { horizonYears: 31 }, 'horizon at most 30 years');
  rejects(parameters, { discountRate: 0.6 }, 'discount rate at most 0.5');
  rejects(parameters, { deprivedDeciles: [11] }, 'deciles 1 to 10');
  rejects(parameters, { deprivedDeciles: Array(11).fill(1) }, 'at most 10 deciles');
  rejects(parameters, { startDate: '2026-02-30' }, 'a real date');
  rejects(parameters, { radiusMetres: 2 }, 'no unknown parameters');
  t.ok(parameters.safeParse({}).success, 'every parameter optional');

  const action = scenarioSchemas.scenarioActionSchema;
  rejects(action, { type: 'demolish_site', siteId: ids.hub }, 'unknown action type');
  rejects(action, { type: 'close_site', siteId: 'not-a-uuid' }, 'UUID site ids');
  rejects(action, { type: 'close_site', siteId: ids.hub, oneOffCostPence: -1 }, 'no negative costs');
  rejects(action, { type: 'close_site', siteId: ids.hub, oneOffCostPence: 1.5 }, 'whole pence');
  rejects(action, { type: 'change_posts', siteId: ids.hub, kind: 'admin', fteDelta: 0 }, 'a change of 0 FTE');
  rejects(action, { type: 'change_posts', siteId: ids.hub, kind: 'admin', fteDelta: 0.00005 }, 'FTE to 4 decimals');
  rejects(
    action,
    { type: 'add_income', partner: 'x'.repeat(201), kind: 'grant', annualValuePence: 1, requiresSiteOpen: false },
    'partner at most 200 characters',
  );
  rejects(action, { type: 'make_hub', siteId: ids.hub, hubId: ids.hub }, 'no unknown fields');
  rejects(scenarioSchemas.scenarioActionsSchema, Array(501).fill({ type: 'make_hub', siteId: ids.hub }), 'at most 500 actions');
  t.ok(action.safeParse({ type: 'change_posts', siteId: ids.hub, kind: 'admin', fteDelta: -0.3333 }).success);
});

t.test('the outputs match their schemas exactly (nothing extra, nothing missing)', async (t) => {
  const exactly = (schema: z.ZodType, value: unknown, name: string) => {
    const parsed = schema.safeParse(value);
    t.ok(parsed.success, `${name} parses`);
    t.same(parsed.data, value, `${name} has no fields the schema does not declare`);
  };
  const scenario = evaluated([
    { type: 'close_site', siteId: ids.standalone, oneOffCostPence: 1_500_000 },
    { type: 'change_hours', siteId: ids.spoke, openingHoursPerWeek: 10 },
  ]);
  exactly(scenarioSchemas.scenarioEvaluationSchema, scenario, 'scenario evaluation');
  exactly(scenarioSchemas.networkEvaluationSchema, evaluateNetwork(threeSiteNetwork(), fixtureParameters()), 'network evaluation');
  exactly(summarySchemas.networkSummarySchema, summariseNetwork(threeSiteNetwork(), '2026-04-01'), 'network summary');
  exactly(scenarioSchemas.comparisonSchema, compareOptions([{ id: 'a', name: 'Close A', evaluation: scenario }]), 'comparison');
});
