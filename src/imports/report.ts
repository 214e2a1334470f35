import type { TextEncoding } from './decode.js';

/**
 * How many problems a report lists. Every bad row is still counted (errorCount, invalidRows), so
 * a file with 10,000 bad rows answers with the first 100 and the totals, in bounded memory.
 */
export const MAX_REPORTED_ERRORS = 100;

/** What is wrong with one cell, or with a whole row when column is null. */
export interface RowIssue {
  column: string | null;
  reason: string;
}

export interface RowError extends RowIssue {
  /** 1-based line of the file where the record starts (the header is line 1). */
  line: number;
  /** 1-based data row (the first row after the header is 1); null for a problem with the file itself. */
  row: number | null;
}

export interface ImportReportJson {
  format: string | null;
  encoding: TextEncoding | null;
  rowsRead: number;
  validRows: number;
  invalidRows: number;
  errorCount: number;
  errors: RowError[];
  errorsTruncated: boolean;
  maxReportedErrors: number;
}

/** The outcome of reading one file: counts and the first MAX_REPORTED_ERRORS problems. */
export class ImportReport {
  format: string | null = null;
  encoding: TextEncoding | null = null;
  rowsRead = 0;
  validRows = 0;
  invalidRows = 0;
  errorCount = 0;
  readonly errors: RowError[] = [];

  /** True when nothing is wrong: the file may be applied. */
  get ok(): boolean {
    return this.errorCount === 0;
  }

  addError(error: RowError): void {
    this.errorCount += 1;
    if (this.errors.length < MAX_REPORTED_ERRORS) this.errors.push(error);
  }

  /** Records a data row that cannot be imported, with each of its problems. */
  rejectRow(row: number, line: number, issues: readonly RowIssue[]): void {
    this.invalidRows += 1;
    for (const issue of issues) this.addError({ line, row, ...issue });
  }

  toJSON(): ImportReportJson {
    return {
      format: this.format,
      encoding: this.encoding,
      rowsRead: this.rowsRead,
      validRows: this.validRows,
      invalidRows: this.invalidRows,
      errorCount: this.errorCount,
      errors: [...this.errors],
      errorsTruncated: this.errorCount > this.errors.length,
      maxReportedErrors: MAX_REPORTED_ERRORS,
    };
  }
}
