import type { z } from 'zod';
import { readCsvBatches, type CsvSource } from './csv.js';
import type { EncodingChoice } from './decode.js';
import { ImportReport, type RowIssue } from './report.js';

/** How a file names a site it refers to: by DfE URN, or by name when the site has none. */
export type SiteKey = { urn: string } | { name: string };

export type RowResult<T> = { ok: true; value: T } | { ok: false; issues: RowIssue[] };

/** Turns one record's cells into a typed row. */
export interface RowFormat<T> {
  /** Named in the report, e.g. "template" or "dfe-register". */
  name: string;
  parseRow(values: Record<string, string>, line: number): RowResult<T>;
}

/** Picks the format from the header, or says what is wrong with the header. */
export type ChooseFormat<T> = (header: readonly string[]) => RowFormat<T> | RowIssue[];

export interface ParsedRow<T> {
  row: number;
  line: number;
  value: T;
}

/**
 * Valid rows, streamed in batches (an await a batch, not one a row), and the report that fills in as they
 * are read. A problem with a row is reported only once the batches of valid rows before it have been
 * taken, so that a reader that writes each batch before taking the next sees problems in the file's
 * order, its own among them. Iterate once, to the end; only then is the report complete. All-or-nothing:
 * apply the rows (e.g. in batches inside a transaction) and commit only if report.ok.
 */
export interface RowStream<T> {
  batches: AsyncIterable<ParsedRow<T>[]>;
  report: ImportReport;
}

export interface ParseOptions {
  /** Default 'auto': UTF-8, or Windows-1252 when the bytes are not UTF-8 (see decodeText). */
  encoding?: EncodingChoice;
  /** The report to fill in; default a new one. */
  report?: ImportReport;
}

export function parseRows<T>(source: CsvSource, choose: ChooseFormat<T>, options: ParseOptions = {}): RowStream<T> {
  const report = options.report ?? new ImportReport();
  let format: RowFormat<T> | null = null;
  const onHeader = (header: readonly string[]): RowIssue[] => {
    const chosen = choose(header);
    if (Array.isArray(chosen)) return chosen;
    format = chosen;
    report.format = chosen.name;
    return [];
  };
  async function* batches(): AsyncGenerator<ParsedRow<T>[]> {
    for await (const records of readCsvBatches(source, report, { encoding: options.encoding, onHeader })) {
      let batch: ParsedRow<T>[] = [];
      for (const { row, line, values } of records) {
        const result = (format as RowFormat<T> | null)?.parseRow(values, line);
        if (!result) continue;
        if (result.ok) {
          report.validRows += 1;
          batch.push({ row, line, value: result.value });
        } else {
          if (batch.length > 0) yield batch;
          batch = [];
          report.rejectRow(row, line, result.issues);
        }
      }
      if (batch.length > 0) yield batch;
    }
  }
  return { batches: batches(), report };
}

/** Values as the rows of a file that has them in this order after its header line. */
export function numberedRows<T>(values: readonly T[]): ParsedRow<T>[] {
  return values.map((value, index) => ({ row: index + 1, line: index + 2, value }));
}

/** Reads every row into memory: for small files (fixtures, tests). */
export async function readAllRows<T>(stream: RowStream<T>): Promise<{ rows: T[]; report: ImportReport }> {
  const rows: T[] = [];
  for await (const batch of stream.batches) for (const { value } of batch) rows.push(value);
  return { rows, report: stream.report };
}

/** Header names keyed by their lower-case form: columns match in any letter case. */
export function headerLookup(header: readonly string[]): Map<string, string> {
  return new Map(header.map((name) => [name.toLowerCase(), name]));
}

/** Issues from a failed zod parse, each named by the file's column. */
export function zodIssues(error: z.ZodError, columnOf: (field: string) => string): RowIssue[] {
  return error.issues.map((issue) => {
    const field = issue.path[0];
    return { column: typeof field === 'string' ? columnOf(field) : null, reason: issue.message };
  });
}

/**
 * One of our own templates: every column is known (a misspelt one is an error, not ignored),
 * the required ones must be present, the others may be left out.
 */
export function templateFormat<T>(name: string, columns: readonly string[], requiredColumns: readonly string[], schema: z.ZodType<T>): ChooseFormat<T> {
  return (header) => {
    const known = new Set(columns.map((column) => column.toLowerCase()));
    const present = headerLookup(header);
    const issues: RowIssue[] = [
      ...header
        .filter((column) => !known.has(column.toLowerCase()))
        .map((column) => ({ column, reason: `is not a column of the ${name} template (${columns.join(', ')})` })),
      ...requiredColumns
        .filter((column) => !present.has(column.toLowerCase()))
        .map((column) => ({ column, reason: 'is a required column and is missing from the header' })),
    ];
    if (issues.length > 0) return issues;
    return {
      name: 'template',
      parseRow(values) {
        const cells = Object.fromEntries(columns.map((column) => [column, values[present.get(column.toLowerCase()) ?? ''] ?? '']));
        const parsed = schema.safeParse(cells);
        if (parsed.success) return { ok: true, value: parsed.data };
        // In the file's column order, as a planner reads the row.
        const position = (issue: RowIssue): number => columns.indexOf(issue.column ?? '');
        const issues = zodIssues(parsed.error, (field) => field).sort((a, b) => position(a) - position(b));
        return { ok: false, issues };
      },
    };
  };
}

/**
 * Rejects a row whose key repeats an earlier row's: an all-or-nothing import must not depend on
 * which of two rows wins. Keeps one short key per row: memory grows by about 0.2 KB a row
 * (20 MB for 100,000 rows; holding the parsed rows as well would take about 55 MB).
 */
export function rejectRepeats<T>(format: RowFormat<T>, keyOf: (value: T) => { key: string; column: string }): RowFormat<T> {
  const firstLine = new Map<string, number>();
  return {
    name: format.name,
    parseRow(values, line) {
      const result = format.parseRow(values, line);
      if (!result.ok) return result;
      const { key, column } = keyOf(result.value);
      const earlier = firstLine.get(key);
      if (earlier !== undefined) return { ok: false, issues: [{ column, reason: `repeats the row on line ${earlier}` }] };
      firstLine.set(key, line);
      return result;
    },
  };
}

/**
 * Reads the pair of columns that name a site (e.g. siteUrn, siteName). Exactly one may be filled
 * in: a URN when the site has one, otherwise its name. Adds an issue to ctx when that is not so.
 */
export function siteReference(
  ctx: z.RefinementCtx,
  columns: { urn: string; name: string },
  cells: { urn: string | undefined; name: string | undefined },
  isRequired: boolean,
): SiteKey | null {
  if (cells.urn !== undefined && cells.name !== undefined) {
    ctx.addIssue({ code: 'custom', path: [columns.name], message: `give ${columns.urn} or ${columns.name}, not both` });
  } else if (cells.urn !== undefined) {
    return { urn: cells.urn };
  } else if (cells.name !== undefined) {
    return { name: cells.name };
  } else if (isRequired) {
    ctx.addIssue({ code: 'custom', path: [columns.urn], message: `is required: give ${columns.urn} or ${columns.name}` });
  }
  return null;
}
