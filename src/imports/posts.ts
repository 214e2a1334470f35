import { z } from 'zod';
import { postKinds, type PostKind } from '../domain/types.js';
import { decimal, oneOf, optional, pence, required, text, urn } from './cells.js';
import type { CsvSource } from './csv.js';
import { parseRows, siteReference, templateFormat, type ParseOptions, type RowStream, type SiteKey } from './rows.js';

export interface PostImportRow {
  site: SiteKey;
  title: string;
  kind: PostKind;
  /** Full-time equivalent, at most 4 decimal places. */
  fte: number;
  /** Salary plus on-costs for one FTE. */
  annualCostPerFtePence: number;
}

export const postTemplateColumns = ['siteUrn', 'siteName', 'title', 'kind', 'fte', 'annualCostPerFtePence'] as const;

const postSchema = z
  .object({
    siteUrn: optional(urn),
    siteName: optional(text(200)),
    title: required(text(200)),
    kind: required(oneOf(postKinds)),
    fte: required(decimal({ min: 0.0001, max: 100, decimals: 4 })),
    annualCostPerFtePence: required(pence),
  })
  .transform(({ siteUrn, siteName, ...post }, ctx): PostImportRow => {
    const site = siteReference(ctx, { urn: 'siteUrn', name: 'siteName' }, { urn: siteUrn, name: siteName }, true);
    // site is null only when an issue was added, and then the row is rejected.
    return { site: site as SiteKey, ...post };
  });

const requiredPostColumns = ['title', 'kind', 'fte', 'annualCostPerFtePence'];
const choosePostFormat = templateFormat('posts', postTemplateColumns, requiredPostColumns, postSchema);

/** Posts from our template, each at a site named by siteUrn or siteName. */
export function parsePosts(source: CsvSource, options?: ParseOptions): RowStream<PostImportRow> {
  return parseRows(source, choosePostFormat, options);
}
