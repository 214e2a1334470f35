import type { FastifyInstance } from 'fastify';
import { projectPath } from './paths.js';

export const openApiPath = projectPath('openapi', 'openapi.json');

/** The OpenAPI document as committed: pretty-printed with a final newline, so diffs stay readable. */
export async function renderOpenApi(app: FastifyInstance): Promise<string> {
  await app.ready();
  return `${JSON.stringify(app.swagger(), null, 2)}\n`;
}
