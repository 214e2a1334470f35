// Shared by the import tests: byte streams from text, and the committed fixtures.
import { fileURLToPath } from 'node:url';
import { Readable } from 'node:stream';
import type { ImportReportJson } from '../../src/imports/report.js';
import { readAllRows, type RowStream } from '../../src/imports/rows.js';

export const fixturesDir = fileURLToPath(new URL('../../fixtures/', import.meta.url));
export const onsMiniDir = fileURLToPath(new URL('../imports/fixtures/ons-mini/', import.meta.url));

/** The text as UTF-8 bytes, cut into chunks of chunkSize bytes (to test values split across chunks). */
export function bytes(text: string | Buffer, chunkSize = 64 * 1024): Readable {
  const buffer = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  const chunks: Buffer[] = [];
  for (let start = 0; start < buffer.length; start += chunkSize) chunks.push(buffer.subarray(start, start + chunkSize));
  return Readable.from(chunks);
}

/** Reads every row and the report's plain form. */
export async function readAll<T>(stream: RowStream<T>) {
  const { rows, report } = await readAllRows(stream);
  return { rows, report: report.toJSON() };
}

/** Each reported problem as [line, column, reason]. */
export const problems = (report: ImportReportJson) => report.errors.map((error) => [error.line, error.column, error.reason]);

/** Parses a CSV file made of the header and lines, and reads every row. */
export function importLines<T>(parse: (source: Readable) => RowStream<T>, header: string, lines: readonly string[]) {
  return readAll(parse(bytes(`${[header, ...lines].join('\n')}\n`)));
}
