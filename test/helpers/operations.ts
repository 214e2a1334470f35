// Shared by the tenancy and fuzz tests: every operation of the OpenAPI document, a small network to aim
// them at, a plausible body for each, and the checks every problem answer must pass.
import type { FastifyInstance } from 'fastify';
import { illustrativeOutcomes } from '../../src/demo/illustrative-outcomes.js';
import { openReferralServiceId } from '../../src/domain/open-referral.js';
import { problemSchema } from '../../src/http/problem.js';
import { importKinds, templateCsv } from '../../src/imports/templates.js';
import { type Client, createCouncil, liverpoolHub } from './api.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
const methods: readonly Method[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** A JSON Schema, as far as these tests read one. */
export interface ParamSchema {
  type?: string;
  format?: string;
  enum?: string[];
  minimum?: number;
  maximum?: number;
  maxLength?: number;
}

export interface Operation {
  operationId: string;
  method: Method;
  /** The OpenAPI template, e.g. /councils/{councilId}/sites/{siteId}. */
  path: string;
  pathParams: { name: string; schema: ParamSchema }[];
  queryParams: { name: string; required: boolean; schema: ParamSchema }[];
  /** The JSON body the document describes, with its first example when it has one. */
  jsonBody?: { required: boolean; example?: unknown };
  /** Needs no key (`security: []`). */
  isPublic: boolean;
}

interface DocParameter {
  in: string;
  name: string;
  required?: boolean;
  schema?: ParamSchema;
}
interface DocOperation {
  operationId?: string;
  parameters?: DocParameter[];
  security?: unknown[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: { examples?: unknown[] }; example?: unknown }> };
}

/** Every operation of the app's OpenAPI document (call after app.ready()). */
export function listOperations(app: FastifyInstance): Operation[] {
  const doc = app.swagger() as { paths?: Record<string, Record<string, DocOperation>> };
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(item)) {
      const upper = method.toUpperCase() as Method;
      if (!methods.includes(upper)) continue;
      if (!op.operationId) throw new Error(`${upper} ${path} has no operationId`);
      const params = (where: string) =>
        (op.parameters ?? []).filter((p) => p.in === where).map((p) => ({ name: p.name, required: p.required ?? false, schema: p.schema ?? {} }));
      const json = op.requestBody?.content?.['application/json'];
      operations.push({
        operationId: op.operationId,
        method: upper,
        path,
        pathParams: params('path'),
        queryParams: params('query'),
        ...(json ? { jsonBody: { required: op.requestBody?.required ?? false, example: json.schema?.examples?.[0] ?? json.example } } : {}),
        isPublic: Array.isArray(op.security) && op.security.length === 0,
      });
    }
  }
  return operations;
}

/** A council with a small network through the API: a hub with a spoke, a standalone centre, a post, income, an area, a scenario, a key. */
export interface SeededNetwork {
  councilId: string;
  code: string;
  hubId: string;
  spokeId: string;
  standaloneId: string;
  postId: string;
  incomeStreamId: string;
  areaId: string;
  outcomeId: string;
  centralCostId: string;
  scenarioId: string;
  keyId: string;
  /** A read-write key of this council. */
  key: string;
}

/** Not the hub the examples create, so that the CSV templates' rows name one site only. */
export const seededHubName = 'Anfield Family Hub';
let areaCounter = 0;

async function created(api: Client, url: string, body: unknown) {
  const res = await api.post(url, body);
  if (res.status !== 201) throw new Error(`POST ${url} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body as { id: string; key?: string; code?: string };
}

/** Seeds a network into a new council. */
export async function seedNetwork(api: Client, name?: string): Promise<SeededNetwork> {
  const councilId = await createCouncil(api, name);
  const code = (await api.get(`/councils/${councilId}`)).body.code as string;
  const base = `/councils/${councilId}`;
  // The hub is the one the CSV templates name, so that their example rows import into this network.
  const hub = await created(api, `${base}/sites`, {
    ...liverpoolHub,
    name: seededHubName,
    openingHoursPerWeek: 40,
    services: ['antenatal'],
    annualRunningCostPence: 1_000_000,
  });
  const spoke = await created(api, `${base}/sites`, {
    name: 'Norris Green spoke',
    role: 'spoke',
    hubId: hub.id,
    lat: 53.445,
    lon: -2.935,
    openingHoursPerWeek: 20,
  });
  const standalone = await created(api, `${base}/sites`, { name: 'Walton standalone', role: 'standalone', lat: 53.451, lon: -2.959, openingHoursPerWeek: 30 });
  const post = await created(api, `${base}/posts`, { siteId: hub.id, title: 'Hub manager', kind: 'management', fte: 1, annualCostPerFtePence: 5_200_000 });
  const income = await created(api, `${base}/income-streams`, {
    partner: 'NHS trust',
    kind: 'health_contract',
    annualValuePence: 10_000_000,
    startDate: '2025-04-01',
    endDate: '2028-03-31',
    siteId: hub.id,
    requiresSiteOpen: true,
  });
  areaCounter += 1;
  const area = await created(api, `${base}/areas`, {
    code: `E0199${String(areaCounter).padStart(4, '0')}`,
    name: 'Liverpool 001A',
    lat: 53.443,
    lon: -2.94,
    under5Population: 120,
    deprivationDecile: 1,
  });
  // The outcome the outcomes template names: importing the template, the council's whole set, keeps it.
  const outcome = await created(api, `${base}/outcomes`, {
    name: illustrativeOutcomes[0]!.name,
    sourceRef: 'GMCA Unit Cost Database v1.4',
    priceYear: '2013/14',
    cohortBasis: 'under5s',
    engagementRate: 1,
    impactRate: 0.01,
    fiscalValuePence: 154_200,
    agency: 'NHS',
  });
  const central = await created(api, `${base}/central-costs`, { title: 'Business support', category: 'back_office', fte: 2, annualCostPerFtePence: 3_000_000 });
  const scenario = await created(api, `${base}/scenarios`, {
    name: 'Cut hours at Walton',
    actions: [{ type: 'change_hours', siteId: standalone.id, openingHoursPerWeek: 20 }],
  });
  const apiKey = await created(api, `${base}/api-keys`, { name: 'Planner' });
  return {
    councilId,
    code,
    hubId: hub.id,
    spokeId: spoke.id,
    standaloneId: standalone.id,
    postId: post.id,
    incomeStreamId: income.id,
    areaId: area.id,
    outcomeId: outcome.id,
    centralCostId: central.id,
    scenarioId: scenario.id,
    keyId: apiKey.id,
    key: apiKey.key!,
  };
}

/**
 * Which id each path parameter takes. Every parameter name of the document must be here (or be an enum):
 * a new one fails the tests instead of being skipped. The site is the spoke, which nothing depends on.
 */
export function pathIdsOf(net: SeededNetwork): Record<string, string> {
  return {
    councilId: net.councilId,
    siteId: net.spokeId,
    postId: net.postId,
    incomeStreamId: net.incomeStreamId,
    areaId: net.areaId,
    outcomeId: net.outcomeId,
    centralCostId: net.centralCostId,
    scenarioId: net.scenarioId,
    keyId: net.keyId,
    // The hub offers antenatal care.
    serviceId: openReferralServiceId(net.councilId, 'antenatal'),
  };
}

/**
 * Which id each id-valued field of a body takes: the standalone centre, so that the example scenario
 * (make it a spoke of the hub) applies, and posts and income go where nothing else depends on them.
 */
export function bodyIdsOf(net: SeededNetwork): Record<string, string> {
  return {
    siteId: net.standaloneId,
    hubId: net.hubId,
    incomeStreamId: net.incomeStreamId,
    relocateIncomeToSiteId: net.hubId,
    centralCostId: net.centralCostId,
    scenarioId: net.scenarioId,
  };
}

/** The same maps with each distinct id replaced by one fresh UUID that names nothing (equal ids stay equal). */
export function freshIds<T extends Record<string, string>[]>(...maps: T): T {
  const fresh = new Map<string, string>();
  const renew = (id: string) => fresh.get(id) ?? fresh.set(id, crypto.randomUUID()).get(id)!;
  return maps.map((ids) => Object.fromEntries(Object.entries(ids).map(([key, id]) => [key, renew(id)]))) as T;
}

/** The path with its parameters filled in; an enum parameter takes its first value unless given. */
export function fillPath(op: Operation, values: Record<string, string>): string {
  return op.path.replace(/\{([^}]+)\}/g, (_match, name: string) => {
    const value = values[name] ?? op.pathParams.find((p) => p.name === name)?.schema.enum?.[0];
    if (value === undefined) throw new Error(`${op.operationId}: no value for path parameter {${name}}`);
    return encodeURIComponent(value);
  });
}

/** Bodies for operations whose document entry has no example. `{…Id}` strings are replaced from the body ids. */
/** Bodies of our own, used before an operation's example: they move things so the walk's later steps still apply. */
export const bodyOverrides: Record<string, { type: 'json'; value: unknown } | { type: 'csv'; text: string }> = {
  updateCouncil: { type: 'json', value: { name: 'Renamed council' } },
  updateSite: { type: 'json', value: { hubId: '{hubId}', openingHoursPerWeek: 25 } },
  updatePost: { type: 'json', value: { siteId: '{siteId}', fte: 0.5 } },
  updateIncomeStream: { type: 'json', value: { siteId: '{siteId}', endDate: '2029-03-31' } },
  updateArea: { type: 'json', value: { under5Population: 150 } },
  updateScenario: { type: 'json', value: { actions: [{ type: 'make_hub', siteId: '{siteId}' }] } },
  importAreasFromOns: { type: 'json', value: { localAuthorityCode: 'E08000012' } },
  ...Object.fromEntries(
    importKinds.map((kind) => [
      `import${kind
        .split('-')
        .map((w) => w[0]!.toUpperCase() + w.slice(1))
        .join('')}`,
      { type: 'csv' as const, text: templateCsv(kind).replaceAll(liverpoolHub.name, seededHubName) },
    ]),
  ),
};

/** The id a field or parameter named `name` takes: `fooId` its own, a list `fooIds` the one `fooId`. */
function idFor(name: string, ids: Record<string, string>): string | undefined {
  return ids[name] ?? (name.endsWith('Ids') ? ids[name.slice(0, -1)] : undefined);
}

/** Replaces every id-valued field named in `ids` (and every `{name}` placeholder) throughout a JSON value. */
export function withIds(value: unknown, ids: Record<string, string>): unknown {
  if (Array.isArray(value)) return value.map((item) => withIds(item, ids));
  if (typeof value === 'string') return value.replace(/^\{(\w+)\}$/, (match, name: string) => ids[name] ?? match);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => {
      const id = idFor(key, ids);
      if (id !== undefined && typeof item === 'string') return [key, id];
      if (id !== undefined && Array.isArray(item) && item.every((x) => typeof x === 'string')) return [key, [id]];
      return [key, withIds(item, ids)];
    }),
  );
}

/** The query string of the operation's required parameters (`?a=1&b=2`, or ''): ids by name, enums their first value. */
export function requiredQuery(op: Operation, ids: Record<string, string>): string {
  const query = new URLSearchParams();
  for (const param of op.queryParams.filter((p) => p.required)) {
    const value = idFor(param.name, ids) ?? param.schema.enum?.[0];
    if (value === undefined) throw new Error(`${op.operationId}: no value for the required query parameter ${param.name}`);
    query.set(param.name, value);
  }
  const text = query.toString();
  return text ? `?${text}` : '';
}

export interface RequestBody {
  contentType: string;
  /** A JSON value, or the text of a CSV file. */
  payload: unknown;
}

/** A plausible valid body for the operation: its example or our own, ids filled in; undefined when it takes none. */
export function bodyFor(op: Operation, ids: Record<string, string>): RequestBody | undefined {
  const own = bodyOverrides[op.operationId];
  if (own?.type === 'json') return { contentType: 'application/json', payload: withIds(own.value, ids) };
  if (own?.type === 'csv') return { contentType: 'text/csv', payload: own.text };
  if (op.jsonBody?.example !== undefined) return { contentType: 'application/json', payload: withIds(op.jsonBody.example, ids) };
  if (op.jsonBody?.required || ['POST', 'PUT', 'PATCH'].includes(op.method)) {
    throw new Error(`${op.operationId} (${op.method} ${op.path}) needs a body: add an example to its schema or one to bodyOverrides`);
  }
  return undefined;
}

// Stack frames, SQL and installed-package paths: none may reach a client.
const stackPattern = /at .*\.(ts|js|mjs|cjs):\d+/;
const sqlPattern = /\b(select|insert|update|delete)\b.*\b(from|into|set)\b/i;

/**
 * What is wrong with an error answer: problem+json whose body passes the documented Problem schema, with
 * status equal to the HTTP status, instance equal to the path, and no stack, SQL or node_modules in it.
 * `echoed` are strings the request sent, which an answer may quote back (they are removed before the leak checks).
 */
export function problemIssues(res: { status: number; headers: Record<string, unknown>; body: string }, path: string, echoed: string[] = []): string[] {
  const issues: string[] = [];
  const type = String(res.headers['content-type'] ?? '');
  if (!type.startsWith('application/problem+json')) issues.push(`content-type is ${type || 'missing'}`);
  let body: unknown;
  try {
    body = JSON.parse(res.body);
  } catch {
    return [...issues, `the body is not JSON: ${res.body.slice(0, 200)}`];
  }
  const parsed = problemSchema.safeParse(body);
  if (!parsed.success) issues.push(`not a Problem: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
  else {
    if (parsed.data.status !== res.status) issues.push(`status ${parsed.data.status} in a ${res.status} answer`);
    if (parsed.data.instance !== path) issues.push(`instance ${parsed.data.instance} is not the path ${path}`);
    if (!parsed.data.type.startsWith('https://centre-network.example/problems/')) issues.push(`type ${parsed.data.type}`);
  }
  issues.push(...leaks(res.body, echoed));
  return issues;
}

/** Stack traces, SQL or node_modules in a body, once the strings the request sent are taken out. */
export function leaks(text: string, echoed: string[] = []): string[] {
  let scrubbed = text;
  for (const sent of echoed) {
    if (sent.length < 3) continue;
    for (const form of [sent, JSON.stringify(sent).slice(1, -1)]) scrubbed = scrubbed.split(form).join('');
  }
  const found: string[] = [];
  if (stackPattern.test(scrubbed)) found.push(`a stack frame: ${stackPattern.exec(scrubbed)![0]}`);
  if (sqlPattern.test(scrubbed)) found.push(`SQL: ${sqlPattern.exec(scrubbed)![0].slice(0, 200)}`);
  if (scrubbed.includes('node_modules')) found.push('node_modules');
  return found;
}
