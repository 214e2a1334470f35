import { z } from 'zod';
import { incomeKinds, type IncomeKind } from '../domain/types.js';
import { isoDate, oneOf, optional, pence, required, text, urn, yesNo } from './cells.js';
import type { CsvSource } from './csv.js';
import { parseRows, siteReference, templateFormat, type ParseOptions, type RowStream, type SiteKey } from './rows.js';

export interface IncomeStreamImportRow {
  partner: string;
  kind: IncomeKind;
  annualValuePence: number;
  /** YYYY-MM-DD */
  startDate: string;
  /** YYYY-MM-DD, inclusive; null when open-ended. */
  endDate: string | null;
  /** The site the income is tied to, if any. */
  site: SiteKey | null;
  /** The income is lost if its site closes; needs a site. Defaults to false. */
  requiresSiteOpen: boolean;
}

export const incomeStreamTemplateColumns = ['partner', 'kind', 'annualValuePence', 'startDate', 'endDate', 'siteUrn', 'siteName', 'requiresSiteOpen'] as const;

const incomeStreamSchema = z
  .object({
    partner: required(text(200)),
    kind: required(oneOf(incomeKinds)),
    annualValuePence: required(pence),
    startDate: required(isoDate),
    endDate: optional(isoDate),
    siteUrn: optional(urn),
    siteName: optional(text(200)),
    requiresSiteOpen: optional(yesNo),
  })
  .transform(({ siteUrn, siteName, endDate, requiresSiteOpen, ...stream }, ctx): IncomeStreamImportRow => {
    const site = siteReference(ctx, { urn: 'siteUrn', name: 'siteName' }, { urn: siteUrn, name: siteName }, false);
    if (endDate !== undefined && endDate < stream.startDate) {
      ctx.addIssue({ code: 'custom', path: ['endDate'], message: 'must not be before startDate' });
    }
    if (requiresSiteOpen && site === null) {
      ctx.addIssue({ code: 'custom', path: ['requiresSiteOpen'], message: 'needs a site: give siteUrn or siteName' });
    }
    return { ...stream, endDate: endDate ?? null, site, requiresSiteOpen: requiresSiteOpen ?? false };
  });

const chooseIncomeStreamFormat = templateFormat(
  'income-streams',
  incomeStreamTemplateColumns,
  ['partner', 'kind', 'annualValuePence', 'startDate'],
  incomeStreamSchema,
);

/** Income streams from our template, each optionally tied to a site named by siteUrn or siteName. */
export function parseIncomeStreams(source: CsvSource, options?: ParseOptions): RowStream<IncomeStreamImportRow> {
  return parseRows(source, chooseIncomeStreamFormat, options);
}
