// CSV for spreadsheets, written with csv-stringify: RFC 4180 quoting, CRLF line ends, and a UTF-8
// byte-order mark so that Excel reads names such as "Ysgol Gymraeg" or "Café" as UTF-8, not mojibake.
import { stringify } from 'csv-stringify/sync';
import { poundsFromPence } from './money.js';

const plainNumber = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
// Cells a spreadsheet would run as a formula (OWASP "CSV injection"): = + - @ or their full-width forms
// (＝ ＋ － ＠, which spreadsheets in East Asian locales read as the same), after any spaces, tabs, line
// breaks or invisible characters (zero-width spaces and joiners, word joiner, byte-order mark), which a
// spreadsheet may drop before reading the cell.
const formulaStart = /^[\s\u200B-\u200D\u2060\uFEFF]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]|^[\t\r]/;

export type CsvValue = string | number | boolean | null | undefined;

/** A text cell a spreadsheet would take for a formula, made inert with a leading apostrophe; plain numbers stay numbers. */
export function formulaSafe(text: string): string {
  return formulaStart.test(text) && !plainNumber.test(text) ? `'${text}` : text;
}

/** The inverse of formulaSafe: a cell our exports guarded reads back as the text it was (as a spreadsheet reads a leading apostrophe). */
export function formulaUnguarded(cell: string): string {
  return cell.startsWith("'") && formulaSafe(cell.slice(1)) === cell ? cell.slice(1) : cell;
}

/**
 * A header and records as one CSV document: a byte-order mark first, every record ended by CRLF. With
 * `poundsBesidePence`, each `…Pence` column is followed by the same money in pounds (`…Pounds`, two
 * decimals), for people reading the sheet; the pence stay exact for systems.
 */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[], options: { poundsBesidePence?: boolean } = {}): string {
  const records = options.poundsBesidePence ? withPounds(header, rows) : [header, ...rows];
  return stringify(records as CsvValue[][], {
    bom: true,
    record_delimiter: 'windows',
    // A line break of either kind inside a cell is quoted, not only the CRLF that ends records.
    quoted_match: /[\r\n]/,
    cast: { string: formulaSafe, boolean: (value) => String(value) },
  });
}

function withPounds(header: readonly string[], rows: readonly (readonly CsvValue[])[]): CsvValue[][] {
  const isPence = header.map((name) => name.endsWith('Pence'));
  const expand = (row: readonly CsvValue[], pounds: (value: CsvValue, index: number) => CsvValue) =>
    row.flatMap((value, index) => (isPence[index] ? [value, pounds(value, index)] : [value]));
  return [
    expand(header, (_name, index) => `${header[index]!.slice(0, -'Pence'.length)}Pounds`),
    ...rows.map((row) => expand(row, (value) => (typeof value === 'number' ? poundsFromPence(value) : value))),
  ];
}
