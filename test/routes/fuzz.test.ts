// Thousands of requests generated from the OpenAPI document with fast-check: every operation, with valid
// bodies mutated field by field, malformed JSON and CSV, wrong types, huge numbers, long strings, SQL and
// script text, bad ids, bad query parameters, odd content types and keys. Whatever comes in, the answer is
// never a 5xx, and every error is a documented problem+json that leaks no stack, SQL or file path.
// Reproduce a failure with FUZZ_SEED=<seed> (printed on failure); FUZZ_RUNS sets the number of requests:
// the default keeps the suite quick while every operation still gets a dozen or more; a deep run before a
// release takes FUZZ_RUNS=20000 (and a few seeds).
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import type { FastifyInstance, InjectOptions } from 'fastify';
import t from 'tap';
import { encodeCursor } from '../../src/http/pagination.js';
import { bearer, client, createCouncil } from '../helpers/api.js';
import { testAdminKey, testApp } from '../helpers/app.js';
import { bodyFor, bodyIdsOf, leaks, listOperations, type Operation, pathIdsOf, problemIssues, type SeededNetwork, seedNetwork } from '../helpers/operations.js';

const seed = Number(process.env.FUZZ_SEED ?? 20_260_401);
const numRuns = Number(process.env.FUZZ_RUNS ?? 1000);

/** A JSON token written as is: numbers JSON.stringify cannot write (2^53 + 1, 1e400, -0) or invalid ones (NaN). */
class Raw {
  constructor(readonly text: string) {
    Object.freeze(this);
  }
  [fc.toStringMethod]() {
    return `Raw(${this.text})`;
  }
}
/** A 100,000-character string, printed short in counterexamples. */
class Long {
  constructor(readonly char: string) {
    Object.freeze(this);
  }
  get text() {
    return this.char.repeat(100_000);
  }
  [fc.toStringMethod]() {
    return `Long(${JSON.stringify(this.char)} x 100000)`;
  }
}

function jsonText(value: unknown): string {
  const raws: string[] = [];
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof Raw) return `\u0001raw${raws.push(v.text) - 1}\u0001`;
    if (v instanceof Long) return v.text;
    return v;
  });
  return (text ?? '').replace(/"\\u0001raw(\d+)\\u0001"/g, (_m, i: string) => raws[Number(i)]!);
}
const textOf = (value: string | Long) => (value instanceof Long ? value.text : value);

// ── Values ──────────────────────────────────────────────────────────────────────────────────────────

const sqlAndScript = [
  "'; drop table sites;--",
  "' OR '1'='1",
  "Robert'); DROP TABLE councils;--",
  '1; select pg_sleep(5) from pg_stat_activity; --',
  "x' union select hash from api_keys --",
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, sent as it is
  '${7*7}{{7*7}}',
  '../../../../etc/passwd',
];
const oddStrings = [
  '',
  ' ',
  '\t\n\r',
  '\u0000',
  'a\u0000b',
  '\uD800',
  '\uFEFF',
  '😀'.repeat(60),
  'null',
  'true',
  'NaN',
  'Infinity',
  '-0',
  '1e308',
  '9007199254740993',
  'E08000012',
  'E01006512',
  '2026-04-01',
  '2026-02-30',
  '0000-01-01',
  '9999-12-31',
  '2026-04-01T00:00:00Z',
  'not-a-uuid',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '3F1C2D4E-5A6B-4C7D-8E9F-0A1B2C3D4E5F',
  '{3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f}',
  'hub',
  'spoke',
  'closed',
  'management',
  'health_contract',
  'antenatal',
];
const specialValues: unknown[] = [
  ...sqlAndScript,
  ...oddStrings,
  new Long('x'),
  new Long('é'),
  0,
  -1,
  1,
  0.5,
  0.00001,
  0.12345,
  168,
  168.01,
  100_000,
  1e12,
  1e12 + 1,
  2 ** 31,
  -(2 ** 31) - 1,
  Number.MAX_SAFE_INTEGER,
  new Raw('9007199254740993'),
  new Raw('1e308'),
  new Raw('-1e308'),
  new Raw('1e400'),
  new Raw('-0'),
  new Raw('1E-400'),
  new Raw('123456789012345678901234567890'),
  new Raw('NaN'),
  new Raw('Infinity'),
  new Raw('0x10'),
  null,
  true,
  false,
  [],
  {},
  [null],
  ['antenatal', 'antenatal'],
  { type: 'close_site' },
  { $gt: '' },
  JSON.parse('{"__proto__": {"polluted": true}}'),
  Array.from({ length: 200 }, (_, i) => i),
];

/**
 * Any code point, lone surrogates included: the characters of fast-check's `unit: 'binary'`, drawn the same
 * way, without the map back from every one of its 1.1 million characters that the unit builds (a second of CPU).
 */
const anyCodePoint = fc.integer({ min: 0, max: 0x10ffff }).map((code) => String.fromCodePoint(code));

const fuzzValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...specialValues) },
  { weight: 2, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: anyCodePoint, maxLength: 20 }) },
  { weight: 2, arbitrary: fc.double() },
  { weight: 2, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 1, arbitrary: fc.uuid() },
);
const fuzzText: fc.Arbitrary<string | Long> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom<string | Long>(...sqlAndScript, ...oddStrings, new Long('x')) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: anyCodePoint, maxLength: 20 }) },
  { weight: 1, arbitrary: fc.double().map(String) },
  { weight: 1, arbitrary: fc.integer().map(String) },
);

const uuid = () => crypto.randomUUID();
const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const badCursors = [
  'not-a-cursor',
  '',
  '====',
  'x'.repeat(201),
  b64('not json'),
  b64([]),
  b64({}),
  b64([null, null]),
  b64(['2026-04-01T00:00:00Z']),
  b64(['2026-04-01T00:00:00Z', 'not-a-uuid']),
  b64([1, '3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f']),
  // Date.parse accepts these; PostgreSQL may not.
  ...[
    '1',
    '0',
    '2024',
    '12',
    'Jan 1 2024',
    'Feb 30 2024',
    '2024-01-01 25:00',
    '+275760-09-13T00:00:00.000Z',
    '-271821-04-20T00:00:00Z',
    '-000001-01-01T00:00:00Z',
    '2024-01-01T00:00:00+14:00',
    'Tue, 01 Jan 2030 00:00:00 GMT',
    '2024-01-01T00:00:00.123456789Z',
    '2024-06-31',
  ].map((d) => b64([d, '3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f'])),
];
const badQueryValues = [
  '-1',
  '0',
  '1e308',
  '-1e308',
  '9007199254740993',
  'NaN',
  'Infinity',
  '',
  ' ',
  '1.5',
  '0x10',
  '501',
  '10abc',
  ...sqlAndScript,
  '%',
  'a'.repeat(5000),
  ...badCursors,
];
const badPathValues = [
  '123',
  'not-a-uuid',
  "'; drop table sites;--",
  '<script>alert(1)</script>',
  '..',
  '%2e%2e',
  ' ',
  'x'.repeat(300),
  '3F1C2D4E-5A6B-4C7D-8E9F-0A1B2C3D4E5F',
  '{3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f}',
  '00000000-0000-0000-0000-000000000000',
  'null',
  'undefined',
  '0',
  '-1',
];
const rawPathValues = ['%E0%A4%A', '%', '%00', '%zz', '..%2F..%2F', '%C0%AE', '%ED%A0%80', '%FF%FE'];
/** encodeURIComponent, with lone surrogates (which it refuses) sent as their raw UTF-8-like bytes. */
const encode = (text: string) => {
  try {
    return encodeURIComponent(text);
  } catch {
    return encodeURIComponent(text.replace(/[\uD800-\uDFFF]/g, '\uFFFD')).replaceAll('%EF%BF%BD', '%ED%A0%80');
  }
};

// ── Requests ────────────────────────────────────────────────────────────────────────────────────────

type Auth = 'admin' | 'none' | 'bad' | 'malformed' | 'readOnly' | 'otherCouncil';
type PathChoice = { kind: 'real'; pick: number } | { kind: 'random' } | { kind: 'bad'; value: string } | { kind: 'raw'; value: string };
type Mutation = { kind: 'set'; at: number; value: unknown } | { kind: 'delete'; at: number } | { kind: 'add'; at: number; key: string; value: unknown };
type BodyChoice =
  | { kind: 'none' }
  | { kind: 'valid' }
  | { kind: 'mutated'; mutations: Mutation[] }
  | { kind: 'json'; value: unknown }
  | { kind: 'text'; text: string | Long }
  | { kind: 'huge' }
  | { kind: 'csv'; line: number; column: number; value: string | Long; quote: boolean }
  | { kind: 'bytes'; bytes: Uint8Array };

interface FuzzCase {
  operationId: string;
  method?: 'PUT' | 'HEAD' | 'OPTIONS' | 'TRACE';
  auth: Auth;
  path: Record<string, PathChoice>;
  query: [string, string | Long][];
  body: BodyChoice;
  contentType?: string | null;
  headers: Record<string, string>;
}

const malformedJson = [
  '{',
  '{"name":',
  '{"a":1,}',
  "{'name':'x'}",
  'nul',
  '[1,2',
  '"unterminated',
  '\uFEFF{}',
  '{"a":1}{"b":2}',
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '{"name":"\\ud800"}',
  '{"name":"\\u0000"}',
  '{"lat":1e999,"lon":-1e999}',
  `${'['.repeat(5000)}${']'.repeat(5000)}`,
  `${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}`,
  'null',
  '[]',
  '0',
  '"a string"',
  '',
];
const contentTypes = [
  null,
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'APPLICATION/JSON',
  'application/problem+json',
  'application/merge-patch+json',
  'text/plain',
  'application/xml',
  'text/csv',
  'application/csv',
  'application/vnd.ms-excel',
  'text/csv; charset=windows-1252',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  ';;;',
  '',
];

function queryArb(op: Operation): fc.Arbitrary<[string, string | Long][]> {
  const perParam = op.queryParams.map((param) => {
    const { schema } = param;
    const valid: fc.Arbitrary<string> = schema.enum
      ? fc.constantFrom(...schema.enum)
      : schema.type === 'integer'
        ? fc.integer({ min: schema.minimum ?? 1, max: Math.min(schema.maximum ?? 500, 500) }).map(String)
        : schema.format === 'date-time'
          ? fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString())
          : schema.format === 'date'
            ? fc
                .date({ min: new Date('0000-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true })
                .map((d) => d.toISOString().slice(0, 10))
            : param.name === 'cursor'
              ? fc
                  .date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
                  .map((d) => encodeCursor({ createdAt: d.toISOString(), id: uuid() }))
              : param.name.endsWith('Ids') || param.name.endsWith('Id') || schema.format === 'uuid'
                ? fc.constant(`{${param.name}}`)
                : fc.string({ maxLength: 20 });
    const value = fc.oneof(
      { weight: 3, arbitrary: valid },
      { weight: 2, arbitrary: fc.constantFrom<string | Long>(...badQueryValues) },
      { weight: 1, arbitrary: fuzzText },
    );
    return fc.option(value, { freq: param.required ? 8 : 2 }).map((v) => (v === null ? [] : [[param.name, v] as [string, string | Long]]));
  });
  const extra = fc.oneof(
    { weight: 7, arbitrary: fc.constant(null) },
    {
      weight: 1,
      arbitrary: fc.tuple(
        fc.constantFrom('unknown', 'limit', 'cursor', '__proto__', 'constructor', 'a[b]', ''),
        fc.constantFrom<string | Long>(...badQueryValues),
      ),
    },
    { weight: 1, arbitrary: fc.tuple(fc.string({ maxLength: 10 }), fuzzText) },
  );
  return fc.tuple(fc.tuple(...perParam), extra).map(([lists, more]) => [...lists.flat(), ...(more ? [more] : [])]);
}

function bodyArb(op: Operation): fc.Arbitrary<BodyChoice> {
  const mutation: fc.Arbitrary<Mutation> = fc.oneof(
    { weight: 5, arbitrary: fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fuzzValue }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }) },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('add' as const),
        at: fc.nat(),
        key: fc.constantFrom('unknown', 'id', 'councilId', 'version', 'createdAt', '__proto__', 'constructor', 'prototype', ''),
        value: fuzzValue,
      }),
    },
  );
  const anyJson = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fuzzValue);
  const garbage = fc.oneof(fc.constantFrom<string | Long>(...malformedJson), fuzzText, fc.string({ unit: anyCodePoint, maxLength: 200 }));
  if (op.operationId.startsWith('import') && !op.jsonBody) {
    const csv = fc.record({ kind: fc.constant('csv' as const), line: fc.nat(3), column: fc.nat(20), value: fuzzText, quote: fc.boolean() });
    return fc.oneof(
      { weight: 2, arbitrary: fc.constant({ kind: 'valid' } as const) },
      { weight: 6, arbitrary: csv },
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((bytes) => ({ kind: 'bytes', bytes }) as const) },
      { weight: 1, arbitrary: garbage.map((text) => ({ kind: 'text', text }) as const) },
      { weight: 1, arbitrary: fc.constant({ kind: 'none' } as const) },
    );
  }
  if (!op.jsonBody) {
    return fc.oneof(
      { weight: 12, arbitrary: fc.constant({ kind: 'none' } as const) },
      { weight: 1, arbitrary: anyJson.map((value) => ({ kind: 'json', value }) as const) },
      { weight: 1, arbitrary: garbage.map((text) => ({ kind: 'text', text }) as const) },
    );
  }
  return fc.oneof(
    { weight: 4, arbitrary: fc.constant({ kind: 'valid' } as const) },
    { weight: 10, arbitrary: fc.array(mutation, { minLength: 1, maxLength: 3 }).map((mutations) => ({ kind: 'mutated', mutations }) as const) },
    { weight: 2, arbitrary: anyJson.map((value) => ({ kind: 'json', value }) as const) },
    { weight: 3, arbitrary: garbage.map((text) => ({ kind: 'text', text }) as const) },
    { weight: 1, arbitrary: fc.constant({ kind: 'none' } as const) },
    { weight: 1, arbitrary: fc.constant({ kind: 'huge' } as const) },
  );
}

function caseArb(operations: Operation[]): fc.Arbitrary<FuzzCase> {
  return fc.constantFrom(...operations).chain((op) => {
    const pathChoice: fc.Arbitrary<PathChoice> = fc.oneof(
      // Deletes hit real rows less often, so that the network is not deleted away.
      { weight: op.method === 'DELETE' ? 2 : 14, arbitrary: fc.nat(2).map((pick) => ({ kind: 'real', pick }) as const) },
      { weight: 2, arbitrary: fc.constant({ kind: 'random' } as const) },
      { weight: 3, arbitrary: fc.constantFrom(...badPathValues).map((value) => ({ kind: 'bad', value }) as const) },
      { weight: 1, arbitrary: fc.constantFrom(...rawPathValues).map((value) => ({ kind: 'raw', value }) as const) },
    );
    const path = fc.record(Object.fromEntries(op.pathParams.map((p) => [p.name, pathChoice])) as Record<string, fc.Arbitrary<PathChoice>>);
    const headers = fc.record(
      {
        // An old version often enough that some writes which would otherwise succeed meet their 412.
        'if-match': fc.oneof(
          { weight: 1, arbitrary: fc.constant('"999"') },
          { weight: 2, arbitrary: fc.constantFrom('"1"', '"2"', '*', 'W/"1"', 'garbage', '"1", "2"', '') },
        ),
        'idempotency-key': fc.oneof(fc.constantFrom('fuzz-1', 'fuzz-2', '', 'x'.repeat(201)), fc.string({ maxLength: 20 })),
        // Mostly what an operation can answer, so that most requests still reach their handlers.
        accept: fc.oneof(
          { weight: 4, arbitrary: fc.constantFrom('application/json', 'text/csv;q=0, application/json', '*/*', 'text/*') },
          { weight: 1, arbitrary: fc.constantFrom('application/geo+json', 'text/csv', 'application/xml', 'garbage', 'application/json;q=0') },
        ),
      },
      { requiredKeys: [] },
    ) as fc.Arbitrary<Record<string, string>>;
    /** `rarely(a, n)`: a's value one time in n, else undefined. */
    const rarely = <T>(arb: fc.Arbitrary<T>, one: number) => fc.oneof({ weight: one - 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });
    return fc.record({
      operationId: fc.constant(op.operationId),
      method: rarely(fc.constantFrom('PUT', 'HEAD', 'OPTIONS', 'TRACE') as fc.Arbitrary<'PUT' | 'HEAD' | 'OPTIONS' | 'TRACE'>, 30),
      auth: fc.oneof(
        { weight: 15, arbitrary: fc.constant('admin' as const) },
        { weight: 1, arbitrary: fc.constantFrom<Auth>('none', 'bad', 'malformed', 'readOnly', 'otherCouncil') },
      ),
      path,
      query: queryArb(op),
      body: bodyArb(op),
      contentType: rarely(fc.constantFrom(...contentTypes), 6),
      headers: rarely(headers, 5).map((h) => h ?? {}),
    });
  });
}

// ── Applying a case to the live network ─────────────────────────────────────────────────────────────

const isContainer = (value: unknown): value is Record<string | number, unknown> =>
  value !== null && typeof value === 'object' && !(value instanceof Raw) && !(value instanceof Long);

/** A deep copy of a JSON value (Raw and Long are immutable and shared), so that no mutation reaches a generated value. */
function copy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copy);
  if (!isContainer(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, copy(item)]));
}

/** Every path into a JSON value (objects and arrays), the root first. */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const paths = [prefix];
  if (Array.isArray(value)) for (const [i, item] of value.entries()) paths.push(...pathsOf(item, [...prefix, i]));
  else if (isContainer(value)) for (const [key, item] of Object.entries(value)) paths.push(...pathsOf(item, [...prefix, key]));
  return paths;
}

function mutate(base: unknown, mutations: Mutation[]): unknown {
  let body: unknown = copy(base);
  for (const generated of mutations) {
    const m = 'value' in generated ? { ...generated, value: copy(generated.value) } : generated;
    const paths = pathsOf(body);
    const at = paths[m.at % paths.length]!;
    if (at.length === 0) {
      if (m.kind === 'set') body = m.value;
      else if (m.kind === 'add' && isContainer(body))
        Object.defineProperty(body, m.key, { value: m.value, enumerable: true, configurable: true, writable: true });
      else if (m.kind === 'delete') body = undefined;
      continue;
    }
    const parent = at.slice(0, -1).reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], body) as Record<string | number, unknown>;
    const key = at[at.length - 1]!;
    if (m.kind === 'set') parent[key] = m.value;
    else if (m.kind === 'delete') {
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
    } else {
      const target = parent[key];
      if (isContainer(target) && !Array.isArray(target))
        Object.defineProperty(target, m.key, { value: m.value, enumerable: true, configurable: true, writable: true });
      else parent[key] = m.value;
    }
  }
  return body;
}

function csvWith(template: string, line: number, column: number, value: string, quote: boolean): string {
  const lines = template.trimEnd().split('\n');
  const index = line % (lines.length + 1);
  if (index === lines.length) return `${template}${value}\n`;
  // The template's cells hold no commas inside quotes except the address, which a cut may split: that is fuzz too.
  const cells = lines[index]!.split(',');
  cells[column % cells.length] = quote ? `"${value.replaceAll('"', '""')}"` : value;
  lines[index] = cells.join(',');
  return `${lines.join('\n')}\n`;
}

interface Built {
  method: InjectOptions['method'];
  url: string;
  path: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
  /** Strings the request sent, which an answer may quote back. */
  sent: string[];
}

interface Keys {
  readOnly: string;
  otherCouncil: string;
}

function build(c: FuzzCase, op: Operation, net: SeededNetwork, keys: Keys): Built {
  const sent: string[] = [];
  const pathIds = pathIdsOf(net);
  const sites = [net.spokeId, net.hubId, net.standaloneId];
  const path = op.path.replace(/\{([^}]+)\}/g, (_m, name: string) => {
    const choice = c.path[name]!;
    const param = op.pathParams.find((p) => p.name === name)!;
    if (choice.kind === 'raw') return choice.value;
    if (choice.kind === 'bad') {
      sent.push(choice.value);
      return encode(choice.value);
    }
    if (choice.kind === 'random') return uuid();
    if (param.schema.enum) return encode(param.schema.enum[choice.pick % param.schema.enum.length]!);
    const id = name === 'siteId' ? sites[choice.pick] : pathIds[name];
    if (!id) throw new Error(`${op.operationId}: no id for path parameter {${name}}`);
    return id;
  });
  const bodyIds = bodyIdsOf(net);
  const query = c.query
    .map(([name, value]) => {
      const text = textOf(value).replace(/^\{(\w+?)s?\}$/, (m, idName: string) => bodyIds[idName] ?? pathIds[idName] ?? m);
      sent.push(text);
      return `${encode(name)}=${encode(text)}`;
    })
    .join('&');
  const headers: Record<string, string> = { ...c.headers };
  const auth = {
    admin: `Bearer ${testAdminKey}`,
    none: undefined,
    bad: 'Bearer cnk_not-a-real-key',
    malformed: 'Basic dXNlcjpwYXNz',
    readOnly: `Bearer ${keys.readOnly}`,
    otherCouncil: `Bearer ${keys.otherCouncil}`,
  }[c.auth];
  if (auth) headers.authorization = auth;

  const base = op.method === 'GET' || op.method === 'DELETE' ? undefined : bodyFor(op, bodyIds);
  let payload: string | Buffer | undefined;
  let type: string | undefined = base?.contentType;
  const b = c.body;
  if (b.kind === 'valid') payload = base ? (base.contentType === 'text/csv' ? String(base.payload) : jsonText(base.payload)) : undefined;
  else if (b.kind === 'mutated') {
    const mutated = mutate(base?.payload ?? {}, b.mutations);
    payload = jsonText(mutated);
    type = 'application/json';
  } else if (b.kind === 'json') {
    payload = jsonText(b.value);
    type = 'application/json';
  } else if (b.kind === 'text') payload = textOf(b.text);
  else if (b.kind === 'huge') payload = jsonText({ name: 'x'.repeat(1_100_000) });
  else if (b.kind === 'csv') payload = csvWith(String(base?.payload ?? ''), b.line, b.column, textOf(b.value), b.quote);
  else if (b.kind === 'bytes') payload = Buffer.from(b.bytes);
  if (typeof payload === 'string') collectStrings(b, sent);
  if (c.contentType !== undefined) type = c.contentType ?? undefined;
  if (payload !== undefined && type !== undefined) headers['content-type'] = type;
  if (payload !== undefined && type === undefined && b.kind !== 'text') headers['content-type'] = 'application/json';
  return {
    method: c.method ?? op.method,
    url: query ? `${path}?${query}` : path,
    // As the server sees it: dot segments resolved, as any HTTP client would.
    path: new URL(path, 'http://localhost').pathname,
    headers,
    ...(payload !== undefined ? { payload } : {}),
    sent,
  };
}

/** Strings inside what a body sent (for the leak checks, which take out what the request itself said). */
function collectStrings(body: BodyChoice, into: string[]) {
  const walk = (value: unknown): void => {
    if (typeof value === 'string') into.push(value, value.trim());
    else if (value instanceof Long) into.push(value.text);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        into.push(key);
        walk(item);
      }
    }
  };
  if (body.kind === 'mutated') {
    for (const mutation of body.mutations) if ('value' in mutation) walk(mutation.value);
  } else if (body.kind === 'json') walk(body.value);
  else if (body.kind === 'text' || body.kind === 'csv') walk(textOf(body.kind === 'text' ? body.text : body.value));
}

/**
 * Bugs in src that the fuzz has found and that are not fixed yet. The fuzz counts the answers each one
 * explains instead of failing on them, and each probe reproduces it as a TODO assertion (reported, not
 * failing). Delete an entry once the bug is fixed, so that the fuzz is strict about it again.
 */
/** Requests the fuzz once found answered wrongly (fixed): each must now be a clean problem, not a 5xx. */
const regressions: { id: string; probes: InjectOptions[] }[] = [
  {
    id: 'router errors (bad percent-encoding, over-long parameter) are problem+json',
    probes: [
      { method: 'GET', url: '/councils/%' },
      { method: 'GET', url: `/councils/${'x'.repeat(101)}` },
    ],
  },
  {
    id: 'NUL characters are a 400, not a 500',
    probes: [
      { method: 'POST', url: '/councils', headers: { 'content-type': 'application/json' }, payload: '{"code":"E09000001","name":"a\\u0000b"}' },
      { method: 'GET', url: `/councils/${'{councilId}'}/audit-events?resource=%00` },
    ],
  },
  {
    id: 'a cursor with an expanded-year date is a 400, not a 500',
    probes: [{ method: 'GET', url: `/councils?cursor=${b64(['+275760-09-13T00:00:00.000Z', '3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f'])}` }],
  },
];

// ── The test ────────────────────────────────────────────────────────────────────────────────────────

interface Answer {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * Sends a request over loopback HTTP: inject stands in for a socket too kindly to find everything (a
 * CSV body hashed as JSON was a 500 over HTTP only). Undefined when Node refuses to send it at all
 * (a character not allowed in a path or header): such a request never reaches a server.
 */
function overHttp(port: number, req: Built): Promise<Answer> | undefined {
  let sent: ReturnType<typeof httpRequest>;
  const answer = new Promise<Answer>((resolve, reject) => {
    try {
      // A body always with its length: Node would send a GET's body with neither length nor chunks.
      const length = req.payload === undefined ? {} : { 'content-length': String(Buffer.byteLength(req.payload)) };
      // Dot segments resolved, as HTTP clients do (and inject does).
      const { pathname, search } = new URL(req.url, 'http://localhost');
      sent = httpRequest({ host: '127.0.0.1', port, method: String(req.method), path: pathname + search, headers: { ...req.headers, ...length } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ statusCode: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
    } catch (error) {
      reject(error);
      return;
    }
    sent.on('error', reject);
    sent.end(req.payload);
  });
  if (sent!) return answer;
  answer.catch(() => {});
  return undefined;
}

t.test(`fuzz: ${numRuns} generated requests, never a 5xx, every error a clean problem+json (seed ${seed})`, async (t) => {
  const app: FastifyInstance = await testApp(t);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as AddressInfo).port;
  let generated = 0;
  let overHttpCount = 0;
  const admin = client(app);
  const operations = listOperations(app);
  const byId = new Map(operations.map((op) => [op.operationId, op]));
  const readOnlyKey = async (councilId: string) =>
    (await admin.post(`/councils/${councilId}/api-keys`, { name: 'Fuzz reader', readOnly: true })).body.key as string;
  let net = await seedNetwork(admin, 'Fuzzshire');
  const otherCouncil = await createCouncil(admin, 'Elsewhere');
  const keys: Keys = {
    readOnly: await readOnlyKey(net.councilId),
    otherCouncil: (await admin.post(`/councils/${otherCouncil}/api-keys`, { name: 'Elsewhere' })).body.key as string,
  };
  // Strings sent that could look like a leak when a later answer quotes them back (a site named in SQL, say).
  const echoPool = new Set<string>();
  let stale = false;
  let reseeds = 0;
  const statuses = new Map<string, Map<number, number>>();
  const started = Date.now();

  const property = fc.asyncProperty(caseArb(operations), async (c) => {
    if (stale) {
      // A delete or an import removed part of the seeded network: seed a fresh one, in a council of its own
      // so that names stay unique (the CSV templates name the hub).
      net = await seedNetwork(admin, 'Fuzzshire');
      keys.readOnly = await readOnlyKey(net.councilId);
      stale = false;
      reseeds += 1;
    }
    const op = byId.get(c.operationId)!;
    const req = build(c, op, net, keys);
    for (const s of req.sent) if (/select|insert|update|delete|from|into|set|node_modules|\.[cm]?[jt]s/i.test(s)) echoPool.add(s).add(s.trim());
    const echoed = [...req.sent, ...echoPool];
    // One request in three over real HTTP, the rest through inject (faster).
    const viaHttp = generated++ % 3 === 0 ? overHttp(port, req) : undefined;
    if (viaHttp) overHttpCount++;
    const res: Answer =
      (await viaHttp) ??
      ((await app.inject({
        method: req.method,
        url: req.url,
        headers: req.headers,
        ...(req.payload !== undefined ? { payload: req.payload } : {}),
      })) as Answer);
    const perOp = statuses.get(op.operationId) ?? new Map<number, number>();
    perOp.set(res.statusCode, (perOp.get(res.statusCode) ?? 0) + 1);
    statuses.set(op.operationId, perOp);

    const describe = () =>
      `${req.method} ${req.url.slice(0, 300)}\nheaders: ${JSON.stringify(req.headers).slice(0, 300)}\nbody: ${String(req.payload ?? '').slice(0, 300)}\n→ ${res.statusCode} ${res.body.slice(0, 600)}`;
    if (res.statusCode >= 500) throw new Error(`a ${res.statusCode}:\n${describe()}`);
    if (res.statusCode >= 400 && req.method !== 'HEAD') {
      const issues = problemIssues({ status: res.statusCode, headers: res.headers, body: res.body }, req.path, echoed);
      if (issues.length > 0) throw new Error(`${issues.join('; ')}:\n${describe()}`);
    } else {
      // Successes may echo what earlier requests stored, so only stacks and paths are looked for.
      const found = leaks(res.body, echoed).filter((leak) => !leak.startsWith('SQL'));
      if (found.length > 0) throw new Error(`${found.join('; ')}:\n${describe()}`);
    }
    const { keyId: _revocable, ...deletable } = pathIdsOf(net);
    const touchedSeed = Object.values(deletable).some((id) => req.path.includes(id));
    if (res.statusCode < 300 && ((req.method === 'DELETE' && touchedSeed) || op.operationId === 'importPosts')) stale = true;
  });

  try {
    await fc.assert(property, { numRuns, seed, includeErrorInReport: true });
  } catch (error) {
    t.fail(`fuzz failed; reproduce with FUZZ_SEED=${seed} FUZZ_RUNS=${numRuns}\n${String((error as Error).message).slice(0, 6000)}`);
    return;
  }

  const seconds = (Date.now() - started) / 1000;
  const all = [...statuses.values()].flatMap((m) => [...m.entries()]);
  const count = (test: (status: number) => boolean) => all.filter(([s]) => test(s)).reduce((n, [, k]) => n + k, 0);
  t.comment(
    `${count(() => true)} requests in ${seconds.toFixed(1)} s (${overHttpCount} over HTTP), ${reseeds} reseeds; 2xx ${count((s) => s < 300)}, 4xx ${count((s) => s >= 400)}`,
  );
  t.ok(overHttpCount > numRuns / 5, 'a share went over real HTTP');
  for (const [id, map] of [...statuses.entries()].sort())
    t.comment(
      `${id}: ${[...map.entries()]
        .sort(([a], [b]) => a - b)
        .map(([s, n]) => `${s}×${n}`)
        .join(' ')}`,
    );
  t.pass(`${count(() => true)} requests: no 5xx, every error a problem+json without leaks`);
  for (const op of operations)
    t.ok(
      (statuses.get(op.operationId) ? [...statuses.get(op.operationId)!.values()].reduce((a, b) => a + b, 0) : 0) >= numRuns / operations.length / 3,
      `${op.operationId} was exercised`,
    );
  t.ok(count((s) => s < 300) > numRuns / 20, 'many requests got through to the handlers');
  for (const status of [400, 401, 403, 404, 406, 409, 412, 413, 415, 422]) t.ok(count((s) => s === status) > 0, `some ${status}s`);
  t.equal((await admin.get('/health/ready')).status, 200, 'still standing');

  for (const regression of regressions) {
    for (const probe of regression.probes) {
      const url = String(probe.url ?? '').replace('{councilId}', net.councilId);
      const res = await app.inject({ ...probe, url, headers: { ...bearer(testAdminKey), ...probe.headers } });
      const issues =
        res.statusCode >= 500 ? [`a ${res.statusCode}`] : problemIssues({ status: res.statusCode, headers: res.headers, body: res.body }, url.split('?')[0]!);
      t.same(issues, [], `${probe.method} ${url.slice(0, 60)}: ${regression.id}`);
    }
  }
});
