// RFC 4180 CSV, safe to open in a spreadsheet.

const plainNumber = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
// Cells a spreadsheet would run as a formula (OWASP "CSV injection"): = + - @ or their full-width forms
// (＝ ＋ － ＠, which spreadsheets in East Asian locales read as the same), after any spaces, tabs, line
// breaks or invisible characters (zero-width spaces and joiners, word joiner, byte-order mark), which a
// spreadsheet may drop before reading the cell.
const formulaStart = /^[\s\u200B-\u200D\u2060\uFEFF]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]|^[\t\r]/;

export type CsvValue = string | number | boolean | null | undefined;

export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  const guarded = typeof value === 'string' && formulaStart.test(text) && !plainNumber.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(guarded) ? `"${guarded.replaceAll('"', '""')}"` : guarded;
}

/** Records separated by CRLF, the last one too. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return [header, ...rows].map((row) => `${row.map(csvCell).join(',')}\r\n`).join('');
}
