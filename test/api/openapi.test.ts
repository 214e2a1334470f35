import { readFile } from 'node:fs/promises';
import t from 'tap';
import { buildApp } from '../../src/app.js';
import { openApiPath, renderOpenApi } from '../../src/openapi-document.js';
import { testDatabase } from '../helpers/app.js';
import { teardownAtEnd } from '../helpers/folder-suite.js';
import { operationResponse } from '../helpers/openapi.js';

const app = await buildApp({ database: await testDatabase(t) });
teardownAtEnd(t, () => app.close());
const generated = await renderOpenApi(app);
const document = JSON.parse(generated);
type Operations = Record<string, Record<string, any>>;

t.test('the committed OpenAPI document is the one the zod schemas generate', async (t) => {
  const committed = await readFile(openApiPath, 'utf8');
  t.ok(generated === committed, 'openapi/openapi.json is up to date (npm run openapi writes it)');

  t.equal(document.openapi, '3.1.0');
  t.ok(document.components.securitySchemes.bearerAuth, 'API keys are a declared security scheme');
  const operationIds = new Set<string>();
  for (const [path, methods] of Object.entries(document.paths as Operations)) {
    for (const [method, operation] of Object.entries(methods)) {
      const name = `${method.toUpperCase()} ${path}`;
      t.match(operation.operationId, /^[a-z][A-Za-z]+$/, `${name} has a verbNoun operationId`);
      t.notOk(operationIds.has(operation.operationId), `${name}: operationId is unique`);
      operationIds.add(operation.operationId);
      t.equal(operation.tags?.length, 1, `${name} has one tag`);
      t.ok(operation.summary, `${name} has a summary`);
      const errors = Object.keys(operation.responses).filter((status) => status.startsWith('4') || status.startsWith('5'));
      if (!path.startsWith('/health/live')) t.ok(errors.length > 0, `${name} documents its error responses`);
      for (const status of errors) {
        t.ok(operationResponse(document, path, method, status)?.content?.['application/problem+json'], `${name} ${status} is a problem document`);
      }
      const json = operation.requestBody?.content?.['application/json'];
      if (json) t.ok(json.example ?? json.examples ?? json.schema.examples, `${name} has a request example`);
    }
  }
});

// Written out under every operation, problem responses were most of the document, and Swagger UI took
// seconds to render it.
t.test('problem responses are written once, under components/responses, and each is used', async (t) => {
  const shared = document.components.responses as Record<string, { content: Record<string, { example: { status: number } }> }>;
  const inline: string[] = [];
  const wrongStatus: string[] = [];
  const used = new Set<string>();
  for (const [path, methods] of Object.entries(document.paths as Operations)) {
    for (const [method, operation] of Object.entries(methods)) {
      for (const [status, response] of Object.entries(operation.responses as Record<string, { $ref?: string }>)) {
        if (!/^[45]/.test(status)) continue;
        const where = `${method.toUpperCase()} ${path} ${status}`;
        const name = response.$ref?.replace('#/components/responses/', '');
        if (!name) inline.push(where);
        else if (shared[name]?.content['application/problem+json']?.example.status !== Number(status)) wrongStatus.push(`${where}: ${name}`);
        if (name) used.add(name);
      }
    }
  }
  t.same(inline, [], 'no operation writes out a problem response of its own');
  t.same(wrongStatus, [], "each refers to its status's problem");
  t.same(
    Object.keys(shared).filter((name) => !used.has(name)),
    [],
    'every shared response is referred to',
  );
  t.ok(shared.TooManyRequests && shared.NotFound && shared.ServiceUnavailable, 'named by their reason phrase');
});
