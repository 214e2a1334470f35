import type { FastifyRequest } from 'fastify';
import { ProblemError } from './problem.js';

/** The last row of a page: lists are ordered by creation time, then id. */
export interface SortKey {
  createdAt: string;
  id: string;
}

export function encodeCursor(key: SortKey): string {
  return Buffer.from(JSON.stringify([key.createdAt, key.id])).toString('base64url');
}

// The form this API writes (toISOString of a stored row): a four-digit year, so no cast can overflow.
const timestampPattern = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function decodeCursor(cursor: string): SortKey {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (
      typeof createdAt === 'string' &&
      timestampPattern.test(createdAt) &&
      !Number.isNaN(Date.parse(createdAt)) &&
      typeof id === 'string' &&
      uuidPattern.test(id)
    ) {
      return { createdAt, id };
    }
  } catch {
    // fall through to the problem below
  }
  throw new ProblemError('validation', 'The cursor is not one this API gave out', [{ path: 'query.cursor', message: 'is not a valid cursor' }]);
}

export interface Page<T> {
  items: T[];
  nextCursor?: string;
  links: { next?: string };
}

/** Rows were fetched with limit + 1 so that a further page can be detected without a count. */
export function toPage<T extends SortKey>(request: FastifyRequest, rows: T[], limit: number): Page<T> {
  if (rows.length <= limit) return { items: rows, links: {} };
  const items = rows.slice(0, limit);
  const last = items[items.length - 1]!;
  const nextCursor = encodeCursor(last);
  const url = new URL(request.url, 'http://localhost');
  url.searchParams.set('limit', String(limit));
  url.searchParams.set('cursor', nextCursor);
  return { items, nextCursor, links: { next: `${url.pathname}${url.search}` } };
}
