// The outcomes CSV both ways: the import (our template, upserted by name) and the export, which writes
// the template's columns so that a download, edited in a spreadsheet, imports back. A row is checked by
// the API's own schema and rules (outcomeFields, outcomeRules): a file and a JSON body are refused alike.
import { z } from 'zod';
import { formulaUnguarded, toCsv } from '../domain/csv.js';
import type { Outcome } from '../domain/types.js';
import { outcomeFields, outcomeRules } from '../schemas/resources.js';
import { type Cell, decimal, optional, yesNo } from './cells.js';
import type { CsvSource } from './csv.js';
import { parseRows, rejectRepeats, templateFormat, type ChooseFormat, type ParseOptions, type RowStream } from './rows.js';

/** An outcome, matched by name (unique within a council): the domain's outcome before it has an id. */
export type OutcomeImportRow = Omit<Outcome, 'id'>;

// A text cell our export guarded against formulas ('=…) reads back as the text it was.
const textCell: Cell<string> = z.string().transform(formulaUnguarded);
const numberCell = decimal({});

/** How each field of an outcome reads from its cell, in the API's order; the API's schema and rules then check the values. */
const cells = {
  name: textCell,
  sourceRef: textCell,
  priceYear: textCell,
  illustrative: yesNo,
  cohortBasis: textCell,
  under5sPerHousehold: numberCell,
  engagementRate: numberCell,
  impactRate: numberCell,
  impactRateLow: numberCell,
  impactRateHigh: numberCell,
  deadweight: numberCell,
  attribution: numberCell,
  optimismBias: numberCell,
  lagYears: numberCell,
  durationYears: numberCell,
  dropOff: numberCell,
  fiscalValuePence: numberCell,
  economicValuePence: numberCell,
  socialValuePence: numberCell,
  priceUplift: numberCell,
  agency: textCell,
  cashability: numberCell,
} satisfies Record<keyof OutcomeImportRow, Cell<unknown>>;

type OutcomeColumn = keyof typeof cells;
/** One column per field of an outcome, named as in the JSON API. */
export const outcomeTemplateColumns = Object.keys(cells) as OutcomeColumn[];

/** The columns a header must have: the fields the API requires (those with neither a default nor a null). */
const requiredColumns = outcomeTemplateColumns.filter((column) => !outcomeFields.shape[column].safeParse(undefined).success);

const outcomeRowSchema = z
  .object(Object.fromEntries(outcomeTemplateColumns.map((column) => [column, optional<unknown>(cells[column])])))
  .transform((cellValues, ctx): OutcomeImportRow => {
    const given = Object.fromEntries(Object.entries(cellValues).filter(([, value]) => value !== undefined));
    const parsed = outcomeFields.safeParse(given, { error: (issue) => (issue.input === undefined ? 'is required' : undefined) });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
      return z.NEVER;
    }
    // Each rule's path is a JSON Pointer to the field ("/lagYears"), which is also the column.
    for (const error of outcomeRules(parsed.data)) ctx.addIssue({ code: 'custom', path: [error.path.slice(1)], message: error.message });
    const outcome = parsed.data;
    return {
      ...outcome,
      under5sPerHousehold: outcome.under5sPerHousehold ?? null,
      impactRateLow: outcome.impactRateLow ?? null,
      impactRateHigh: outcome.impactRateHigh ?? null,
    };
  });

const chooseTemplate = templateFormat('outcomes', outcomeTemplateColumns, requiredColumns, outcomeRowSchema);

const chooseOutcomeFormat: ChooseFormat<OutcomeImportRow> = (header) => {
  const chosen = chooseTemplate(header);
  return Array.isArray(chosen) ? chosen : rejectRepeats(chosen, (outcome) => ({ key: outcome.name, column: 'name' }));
};

/** Outcomes from our template; a name repeated in the file is an error. */
export function parseOutcomes(source: CsvSource, options?: ParseOptions): RowStream<OutcomeImportRow> {
  return parseRows(source, chooseOutcomeFormat, options);
}

/**
 * The outcomes as the import's template: the same columns, pence only (a pounds column beside it would
 * be a second figure to keep in step), sorted by name so that the same outcomes give the same bytes in
 * any council, whatever order they were created in.
 */
export function outcomesToCsv(outcomes: readonly Outcome[]): string {
  const byName = [...outcomes].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return toCsv(
    outcomeTemplateColumns,
    byName.map((outcome) => outcomeTemplateColumns.map((column) => outcome[column])),
  );
}
