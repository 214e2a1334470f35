import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ProblemError } from './problem.js';

export const etagOf = (version: number) => `"${version}"`;

export function setEtag(reply: FastifyReply, version: number) {
  reply.header('etag', etagOf(version));
}

/** The If-Match header of PATCH and DELETE, for the OpenAPI document (checkIfMatch reads it). */
export const ifMatchHeaders = z.looseObject({
  'if-match': z
    .string()
    .max(1000)
    .optional()
    .describe('The ETag of the version read last: a 412 problem instead of a write when the resource has changed since. Absent or * writes regardless.'),
});

/** Honours If-Match on PATCH and DELETE: a stale version is a 412 and nothing is written. */
export function checkIfMatch(request: FastifyRequest, version: number) {
  const header = request.headers['if-match'];
  if (!header || header.trim() === '*') return;
  const wanted = header.split(',').map((tag) => tag.trim().replace(/^W\//, ''));
  if (!wanted.includes(etagOf(version))) {
    throw new ProblemError('precondition-failed', `The resource is at version ${version}; read it again and retry`, undefined, {
      currentVersion: version,
    });
  }
}
