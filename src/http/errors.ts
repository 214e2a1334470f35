import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import {
  boundedProblem,
  invalidInputKind,
  type Problem,
  ProblemError,
  type ProblemFieldError,
  type ProblemKind,
  problemKinds,
  problemTypeBase,
} from './problem.js';

const contextPrefixes: Record<string, string> = { querystring: 'query', params: 'params', headers: 'headers' };

function fieldPath(context: string | undefined, instancePath: string): string {
  const prefix = context ? contextPrefixes[context] : undefined;
  if (!prefix) return instancePath || '/';
  return `${prefix}${instancePath.replace(/\/$/, '').replaceAll('/', '.')}`;
}

// PostgreSQL error classes that a request can provoke; everything else is an internal error.
const sqlStateProblems: Record<string, { kind: ProblemKind; detail: string }> = {
  '23505': { kind: 'conflict', detail: 'A resource with the same unique value already exists' },
  '23503': { kind: 'conflict', detail: 'The change would break a link between resources' },
  '23514': { kind: 'rule-violation', detail: 'The values break a rule of the data model' },
  // Two writes that each waited for a row the other held: PostgreSQL undid this one.
  '40P01': { kind: 'conflict', detail: 'The change met a concurrent change to the same data and was undone: send it again' },
  '22003': { kind: 'validation', detail: 'A number is out of range' },
  '22P02': { kind: 'validation', detail: 'A value has the wrong form' },
  '22007': { kind: 'validation', detail: 'A date or time has the wrong form' },
  '22008': { kind: 'validation', detail: 'A date or time is out of range' },
  '22009': { kind: 'validation', detail: 'A date or time is out of range' },
  '22021': { kind: 'validation', detail: 'Text holds a character the database cannot store (such as NUL)' },
  '22P05': { kind: 'validation', detail: 'Text holds a character the database cannot store (such as NUL)' },
  // A write that waited too long for its council's lock, or ran too long (the limits of an import).
  '55P03': { kind: 'service-unavailable', detail: "Another write to this council's data is taking long: try again shortly" },
  '57014': { kind: 'service-unavailable', detail: 'The write took longer than its time limit and was undone: try again shortly' },
};
const unavailableStates = new Set(['57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006']);
const unavailableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
]);

/** Drizzle wraps driver errors; the SQLSTATE sits on the cause. */
export function databaseErrorCode(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && (code in sqlStateProblems || unavailableStates.has(code) || unavailableCodes.has(code))) {
      return code;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

const sqlState = /^[0-9A-Z]{5}$/;
const loggedDatabaseFields = ['severity', 'constraint_name', 'constraint', 'table_name', 'table', 'column_name', 'column', 'routine'];

/**
 * An error as logs record it. Database errors and drizzle's wrappers of them carry the SQL and its
 * parameters (drizzle's message holds both; PostgreSQL's message and detail quote values, e.g. a
 * duplicate key's): only their class, code and the constraint, table and column they name are kept.
 * Other errors are logged whole, with their stack.
 */
export function loggableError(error: unknown): { type: string; message: string; stack: string; [field: string]: unknown } {
  if (!(error instanceof Error)) return { type: typeof error, message: String(error), stack: '' };
  const type = error.constructor.name;
  const code = (error as { code?: unknown }).code;
  const fromDatabase = 'query' in error || 'params' in error || (typeof code === 'string' && sqlState.test(code)) || 'severity' in error;
  if (!fromDatabase) return { type, message: error.message, stack: error.stack ?? '', ...(typeof code === 'string' ? { code } : {}), ...causeOf(error) };
  const logged: ReturnType<typeof loggableError> = {
    type,
    message: 'a database error (its message is not logged: it may quote the values sent)',
    // The frames only: the stack's first lines repeat the message.
    stack: (error.stack ?? '')
      .split('\n')
      .filter((line) => line.startsWith('    at '))
      .join('\n'),
    ...(typeof code === 'string' ? { code } : {}),
  };
  for (const field of loggedDatabaseFields) {
    const value = (error as unknown as Record<string, unknown>)[field];
    if (typeof value === 'string') logged[field] = value;
  }
  return { ...logged, ...causeOf(error) };
}

const causeOf = (error: Error) => (error.cause === undefined ? {} : { cause: loggableError(error.cause) });

function fastifyErrorKind(error: FastifyError): ProblemKind | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'unsupported-media-type';
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'payload-too-large';
    case 'FST_ERR_NOT_FOUND':
      return 'not-found';
  }
  const status = error.statusCode;
  if (status === 429) return 'rate-limited';
  if (status === 503) return 'service-unavailable';
  if (status === 400) return 'malformed-request';
  if (status && status > 400 && status < 500) {
    return (Object.entries(problemKinds).find(([, k]) => k.status === status)?.[0] as ProblemKind) ?? 'malformed-request';
  }
  return undefined;
}

export function toProblem(error: unknown, request: FastifyRequest): Problem {
  let kind: ProblemKind = 'internal';
  let detail = 'Something went wrong on our side; the request id identifies it in our logs';
  let errors: ProblemFieldError[] | undefined;
  let extra: Record<string, unknown> | undefined;

  if (error instanceof ProblemError) {
    ({ kind, detail, errors, extra } = error);
  } else if (hasZodFastifySchemaValidationErrors(error)) {
    const context = (error as { validationContext?: string }).validationContext;
    kind = invalidInputKind(error.validation.map((issue) => issue.params));
    errors = error.validation.flatMap((issue) => {
      const keys = (issue.params as { keys?: string[] }).keys;
      // One entry per unknown field, each at its own path.
      if (issue.keyword === 'unrecognized_keys' && keys) {
        const parent = issue.instancePath.replace(/\/$/, '');
        return keys.map((key) => ({ path: fieldPath(context, `${parent}/${key}`), message: 'is not a known field' }));
      }
      return [{ path: fieldPath(context, issue.instancePath), message: issue.message ?? 'is invalid' }];
    });
    if (kind === 'limit-exceeded') {
      detail = `${errors.length === 1 ? '1 field is' : `${errors.length} fields are`} past the limit of what one request may ask (README "Limits")`;
    } else {
      detail = errors.length === 1 ? '1 field is invalid' : `${errors.length} fields are invalid`;
    }
  } else {
    const code = databaseErrorCode(error);
    const mapped = code ? sqlStateProblems[code] : undefined;
    if (mapped) {
      ({ kind, detail } = mapped);
    } else if (code) {
      kind = 'service-unavailable';
      detail = 'The database is unavailable; try again shortly';
    } else {
      const fastifyKind = fastifyErrorKind(error as FastifyError);
      if (fastifyKind) {
        kind = fastifyKind;
        // Fastify's own 4xx messages describe the request, never internals.
        detail = (error as Error).message;
      }
    }
  }
  const { status, title } = problemKinds[kind];
  return {
    type: `${problemTypeBase}${kind}`,
    title,
    status,
    detail,
    instance: request.url.split('?')[0] ?? request.url,
    requestId: request.id,
    ...(errors ? { errors } : {}),
    ...extra,
  };
}

/**
 * Answers bytes on a connection that are not a readable HTTP request (a parse error before any route)
 * with a problem, and closes the connection: the parser cannot find where a next request would start.
 * A request line and headers over Node's limit (16 KiB: a very long query, say) are a 431, as Node's
 * own answer would be; anything else a 400.
 */
export function answerUnreadableRequest(error: Error, socket: Duplex) {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  // The path, when the start of the request line could be read (even cut short).
  const rawPacket = (error as { rawPacket?: unknown }).rawPacket;
  const start = Buffer.isBuffer(rawPacket) ? rawPacket.subarray(0, 8192).toString('latin1') : '';
  const path = /^[A-Z]+ (\/[^\s?]*)/.exec(start)?.[1] ?? '/';
  const code = (error as { code?: unknown }).code;
  const tooLarge = code === 'HPE_HEADER_OVERFLOW';
  // Node's headersTimeout or requestTimeout (src/app.ts: timeouts) ran out while the request arrived.
  const tooSlow = code === 'ERR_HTTP_REQUEST_TIMEOUT';
  const kind: ProblemKind = tooLarge ? 'headers-too-large' : tooSlow ? 'request-timeout' : 'malformed-request';
  const detail = tooLarge
    ? 'The request line and headers may take 16 KiB at most'
    : tooSlow
      ? 'The request did not arrive within the time limit (its headers, or its whole body)'
      : 'The request is not readable HTTP/1.1';
  const { status, title } = problemKinds[kind];
  const body = JSON.stringify({
    type: `${problemTypeBase}${kind}`,
    title,
    status,
    detail,
    instance: path,
    requestId: `req-${randomUUID()}`,
  } satisfies Problem);
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/problem+json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

export function sendProblem(reply: FastifyReply, problem: Problem) {
  return reply.status(problem.status).type('application/problem+json').send(boundedProblem(problem));
}

export function registerErrorHandling(app: FastifyInstance) {
  app.setErrorHandler((error, request, reply) => {
    const problem = toProblem(error, request);
    if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ problem: problem.type, detail: problem.detail }, 'request rejected');
    return sendProblem(reply, problem);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, toProblem(new ProblemError('not-found', `No route ${request.method} ${request.url.split('?')[0]}`), request)),
  );
}
