import type { FastifyReply, FastifyRequest } from 'fastify';
import { ProblemError } from './problem.js';

export const etagOf = (version: number) => `"${version}"`;

export function setEtag(reply: FastifyReply, version: number) {
  reply.header('etag', etagOf(version));
}

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
