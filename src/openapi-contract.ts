// Completes the OpenAPI document generated from the routes' zod schemas with what holds for every
// operation alike and so is not repeated in each route: the statuses any operation can answer (each
// with a problem example of its own), the response headers, integer formats, the length of strings
// whose format fixes it, discriminators for unions tagged by a constant, and one schema per concept
// (an `…Input` twin only where the input differs from the output).
import { STATUS_CODES } from 'node:http';
import { problemKinds, problemTypeBase } from './http/problem.js';

type Json = Record<string, unknown>;
interface Operation {
  operationId?: string;
  security?: unknown[];
  requestBody?: Json;
  responses?: Record<string, Response>;
}
interface Response {
  $ref?: string;
  description?: string;
  headers?: Record<string, unknown>;
  content?: Record<string, { schema?: Json; example?: unknown; examples?: unknown }>;
}
export interface OpenApiDocument {
  servers?: unknown;
  components?: { schemas?: Record<string, Json>; headers?: Record<string, Json>; responses?: Record<string, Response> };
  paths?: Record<string, Record<string, Operation>>;
  [key: string]: unknown;
}

const writeMethods = new Set(['post', 'put', 'patch', 'delete']);
const int32 = 2 ** 31 - 1;
/** The longest text each string format allows (a date-time to the nanosecond, with its offset). */
/**
 * No answer holds an array longer than this: a JSON text is one string, which V8 caps at 2^29 − 24
 * characters, and each item takes at least two of them. Arrays whose length follows the size of a
 * council's network (its sites, areas, line items) are bounded only by this.
 */
export const maxJsonItems = Math.floor((2 ** 29 - 24) / 2);
const formatLengths: Record<string, number> = { uuid: 36, date: 10, 'date-time': 35, uri: 2048, 'uri-reference': 2048 };

const headers: Record<string, Json> = {
  ETag: {
    description: 'The version of the resource, for If-Match on a later PATCH or DELETE',
    schema: { type: 'string', pattern: '^"[0-9]+"$', maxLength: 20, examples: ['"3"'] },
  },
  Location: { description: 'The path of the new resource', schema: { type: 'string', format: 'uri-reference', maxLength: 2048 } },
  'Idempotent-Replayed': {
    description: 'true when this is the kept answer to an earlier request with the same Idempotency-Key',
    schema: { type: 'string', enum: ['true'] },
  },
  'WWW-Authenticate': { description: 'How to authenticate: Bearer', schema: { type: 'string', enum: ['Bearer'] } },
  'Content-Disposition': {
    description: 'A download, with its file name',
    schema: { type: 'string', maxLength: 100, examples: ['attachment; filename="evaluation.csv"'] },
  },
  'Access-Control-Allow-Origin': {
    description: 'The calling origin, when the deployment allows it (CORS_ORIGINS); absent otherwise, so browsers on other origins are refused',
    schema: { type: 'string', format: 'uri', maxLength: 2048 },
  },
  'X-Request-Id': { description: 'The request id, also in the body of every problem and in every log line', schema: { type: 'string', maxLength: 60 } },
};
const headerRef = (name: string) => ({ $ref: `#/components/headers/${name}` });

/**
 * A realistic problem for each status an operation can answer. One for all operations (a request about a
 * site, which every detail below is about), so that each status's problem response is written once.
 */
function problemExample(status: number): Json | undefined {
  const details: Record<number, [keyof typeof problemKinds, string, Json?]> = {
    400: ['validation', '1 field is invalid', { errors: [{ path: '/openingHoursPerWeek', message: 'Too big: expected number to be <=168' }] }],
    401: ['unauthorized', 'Send an API key as Authorization: Bearer <key>'],
    403: ['forbidden', 'This key is read-only'],
    404: ['not-found', 'The site was not found'],
    406: ['not-acceptable', 'This operation answers application/json, which the Accept header refuses.'],
    409: ['conflict', 'The hub has open spokes: make them standalone or move them to another hub first'],
    412: ['precondition-failed', 'The resource has changed since version 2: read it again', { currentVersion: 3 }],
    413: ['payload-too-large', 'The request body is larger than 1048576 bytes'],
    415: ['unsupported-media-type', 'Send a JSON body with Content-Type: application/json'],
    422: ['rule-violation', 'A spoke needs an open hub of the same council', { errors: [{ path: '/hubId', message: 'must be an open hub of this council' }] }],
    429: ['rate-limited', 'Rate limit of 600 requests a minute exceeded; retry in 12 s'],
    431: ['headers-too-large', 'The request line and headers are over 16 KiB'],
    500: ['internal', 'An unexpected error occurred; quote the request id when reporting it'],
    503: ['service-unavailable', 'The database is unreachable; retry shortly'],
  };
  const entry = details[status];
  if (!entry) return undefined;
  const [kind, detail, extra] = entry;
  const id = '3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
  return {
    type: `${problemTypeBase}${kind}`,
    title: problemKinds[kind].title,
    status,
    detail,
    instance: `/councils/${id}/sites/${id}`,
    requestId: 'req-6b1f0c2e-4d55-4c1a-9f7e-2b8d1c0a3e77',
    ...extra,
  };
}

/** The statuses an operation can answer whatever it does, besides those its route declares. */
function commonStatuses(method: string, operation: Operation): number[] {
  const statuses = [429, 431, 500, 503];
  const keyed = !(Array.isArray(operation.security) && operation.security.length === 0);
  if (keyed) statuses.push(401);
  if (keyed && writeMethods.has(method)) statuses.push(403);
  if (writeMethods.has(method)) statuses.push(413, 415);
  if (Object.entries(operation.responses ?? {}).some(([status, response]) => status.startsWith('2') && response.content)) statuses.push(406);
  return statuses;
}

function addStatuses(method: string, operation: Operation) {
  operation.responses ??= {};
  const responses = operation.responses;
  for (const status of commonStatuses(method, operation)) {
    const kind = Object.values(problemKinds).find((k) => k.status === status)!;
    responses[status] ??= { description: kind.title, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
  }
  for (const [status, response] of Object.entries(responses)) {
    const media = response.content?.['application/problem+json'];
    const example = problemExample(Number(status));
    if (media && example) {
      media.example = example;
      delete media.examples;
    }
  }
}

function isResourceSchema(document: OpenApiDocument, schema: Json | undefined): boolean {
  const ref = typeof schema?.$ref === 'string' ? schema.$ref.split('/').pop()! : undefined;
  const resolved = ref ? document.components?.schemas?.[ref] : schema;
  const properties = resolved?.properties as Json | undefined;
  return Boolean(properties?.version && properties.id);
}

function addHeaders(document: OpenApiDocument, method: string, operation: Operation) {
  for (const [status, response] of Object.entries(operation.responses ?? {})) {
    const add = (name: string, required = false) => {
      response.headers = { ...response.headers, [name]: required ? { ...headerRef(name), required: true } : headerRef(name) };
    };
    add('X-Request-Id', true);
    add('Access-Control-Allow-Origin');
    if (status === '401') add('WWW-Authenticate', true);
    if (status === '201') add('Location', true);
    if (method === 'post' && status.startsWith('2')) add('Idempotent-Replayed');
    if (status.startsWith('2') && isResourceSchema(document, response.content?.['application/json']?.schema)) add('ETag', true);
    if (response.content?.['text/csv']) add('Content-Disposition', true);
    if (status === '503' || status === '409') add('Retry-After');
  }
}

/** Visits every schema object of the document, nested ones included. */
function eachSchema(value: unknown, visit: (schema: Json) => void, isSchema = false) {
  if (Array.isArray(value)) {
    for (const item of value) eachSchema(item, visit, isSchema);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const object = value as Json;
  if (isSchema) visit(object);
  for (const [key, child] of Object.entries(object)) {
    if (key === 'example' || key === 'examples' || key === 'default' || key === 'const' || key === 'enum') continue;
    if (key === 'properties' || key === 'patternProperties' || key === '$defs') {
      for (const sub of Object.values(child as Json)) eachSchema(sub, visit, true);
    } else if (['schema', 'items', 'additionalProperties', 'not', 'contains', 'propertyNames', 'if', 'then', 'else'].includes(key)) {
      eachSchema(child, visit, true);
    } else if (['anyOf', 'oneOf', 'allOf', 'prefixItems'].includes(key)) {
      eachSchema(child, visit, true);
    } else if (!isSchema || key === 'content') {
      eachSchema(child, visit, false);
    }
  }
}

function typesOf(schema: Json): unknown[] {
  return Array.isArray(schema.type) ? schema.type : [schema.type];
}

/** Integer formats from their bounds, an example for integers without a lower bound, string lengths fixed by their format, array lengths. */
function completeSchema(schema: Json) {
  const types = typesOf(schema);
  if (types.includes('array')) schema.maxItems ??= maxJsonItems;
  if (types.includes('integer')) {
    const min = Number(schema.minimum ?? schema.exclusiveMinimum ?? -Number.MAX_SAFE_INTEGER);
    const max = Number(schema.maximum ?? schema.exclusiveMaximum ?? Number.MAX_SAFE_INTEGER);
    schema.format ??= min >= -int32 - 1 && max <= int32 ? 'int32' : 'int64';
    if (min <= -Number.MAX_SAFE_INTEGER && schema.examples === undefined) schema.examples = [0];
  }
  if (types.includes('string') && schema.maxLength === undefined && schema.enum === undefined && schema.const === undefined) {
    const length = formatLengths[String(schema.format)];
    if (length) schema.maxLength = length;
  }
}

/** oneOf (or anyOf) of objects that each fix one property to a constant: a discriminated oneOf. */
function addDiscriminator(document: OpenApiDocument, schema: Json) {
  const members = (schema.oneOf ?? schema.anyOf) as Json[] | undefined;
  if (!members || members.length < 2) return;
  const resolve = (member: Json) => (typeof member.$ref === 'string' ? document.components?.schemas?.[member.$ref.split('/').pop()!] : member);
  const resolved = members.map(resolve);
  const first = resolved[0]?.properties as Record<string, Json> | undefined;
  const tag = Object.keys(first ?? {}).find((name) =>
    resolved.every(
      (member) =>
        (member?.properties as Record<string, Json> | undefined)?.[name]?.const !== undefined && (member?.required as string[] | undefined)?.includes(name),
    ),
  );
  if (!tag) return;
  delete schema.anyOf;
  schema.oneOf = members;
  const mapping = Object.fromEntries(
    members.flatMap((member, index) =>
      typeof member.$ref === 'string' ? [[(resolved[index]!.properties as Record<string, Json>)[tag]!.const, member.$ref]] : [],
    ),
  );
  schema.discriminator = { propertyName: tag, ...(Object.keys(mapping).length === members.length ? { mapping } : {}) };
}

/** Replaces every `$ref` to a schema named in `renames` by its new name. */
function renameRefs(value: unknown, renames: Map<string, string>) {
  eachSchema(value, (schema) => {
    const name = typeof schema.$ref === 'string' ? schema.$ref.split('/').pop()! : undefined;
    if (name && renames.has(name)) schema.$ref = `#/components/schemas/${renames.get(name)}`;
  });
}

/** `XInput` schemas that say the same as `X` are dropped, references and all; the rest are kept, sorted by name beside their `X`. */
function mergeInputTwins(document: OpenApiDocument) {
  const schemas = document.components?.schemas ?? {};
  for (let changed = true; changed; ) {
    changed = false;
    for (const name of Object.keys(schemas).filter((n) => n.endsWith('Input'))) {
      const twin = name.slice(0, -'Input'.length);
      if (!schemas[twin]) continue;
      const canonical = (schema: Json) => JSON.stringify(schema).replaceAll(/(#\/components\/schemas\/\w+?)Input"/g, '$1"');
      if (canonical(schemas[name]!) !== canonical(schemas[twin]!)) continue;
      delete schemas[name];
      renameRefs(document.paths, new Map([[name, twin]]));
      for (const schema of Object.values(schemas)) renameRefs({ schema }, new Map([[name, twin]]));
      changed = true;
    }
  }
  // Components nothing refers to are dropped; the rest listed by name.
  const used = new Set<string>();
  const collect = (value: unknown) =>
    eachSchema(value, (schema) => {
      const ref = typeof schema.$ref === 'string' ? schema.$ref.split('/').pop()! : undefined;
      if (ref && !used.has(ref)) {
        used.add(ref);
        collect({ schema: schemas[ref] });
      }
    });
  collect(document.paths);
  document.components!.schemas = Object.fromEntries(
    Object.keys(schemas)
      .filter((name) => used.has(name))
      .sort()
      .map((name) => [name, schemas[name]!]),
  );
}

/** The name of a status's shared response: its reason phrase, e.g. TooManyRequests. */
const sharedResponseName = (status: string) => (STATUS_CODES[status] ?? `Status${status}`).replaceAll(/[^A-Za-z]/g, '');

/**
 * Each status's problem response is written once, under components/responses, and every operation
 * that answers it refers to it: written out under each operation, problem responses were most of the
 * document, which Swagger UI took seconds to render. Call it last, once the responses are complete. An
 * operation whose problem response for a status says something else than most keeps its own.
 */
export function shareProblemResponses<T extends OpenApiDocument>(document: T): T {
  const problems = Object.values(document.paths ?? {}).flatMap((operations) =>
    Object.values(operations).flatMap((operation) =>
      Object.entries(operation.responses ?? {})
        .filter(([status, response]) => /^[45]/.test(status) && Object.keys(response.content ?? {}).join() === 'application/problem+json')
        .map(([status, response]) => ({ responses: operation.responses!, status, text: JSON.stringify(response) })),
    ),
  );
  const counts = new Map<string, number>();
  for (const { status, text } of problems) counts.set(`${status} ${text}`, (counts.get(`${status} ${text}`) ?? 0) + 1);
  const shared = new Map<string, string>();
  for (const { status, text } of problems) {
    const most = shared.get(status);
    if (most === undefined || counts.get(`${status} ${text}`)! > counts.get(`${status} ${most}`)!) shared.set(status, text);
  }
  const statuses = [...shared.keys()].sort((a, b) => Number(a) - Number(b));
  document.components = {
    ...document.components,
    responses: {
      ...document.components?.responses,
      ...Object.fromEntries(statuses.map((status) => [sharedResponseName(status), JSON.parse(shared.get(status)!)])),
    },
  };
  for (const { responses, status, text } of problems) {
    if (shared.get(status) === text) responses[status] = { $ref: `#/components/responses/${sharedResponseName(status)}` };
  }
  return document;
}

export function completeContract<T extends OpenApiDocument>(document: T, options: { serverUrl?: string } = {}): T {
  document.servers = [
    { url: options.serverUrl ?? '/', description: 'The deployment that serves this document (local, staging or production)', 'x-internal': false },
  ];
  document.components = { ...document.components, headers: { ...document.components?.headers, ...headers } };
  for (const operations of Object.values(document.paths ?? {})) {
    for (const [method, operation] of Object.entries(operations)) {
      addStatuses(method, operation);
      addHeaders(document, method, operation);
    }
  }
  mergeInputTwins(document);
  const visit = (schema: Json) => {
    completeSchema(schema);
    addDiscriminator(document, schema);
  };
  eachSchema(document.paths, visit);
  for (const schema of Object.values(document.components.schemas ?? {})) eachSchema({ schema }, visit);
  return document;
}
