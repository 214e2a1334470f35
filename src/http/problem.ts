import { z } from 'zod';
import { isLimitIssue } from '../schemas/common.js';

export const problemTypeBase = 'https://centre-network.example/problems/';

/** Every kind of problem the API answers with; each slug is a stable URI documented in the README. */
export const problemKinds = {
  validation: { status: 400, title: 'The request is not valid' },
  'malformed-request': { status: 400, title: 'The request body could not be read' },
  unauthorized: { status: 401, title: 'Authentication is required' },
  forbidden: { status: 403, title: 'This key may not do this' },
  'not-found': { status: 404, title: 'Not found' },
  'method-not-allowed': { status: 405, title: 'Method not allowed' },
  'not-acceptable': { status: 406, title: 'Not acceptable' },
  'request-timeout': { status: 408, title: 'The request took too long to arrive' },
  conflict: { status: 409, title: 'The request conflicts with the current state' },
  'precondition-failed': { status: 412, title: 'The resource has changed' },
  'payload-too-large': { status: 413, title: 'The request body is too large' },
  'unsupported-media-type': { status: 415, title: 'Unsupported content type' },
  'headers-too-large': { status: 431, title: 'The request line or headers are too large' },
  'rule-violation': { status: 422, title: 'The request breaks a rule' },
  'limit-exceeded': { status: 422, title: 'The request asks for more than a limit allows' },
  'rate-limited': { status: 429, title: 'Too many requests' },
  internal: { status: 500, title: 'Internal error' },
  'service-unavailable': { status: 503, title: 'The service is temporarily unavailable' },
} as const;
export type ProblemKind = keyof typeof problemKinds;

export interface ProblemFieldError {
  /** JSON Pointer into the body, or `query.x` / `params.x` / `headers.x`. */
  path: string;
  message: string;
}

/** Thrown by routes and the domain shell; the error handler turns it into problem+json. */
export class ProblemError extends Error {
  readonly kind: ProblemKind;
  readonly detail: string;
  readonly errors: ProblemFieldError[] | undefined;
  readonly extra: Record<string, unknown> | undefined;

  constructor(kind: ProblemKind, detail: string, errors?: ProblemFieldError[], extra?: Record<string, unknown>) {
    super(detail);
    this.kind = kind;
    this.detail = detail;
    this.errors = errors;
    this.extra = extra;
  }

  get status(): number {
    return problemKinds[this.kind].status;
  }
}

/**
 * A request refused by its schema: 422 limit-exceeded when every issue is a value past a documented limit
 * (withLimit), otherwise 400 validation (malformed input, or a limit together with malformed input).
 */
export function invalidInputKind(issues: readonly unknown[]): 'limit-exceeded' | 'validation' {
  return issues.length > 0 && issues.every(isLimitIssue) ? 'limit-exceeded' : 'validation';
}

export const notFound = (what: string) => new ProblemError('not-found', `${what} was not found`);

/** The longest a problem's texts and lists run: boundedProblem cuts any longer, so the document's bounds hold. */
export const problemLimits = { detail: 2000, instance: 16_384, errors: 1000, path: 1000, message: 1000 } as const;

export const problemSchema = z
  .object({
    type: z.string().max(100).describe('A stable URI naming the kind of problem'),
    title: z.string().max(100),
    status: z.number().int().min(400).max(599),
    detail: z.string().max(problemLimits.detail),
    instance: z.string().max(problemLimits.instance).describe('The path of the request'),
    requestId: z.string().max(60).describe('Quote this when reporting a problem'),
    errors: z
      .array(z.object({ path: z.string().max(problemLimits.path), message: z.string().max(problemLimits.message) }))
      .max(problemLimits.errors)
      .optional()
      .describe('One entry per failing field or rule'),
  })
  .catchall(z.unknown())
  .meta({
    id: 'Problem',
    description: 'RFC 9457 problem details',
    examples: [
      {
        type: `${problemTypeBase}validation`,
        title: 'The request is not valid',
        status: 400,
        detail: '1 field is invalid',
        instance: '/councils/0b9e2a53-53f4-4f0e-9d0c-2b1b5b6d8a11/sites',
        requestId: 'req-1',
        errors: [{ path: '/role', message: 'must be one of hub, spoke, standalone' }],
      },
    ],
  });
export type Problem = z.output<typeof problemSchema>;

const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** The problem with its texts and list of errors cut to problemLimits. */
export function boundedProblem(problem: Problem): Problem {
  const { detail, instance, errors } = problem;
  return {
    ...problem,
    detail: cut(detail, problemLimits.detail),
    instance: cut(instance, problemLimits.instance),
    ...(errors
      ? {
          errors: errors.slice(0, problemLimits.errors).map((e) => ({ path: cut(e.path, problemLimits.path), message: cut(e.message, problemLimits.message) })),
        }
      : {}),
  };
}

/** The documented error responses of an operation, for its OpenAPI entry. */
export function problemResponses(...statuses: number[]) {
  const entries = statuses.map((status) => {
    const titles = Object.values(problemKinds)
      .filter((k) => k.status === status)
      .map((k) => k.title);
    return [
      status,
      {
        description: titles.map((title, index) => (index === 0 ? title : `or ${title[0]!.toLowerCase()}${title.slice(1)}`)).join(', ') || 'Problem',
        content: { 'application/problem+json': { schema: problemSchema } },
      },
    ] as const;
  });
  return Object.fromEntries(entries) as Record<number, { description: string; content: { 'application/problem+json': { schema: typeof problemSchema } } }>;
}
