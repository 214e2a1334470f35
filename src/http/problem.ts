import { z } from 'zod';

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
  conflict: { status: 409, title: 'The request conflicts with the current state' },
  'precondition-failed': { status: 412, title: 'The resource has changed' },
  'payload-too-large': { status: 413, title: 'The request body is too large' },
  'unsupported-media-type': { status: 415, title: 'Unsupported content type' },
  'headers-too-large': { status: 431, title: 'The request line or headers are too large' },
  'rule-violation': { status: 422, title: 'The request breaks a rule' },
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

export const notFound = (what: string) => new ProblemError('not-found', `${what} was not found`);

export const problemSchema = z
  .object({
    type: z.string().describe('A stable URI naming the kind of problem'),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().describe('The path of the request'),
    requestId: z.string().describe('Quote this when reporting a problem'),
    errors: z
      .array(z.object({ path: z.string(), message: z.string() }))
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

/** The documented error responses of an operation, for its OpenAPI entry. */
export function problemResponses(...statuses: number[]) {
  const entries = statuses.map((status) => {
    const kind = Object.values(problemKinds).find((k) => k.status === status);
    return [
      status,
      {
        description: kind?.title ?? 'Problem',
        content: { 'application/problem+json': { schema: problemSchema } },
      },
    ] as const;
  });
  return Object.fromEntries(entries) as Record<number, { description: string; content: { 'application/problem+json': { schema: typeof problemSchema } } }>;
}
