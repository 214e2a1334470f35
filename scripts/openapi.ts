// Writes openapi/openapi.json from the zod schemas (`write`), or fails when the committed copy is stale (`check`).
import { readFile, writeFile } from 'node:fs/promises';
import { buildApp } from '../src/app.js';
import { openDatabase } from '../src/db/client.js';
import { openApiPath, renderOpenApi } from '../src/openapi-document.js';

const mode = process.argv[2];
if (mode !== 'write' && mode !== 'check') {
  console.error('usage: openapi.ts write|check');
  process.exit(2);
}
const database = await openDatabase({});
const app = await buildApp({ database });
const generated = await renderOpenApi(app);
await app.close();
await database.close();

if (mode === 'write') {
  await writeFile(openApiPath, generated);
  console.log(`wrote ${openApiPath}`);
} else {
  const committed = await readFile(openApiPath, 'utf8').catch(() => '');
  if (committed !== generated) {
    console.error('openapi/openapi.json is out of date: run `npm run openapi` and commit the result');
    process.exit(1);
  }
  console.log('openapi/openapi.json is up to date');
}
