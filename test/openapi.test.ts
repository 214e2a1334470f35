import { readFile } from 'node:fs/promises';
import t from 'tap';
import { buildApp } from '../src/app.js';
import { openApiPath, renderOpenApi } from '../src/openapi-document.js';
import { testDatabase } from './helpers/app.js';

t.test('the committed OpenAPI document is the one the zod schemas generate', async (t) => {
  const app = await buildApp({ database: await testDatabase(t) });
  t.teardown(() => app.close());
  const generated = await renderOpenApi(app);
  const committed = await readFile(openApiPath, 'utf8');
  t.ok(generated === committed, 'openapi/openapi.json is up to date (npm run openapi writes it)');

  const document = JSON.parse(generated);
  t.equal(document.openapi, '3.1.0');
  t.ok(document.components.securitySchemes.bearerAuth, 'API keys are a declared security scheme');
  const operationIds = new Set<string>();
  for (const [path, methods] of Object.entries(document.paths as Record<string, Record<string, any>>)) {
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
        t.ok(operation.responses[status].content?.['application/problem+json'], `${name} ${status} is a problem document`);
      }
      const json = operation.requestBody?.content?.['application/json'];
      if (json) t.ok(json.example ?? json.examples ?? json.schema.examples, `${name} has a request example`);
    }
  }
});
