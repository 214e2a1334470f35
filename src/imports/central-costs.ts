import { z } from 'zod';
import { centralCostCategories, type CentralCost } from '../domain/types.js';
import { decimal, oneOf, optional, pence, required, text } from './cells.js';
import type { CsvSource } from './csv.js';
import { parseRows, rejectRepeats, templateFormat, type ChooseFormat, type ParseOptions, type RowStream } from './rows.js';

/** A central cost, matched by title: the domain's central cost before it has an id. */
export type CentralCostImportRow = Omit<CentralCost, 'id'>;

export const centralCostTemplateColumns = ['title', 'category', 'fte', 'annualCostPerFtePence', 'annualBudgetPence'] as const;

const centralCostSchema = z
  .object({
    title: required(text(200)),
    category: required(oneOf(centralCostCategories)),
    fte: optional(decimal({ min: 0.0001, max: 1000, decimals: 4 })),
    annualCostPerFtePence: optional(pence),
    annualBudgetPence: optional(pence),
  })
  .transform(({ fte, annualCostPerFtePence, annualBudgetPence, ...line }, ctx): CentralCostImportRow => {
    const isPost = fte !== undefined || annualCostPerFtePence !== undefined;
    if (isPost && annualBudgetPence !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['annualBudgetPence'], message: 'a budget line has no fte or annualCostPerFtePence: give one or the other' });
    } else if (isPost && fte === undefined) {
      ctx.addIssue({ code: 'custom', path: ['fte'], message: 'a post needs fte with annualCostPerFtePence' });
    } else if (isPost && annualCostPerFtePence === undefined) {
      ctx.addIssue({ code: 'custom', path: ['annualCostPerFtePence'], message: 'a post needs annualCostPerFtePence with fte' });
    } else if (!isPost && annualBudgetPence === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['annualBudgetPence'],
        message: 'give annualBudgetPence (a budget line) or fte with annualCostPerFtePence (a post)',
      });
    }
    return { ...line, fte: fte ?? null, annualCostPerFtePence: annualCostPerFtePence ?? null, annualBudgetPence: annualBudgetPence ?? null };
  });

const chooseTemplate = templateFormat('central-costs', centralCostTemplateColumns, ['title', 'category'], centralCostSchema);

const chooseCentralCostFormat: ChooseFormat<CentralCostImportRow> = (header) => {
  const chosen = chooseTemplate(header);
  return Array.isArray(chosen) ? chosen : rejectRepeats(chosen, (line) => ({ key: line.title, column: 'title' }));
};

/** Central costs (posts and budget lines of no site) from our template; a title repeated in the file is an error. */
export function parseCentralCosts(source: CsvSource, options?: ParseOptions): RowStream<CentralCostImportRow> {
  return parseRows(source, chooseCentralCostFormat, options);
}
