// Derives data/open/ons/ (the ONS / MHCLG files behind POST …/imports/areas/ons) from the published
// files in shared/data: only the columns the area builder reads, England's rows only, gzipped. Run from
// the repository root:
//   node --import tsx scripts/derive-open-data.ts
// SHARED_DATA_DIR overrides where the data is read from (default ../shared/data).
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { csvLine, readCsvFile } from '../src/imports/csv.js';
import { bundledOnsDataDir, onsFiles } from '../src/imports/ons-areas.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const sharedDataDir = resolve(process.env.SHARED_DATA_DIR ?? join(repoRoot, '../shared/data'));

/** England's LSOAs only: IoD2019 covers England alone, so the builder refuses Welsh councils anyway. */
const english = (code: string | undefined) => code?.startsWith('E') ?? false;
const keepRow: Record<keyof typeof onsFiles, (row: Record<string, string>) => boolean> = {
  localAuthorities: () => true, // every code, so that a Welsh or abolished one is refused by name
  lookup: (row) => english(row.lsoa21cd),
  centroids: (row) => english(row.lsoa21cd),
  deprivation: () => true,
};

await mkdir(bundledOnsDataDir, { recursive: true });
for (const [key, { file, columns }] of Object.entries(onsFiles) as [keyof typeof onsFiles, (typeof onsFiles)[keyof typeof onsFiles]][]) {
  const lines = [csvLine(columns)];
  for await (const row of readCsvFile(join(sharedDataDir, file))) {
    if (keepRow[key](row)) lines.push(csvLine(columns.map((column) => row[column])));
  }
  // Level 9 and no file name or time in the header: the same input always gives the same bytes.
  const gzipped = gzipSync(`${lines.join('\n')}\n`, { level: 9 });
  await writeFile(join(bundledOnsDataDir, `${file}.gz`), gzipped);
  console.log(`${file}.gz: ${lines.length - 1} rows, ${columns.length} columns, ${Math.round(gzipped.length / 1024)} KiB`);
}
