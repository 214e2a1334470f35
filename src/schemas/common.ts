import { z } from 'zod';

export const uuidSchema = z.uuid().describe('A UUID');
export const penceSchema = z.number().int().min(0).max(1_000_000_000_000).describe('Money in integer pence');
export const latSchema = z.number().min(-90).max(90).describe('WGS84 latitude, degrees');
export const lonSchema = z.number().min(-180).max(180).describe('WGS84 longitude, degrees');
/**
 * A number with at most `places` decimals. Not JSON Schema's multipleOf: 1.2 is no multiple of 0.0001 in
 * binary floating point, so validators reading the document would refuse what the service takes.
 */
export const decimalNumber = (places: number) =>
  z.number().refine((value) => Number.isInteger(Number((value * 10 ** places).toFixed(6))), `must have at most ${places} decimal places`);
export const dateSchema = z.iso.date().describe('A date, YYYY-MM-DD');

/** Set on the issue of a value past a documented limit (withLimit). */
const limitIssueKey = 'limitExceeded';

/**
 * `schema` at most `max` (a number's value, an array's items, a string's characters) as a documented
 * limit on what one request may ask of the service (README "Limits"): past it the request is a 422
 * limit-exceeded naming the field, where malformed input is a 400; OpenAPI shows the maximum.
 */
export function withLimit<T extends z.ZodType<number | string | unknown[]>>(schema: T, max: number): T {
  const [origin, unit, keyword] =
    schema instanceof z.ZodArray
      ? (['array', ' items', 'maxItems'] as const)
      : schema instanceof z.ZodString
        ? (['string', ' characters', 'maxLength'] as const)
        : (['number', '', 'maximum'] as const);
  return schema
    .check((ctx: z.core.ParsePayload<unknown>) => {
      const size = typeof ctx.value === 'number' ? ctx.value : (ctx.value as unknown[] | string).length;
      if (size <= max) return;
      ctx.issues.push({
        code: 'too_big',
        origin,
        maximum: max,
        inclusive: true,
        input: ctx.value,
        message: `must be at most ${max}${unit} (the limit)`,
        [limitIssueKey]: true,
      } as never);
    })
    .meta({ [keyword]: max }) as T;
}

/** Whether a zod issue (or the params of fastify's validation error) is a documented limit's. */
export const isLimitIssue = (issue: unknown): boolean => (issue as Record<string, unknown> | undefined)?.[limitIssueKey] === true;

export const resourceMetaSchema = {
  id: uuidSchema,
  createdAt: z.iso.datetime().describe('RFC 3339, UTC'),
  updatedAt: z.iso.datetime().describe('RFC 3339, UTC'),
  version: z.number().int().min(1).describe('Bumped by every write'),
};

export const councilParamsSchema = z.object({ councilId: uuidSchema });

export const listQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50).describe('Page size: default 50, maximum 500'),
  cursor: z.string().max(200).optional().describe("Opaque cursor from the previous page's nextCursor"),
});

export function listEnvelope<T extends z.ZodType>(item: T, id: string) {
  return z
    .object({
      items: z.array(item).max(500),
      nextCursor: z.string().max(200).optional().describe('Absent on the last page'),
      links: z.object({ next: z.string().max(2048).optional().describe('The next page; absent on the last page') }),
    })
    .meta({ id });
}
