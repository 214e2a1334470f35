// The OpenAPI document tells the truth: every operation is called (as it succeeds, and as it fails for
// want of a key, for a read-only key, for an unacceptable Accept, for an unknown id), and every answer is
// checked against the document with ajv: its status declared, its media type declared, its body valid
// against the declared schema, its required headers present.
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { FastifyInstance, InjectOptions } from 'fastify';
import t from 'tap';
import { bearer, client } from '../helpers/api.js';
import { testAdminKey, testApp } from '../helpers/app.js';
import { type DocWithResponses, operationResponse } from '../helpers/openapi.js';
import { bodyFor, bodyIdsOf, fillPath, freshIds, listOperations, type Operation, pathIdsOf, requiredQuery, seedNetwork } from '../helpers/operations.js';

type Json = Record<string, unknown>;

/** Checks answers against the app's document; `mismatches` lists every disagreement. */
function contractChecker(app: FastifyInstance) {
  const document = app.swagger() as unknown as DocWithResponses & {
    paths: Record<string, Record<string, { requestBody?: { content: Record<string, unknown> } }>>;
    components: Json;
  };
  // Each component compiled once and called by reference, not inlined into every schema that refers to
  // it; and no optimising passes over code that checks a few hundred answers.
  const ajv = new Ajv2020.default({ strict: false, allErrors: true, inlineRefs: false, code: { optimize: false } });
  addFormats.default(ajv);
  ajv.addSchema({ $id: 'doc', components: document.components });
  // By the schema's text: the answers of many operations share one (a problem, a page of items).
  const validators = new Map<string, ReturnType<typeof ajv.compile>>();
  const mismatches: string[] = [];
  const checked = new Map<string, Set<number>>();

  function check(op: Operation, status: number, headers: Record<string, unknown>, body: string) {
    const where = `${op.operationId} ${status}`;
    checked.set(op.operationId, (checked.get(op.operationId) ?? new Set()).add(status));
    const response = operationResponse(document, op.path, op.method, status);
    if (!response) return mismatches.push(`${where}: status not declared`);
    for (const [name, header] of Object.entries(response.headers ?? {})) {
      if (header.required && headers[name.toLowerCase()] === undefined) mismatches.push(`${where}: header ${name} missing`);
    }
    if (!response.content) {
      if (body !== '') mismatches.push(`${where}: a body where none is declared`);
      return;
    }
    const type = String(headers['content-type'] ?? '')
      .split(';')[0]!
      .trim();
    const media = response.content[type];
    if (!media) return mismatches.push(`${where}: content type ${type} not declared (${Object.keys(response.content).join(', ')})`);
    const schema = JSON.stringify(media.schema ?? {});
    const validate = validators.get(schema) ?? ajv.compile(JSON.parse(schema.replaceAll('"#/components/', '"doc#/components/')));
    validators.set(schema, validate);
    const value = type.includes('json') ? JSON.parse(body) : body;
    if (!validate(value)) mismatches.push(`${where}: ${ajv.errorsText(validate.errors).slice(0, 500)}`);
  }
  /** The request's body, as sent, must be one the operation declares (its media type). */
  function checkRequest(op: Operation, contentType: string) {
    const declared = document.paths[op.path]?.[op.method.toLowerCase()]?.requestBody?.content ?? {};
    if (!(contentType in declared))
      mismatches.push(`${op.operationId}: request body ${contentType} not declared (${Object.keys(declared).join(', ') || 'none'})`);
  }
  return { check, checkRequest, mismatches, checked };
}

// One app for both tests: the second reads only the document, whatever the first did to the data.
const app = await testApp(t);
await app.ready();

t.test('every answer of every operation matches the OpenAPI document', async (t) => {
  const { check, checkRequest, mismatches, checked } = contractChecker(app);
  const admin = client(app);
  const operations = listOperations(app);

  async function call(op: Operation, headers: Record<string, string>, pathIds: Record<string, string>, bodyIds: Record<string, string>) {
    const body = bodyFor(op, bodyIds);
    if (body) checkRequest(op, body.contentType);
    const res = await app.inject({
      method: op.method,
      url: fillPath(op, pathIds) + requiredQuery(op, bodyIds),
      headers: { ...headers, ...(body ? { 'content-type': body.contentType } : {}) },
      ...(body ? { payload: (body.contentType === 'text/csv' ? body.payload : JSON.stringify(body.payload)) as InjectOptions['payload'] } : {}),
    });
    check(op, res.statusCode, res.headers, res.body);
    return res.statusCode;
  }

  // Deletes last, so that the other operations find what they need; the council's last of all.
  const rank = (op: Operation) => (op.method !== 'DELETE' ? 0 : op.operationId === 'deleteCouncil' ? 2 : 1);
  const ordered = [...operations].sort((a, b) => rank(a) - rank(b));
  const net = await seedNetwork(admin);
  const readOnly = (await admin.post(`/councils/${net.councilId}/api-keys`, { name: 'Reader', readOnly: true })).body.key as string;
  const successes = new Set<string>();
  for (const op of ordered) {
    const status = await call(op, bearer(testAdminKey), pathIdsOf(net), bodyIdsOf(net));
    if (status < 300) successes.add(op.operationId);
    if (!op.isPublic) await call(op, {}, pathIdsOf(net), bodyIdsOf(net));
    if (op.method !== 'GET' && !op.isPublic) await call(op, bearer(readOnly), pathIdsOf(net), bodyIdsOf(net));
    await call(op, { ...bearer(testAdminKey), accept: 'image/png' }, pathIdsOf(net), bodyIdsOf(net));
    if (op.pathParams.length) await call(op, bearer(testAdminKey), ...freshIds(pathIdsOf(net), bodyIdsOf(net)));
  }

  t.same(mismatches, [], 'no answer disagrees with the document');
  t.same(
    operations.filter((op) => !successes.has(op.operationId)).map((op) => op.operationId),
    [],
    'every operation answered a success at least once',
  );
  t.ok(
    [...checked.values()].every((statuses) => statuses.size >= 2),
    'every operation was checked with a success and a failure',
  );
  t.ok(
    [401, 403, 404, 406].every((status) => [...checked.values()].some((statuses) => statuses.has(status))),
    '401, 403, 404 and 406 were among them',
  );
});

t.test('the checker finds an answer that breaks the document', async (t) => {
  const { check, checkRequest, mismatches } = contractChecker(app);
  const op = listOperations(app).find((o) => o.operationId === 'getLiveness')!;
  checkRequest(op, 'text/csv');
  check(op, 200, { 'content-type': 'application/json', 'x-request-id': 'req-1' }, JSON.stringify({ status: 42 }));
  check(op, 418, { 'content-type': 'application/json' }, '{}');
  check(op, 200, { 'content-type': 'text/html', 'x-request-id': 'req-1' }, '<p>');
  t.equal(mismatches.length, 4, mismatches.join('\n'));
});
