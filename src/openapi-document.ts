import type { FastifyInstance } from 'fastify';
import { fileURLToPath } from 'node:url';

export const openApiPath = fileURLToPath(new URL('../openapi/openapi.json', import.meta.url));

/** The OpenAPI document as committed: pretty-printed with a final newline, so diffs stay readable. */
export async function renderOpenApi(app: FastifyInstance): Promise<string> {
  await app.ready();
  return `${JSON.stringify(app.swagger(), null, 2)}\n`;
}
