import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { pipeline } from 'node:stream';
import { CsvError, type Parser, parse } from 'csv-parse';
import { stringify } from 'csv-stringify/sync';
import { EncodingError, decodeText, normaliseLineBreaks, type EncodingChoice } from './decode.js';
import { ImportReport, type RowIssue } from './report.js';

/** Longest record accepted: an unclosed quote fails here instead of swallowing the file. */
export const MAX_RECORD_CHARS = 100_000;

/** Bytes or text, e.g. a request body or fs.createReadStream. */
export type CsvSource = AsyncIterable<Uint8Array | string>;

export interface CsvRecord {
  /** 1-based data row. */
  row: number;
  /** 1-based line where the record starts (the header is line 1). */
  line: number;
  /** Cells keyed by the header's column names as written, trimmed. */
  values: Record<string, string>;
}

export interface CsvReadOptions {
  encoding?: EncodingChoice;
  /** Checks the column names; any problem returned stops the read before the first row. */
  onHeader?: (header: readonly string[]) => RowIssue[];
}

function headerIssues(names: readonly string[]): RowIssue[] {
  const issues: RowIssue[] = [];
  const seen = new Set<string>();
  names.forEach((name, index) => {
    if (name === '') issues.push({ column: null, reason: `column ${index + 1} has no name` });
    else if (seen.has(name.toLowerCase())) issues.push({ column: name, reason: 'appears twice in the header' });
    seen.add(name.toLowerCase());
  });
  return issues;
}

function dropTrailingEmpty(fields: readonly string[]): string[] {
  let end = fields.length;
  while (end > 0 && fields[end - 1] === '') end -= 1;
  return fields.slice(0, end);
}

function csvErrorReason(error: CsvError): string {
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted cell is never closed (a " is missing)';
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'text follows a closing quote: a " inside a quoted cell must be written twice ("")';
    case 'CSV_MAX_RECORD_SIZE':
      return `a row is longer than ${MAX_RECORD_CHARS} characters`;
    default:
      return error.message;
  }
}

function countNewlines(fields: readonly string[]): number {
  let count = 0;
  for (const field of fields) {
    for (let at = field.indexOf('\n'); at >= 0; at = field.indexOf('\n', at + 1)) count += 1;
  }
  return count;
}

/**
 * Gives csv-parse a chunk of text, or the end (null), and takes the records it finds into `records`;
 * settles once the chunk is parsed.
 */
async function feed(parser: Parser, chunk: string | null, records: string[][]): Promise<void> {
  const take = () => {
    for (let record = parser.read(); record !== null; record = parser.read()) records.push(record);
  };
  const fed = new Promise<void>((resolve, reject) => {
    const done = (error?: Error | null) => (error ? reject(error) : resolve());
    if (chunk === null) parser.end(done);
    else parser.write(chunk, done);
  });
  take(); // taking them lets the parser go on (it holds a chunk back while its output is full)
  try {
    await fed;
  } finally {
    take();
  }
}

/**
 * The text's records, a batch for each chunk of text: csv-parse parses a chunk at once and they are
 * taken at once, so that a file costs an await a chunk, not several a record. A failure comes after the
 * records found before it.
 */
async function* recordBatches(text: AsyncIterable<string>, parser: Parser): AsyncGenerator<string[][]> {
  const records: string[][] = [];
  let failure: unknown = null;
  try {
    for await (const chunk of text) {
      await feed(parser, chunk, records);
      yield records.splice(0);
    }
    await feed(parser, null, records);
  } catch (error) {
    failure = error;
  }
  yield records.splice(0);
  if (failure) throw failure;
}

/**
 * Streams a CSV file's records with their line numbers, in batches (one for each chunk of the file
 * read, cut where a row is rejected): a reader that took them one at a time would pay an await for
 * each. The first record is the header. Blank lines and rows of empty cells are skipped; a row with the
 * wrong number of cells is reported and skipped, once the records before it have been yielded (as
 * RowStream's problems are, src/imports/rows.ts); a file that cannot be parsed (an unclosed quote, bad
 * encoding) is reported and the read stops. Memory holds one chunk's records at a time (plus csv-parse's and the decoder's small buffers).
 */
export async function* readCsvBatches(source: CsvSource, report: ImportReport, options: CsvReadOptions = {}): AsyncGenerator<CsvRecord[]> {
  // Every line ends a record, blank ones too, so that lines are counted here: csv-parse's own count
  // comes in an object made for each record, which costs as much as the rest of its parsing.
  const parser = parse({
    bom: true,
    trim: true,
    relax_column_count: true, // checked below, so that a short row is reported rather than fatal
    max_record_size: MAX_RECORD_CHARS,
  });
  parser.on('error', () => {
    // Errors reach the loop below through feed().
  });
  const text = decodeText(source, options.encoding ?? 'auto', (encoding) => {
    report.encoding = encoding;
  });

  let header: string[] | null = null;
  let row = 0;
  let lastLine = 0;
  try {
    for await (const batch of recordBatches(normaliseLineBreaks(text), parser)) {
      let records: CsvRecord[] = [];
      for (const record of batch) {
        const line = lastLine + 1;
        lastLine += 1 + countNewlines(record);
        if (record.every((cell) => cell === '')) continue;
        if (header === null) {
          header = dropTrailingEmpty(record);
          const issues = [...headerIssues(header), ...(options.onHeader?.(header) ?? [])];
          for (const issue of issues) report.addError({ line, row: null, ...issue });
          if (issues.length > 0) return;
          continue;
        }
        row += 1;
        report.rowsRead += 1;
        const cells = record.length > header.length ? dropTrailingEmpty(record) : record;
        if (cells.length !== header.length) {
          if (records.length > 0) yield records;
          records = [];
          report.rejectRow(row, line, [{ column: null, reason: `has ${cells.length} cells but the header has ${header.length} columns` }]);
          continue;
        }
        const values: Record<string, string> = {};
        header.forEach((name, index) => {
          values[name] = (cells[index] ?? '').trim(); // csv-parse keeps spaces inside quotes
        });
        records.push({ row, line, values });
      }
      if (records.length > 0) yield records;
    }
  } catch (error) {
    if (error instanceof CsvError) {
      const line = typeof error.lines === 'number' ? error.lines : lastLine + 1;
      report.addError({ line, row: null, column: null, reason: csvErrorReason(error) });
      return;
    }
    if (error instanceof EncodingError) {
      report.addError({ line: lastLine + 1, row: null, column: null, reason: error.message });
      return;
    }
    throw error;
  } finally {
    parser.destroy();
  }
  if (header === null) report.addError({ line: 1, row: null, column: null, reason: 'the file is empty: expected a header row' });
}

/**
 * Streams a trusted UTF-8 data file's rows by column name, in batches as readCsvBatches reads them; a
 * malformed file throws rather than reports.
 */
export async function* readCsvFileBatches(path: string): AsyncGenerator<Record<string, string>[]> {
  const report = new ImportReport();
  const file = createReadStream(path);
  // pipeline passes a failure of either stream (a missing file, a broken gzip) on to the reader.
  const bytes = path.endsWith('.gz') ? pipeline(file, createGunzip(), () => {}) : file;
  for await (const records of readCsvBatches(bytes, report, { encoding: 'utf-8' })) yield records.map((record) => record.values);
  const [first] = report.errors;
  if (first) throw new Error(`${path} line ${first.line}: ${first.reason}`);
}

/** readCsvFileBatches' rows one at a time: for scripts and small files. */
export async function* readCsvFile(path: string): AsyncGenerator<Record<string, string>> {
  for await (const rows of readCsvFileBatches(path)) yield* rows;
}

/**
 * One CSV line (RFC 4180 quoting), without the line break. Cells with a line break or with spaces at
 * either end are quoted too, so that reading them back (which trims unquoted cells) keeps them whole.
 */
export function csvLine(values: ReadonlyArray<string | number | null | undefined>): string {
  return stringify([values as (string | number | null | undefined)[]], { eof: false, quoted_match: /[\r\n]|^\s|\s$/ });
}
