// Parsers for single CSV cells. Each takes the trimmed text and gives a typed value, or an issue
// whose message reads after the column name ("lat must be a number ...").
import { z } from 'zod';

export type Cell<T> = z.ZodType<T, string>;

/** Pounds never appear in a pence column: at most £10bn, well inside exact integer arithmetic. */
const MAX_PENCE = 1_000_000_000_000;

/** Great Britain's extent, loosely: catches swapped or zero coordinates. */
export const GB_BOUNDS = { minLat: 49, maxLat: 61, minLon: -9, maxLon: 2 } as const;

function fail(ctx: z.RefinementCtx, message: string): never {
  ctx.addIssue({ code: 'custom', message });
  return z.NEVER;
}

const isBlank = (value: unknown): boolean => value === undefined || value === '';

/** A cell that must be filled in. A missing column counts as an empty cell. */
export function required<T>(cell: Cell<T>) {
  return z.preprocess((value) => (isBlank(value) ? undefined : value), z.string({ error: 'is required' }).pipe(cell));
}

/** A cell that may be left empty (undefined). */
export function optional<T>(cell: Cell<T>) {
  return z.preprocess((value) => (isBlank(value) ? undefined : value), cell.optional());
}

export function text(maxLength: number): Cell<string> {
  return z.string().max(maxLength, `must be at most ${maxLength} characters`);
}

export function matching(pattern: RegExp, description: string): Cell<string> {
  return z.string().regex(pattern, `must be ${description}`);
}

/** The DfE register's unique reference number (digits; the API also takes letters and hyphens). */
export const urn = matching(/^[0-9A-Za-z-]{1,20}$/, '1 to 20 letters, digits or hyphens (the DfE unique reference number)');

// Plain or in exponent form (1e-7), as a spreadsheet or our own exports write very small or large numbers.
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

interface NumberRule {
  min?: number;
  max?: number;
  /** Most decimal places allowed (trailing zeros do not count); 0 for whole numbers. */
  decimals?: number;
  /** Says what the range means when a value is outside it. */
  outOfRange?: string;
}

export function decimal({ min, max, decimals, outOfRange }: NumberRule): Cell<number> {
  return z.string().transform((text, ctx) => {
    if (!NUMBER.test(text)) return fail(ctx, 'must be a number such as 12.5 (no commas, spaces or £)');
    const value = Number(text);
    if (min !== undefined && value < min) return fail(ctx, outOfRange ?? `must be at least ${min}`);
    if (max !== undefined && value > max) return fail(ctx, outOfRange ?? `must be at most ${max}`);
    const [mantissa = '', exponent = '0'] = text.toLowerCase().split('e');
    const places = Math.max(0, (mantissa.split('.')[1] ?? '').replace(/0+$/, '').length - Number(exponent));
    if (decimals !== undefined && places > decimals) {
      return fail(ctx, decimals === 0 ? 'must be a whole number' : `must have at most ${decimals} decimal places`);
    }
    return value;
  });
}

/** Money: a whole number of pence, 0 or more. */
export const pence = decimal({ min: 0, max: MAX_PENCE, decimals: 0 });

/** A decile 1..10 (1 = most deprived). */
export const decile = decimal({ min: 1, max: 10, decimals: 0 });

const coordinate = (kind: string, min: number, max: number): Cell<number> =>
  decimal({ min, max, outOfRange: `must be a ${kind} in Great Britain (${min} to ${max}); are lat and lon swapped?` });

export const latitude = coordinate('latitude', GB_BOUNDS.minLat, GB_BOUNDS.maxLat);
export const longitude = coordinate('longitude', GB_BOUNDS.minLon, GB_BOUNDS.maxLon);

/** One of a fixed vocabulary, any letter case. */
export function oneOf<const T extends string>(values: readonly T[]): Cell<T> {
  const allowed: readonly string[] = values;
  return z.string().transform((text, ctx) => {
    const value = text.toLowerCase();
    return allowed.includes(value) ? (value as T) : fail(ctx, `must be one of ${values.join(', ')}`);
  });
}

/** Semicolon-separated values from a vocabulary, e.g. "stay_and_play; health_visiting". Repeats are dropped. */
export function listOf<const T extends string>(values: readonly T[]): Cell<T[]> {
  const allowed: readonly string[] = values;
  return z.string().transform((text, ctx) => {
    const items = [
      ...new Set(
        text
          .split(';')
          .map((item) => item.trim().toLowerCase())
          .filter(Boolean),
      ),
    ];
    const unknown = items.filter((item) => !allowed.includes(item));
    if (unknown.length > 0) {
      return fail(ctx, `has ${unknown.join(', ')}: each value must be one of ${values.join(', ')}, separated by ;`);
    }
    return items as T[];
  });
}

export const yesNo: Cell<boolean> = z.string().transform((text, ctx) => {
  const value = text.toLowerCase();
  if (['true', 'yes', 'y', '1'].includes(value)) return true;
  if (['false', 'no', 'n', '0'].includes(value)) return false;
  return fail(ctx, 'must be true or false');
});

/** A calendar date written YYYY-MM-DD. */
export const isoDate: Cell<string> = z.string().transform((text, ctx) => {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const date = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : null;
  if (!date || date.toISOString().slice(0, 10) !== text) return fail(ctx, 'must be a date written YYYY-MM-DD');
  return text;
});

/** A UK postcode, normalised to upper case with one space before the inward code ("L7 6HD"). */
export const postcode: Cell<string> = z.string().transform((text, ctx) => {
  const compact = text.replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2}$/.test(compact)) return fail(ctx, 'must be a UK postcode such as L7 6HD');
  return `${compact.slice(0, -3)} ${compact.slice(-3)}`;
});
