// Derives the committed fixtures (fixtures/) from the open data in shared/data, and writes
// fixtures/README.md. Run from the repository root:
//   node --import tsx scripts/derive-fixtures.ts
// SHARED_DATA_DIR overrides where the data is read from (default ../shared/data).
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import { haversineM } from '../src/domain/geo.js';
import { assignRoles, type Centre, type CentreKind } from '../src/demo/roles.js';
import { loadLiverpoolDemo } from '../src/demo/liverpool.js';
import { areaTemplateColumns, type AreaImportRow } from '../src/imports/areas.js';
import { wgs84ToBng } from '../src/imports/bng.js';
import { csvLine, readCsvFile } from '../src/imports/csv.js';
import { buildAreasForLocalAuthority } from '../src/imports/ons-areas.js';
import { siteTemplateColumns } from '../src/imports/sites.js';
import { renderFixturesReadme, type CouncilSummary, type SiteSummary } from './fixtures-readme.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const sharedDataDir = resolve(process.env.SHARED_DATA_DIR ?? join(repoRoot, '../shared/data'));
const fixturesDir = join(repoRoot, 'fixtures');

const councils = [
  { folder: 'liverpool', code: 'E08000012', centres: 'childrens_centres_liverpool.csv' },
  { folder: 'birmingham', code: 'E08000025', centres: 'childrens_centres_birmingham.csv' },
] as const;

/** Every this-many rows of the centroid file go into the BNG conversion sample. */
const BNG_SAMPLE_STRIDE = 500;

interface SourceCentre extends Centre {
  address: string;
  postcode: string;
}

async function readCentres(file: string): Promise<SourceCentre[]> {
  const centres: SourceCentre[] = [];
  for await (const row of readCsvFile(join(sharedDataDir, file))) {
    centres.push({
      name: row.venue ?? '',
      kind: (row.kind ?? 'other') as CentreKind,
      address: row.address ?? '',
      postcode: row.postcode ?? '',
      lat: Number(row.lat),
      lon: Number(row.lon),
    });
  }
  return centres;
}

const csvFile = (columns: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number | null>>): string =>
  `${[csvLine(columns), ...rows.map((row) => csvLine(row))].join('\n')}\n`;

function sitesCsv(centres: readonly SourceCentre[], summaries: readonly SiteSummary[]): string {
  const rows = centres.map((centre, index) => {
    const summary = summaries[index];
    const cells: Record<string, string | number | null> = {
      name: centre.name,
      role: summary?.role ?? null,
      hubName: summary?.hubName ?? null,
      status: 'open',
      lat: centre.lat,
      lon: centre.lon,
      postcode: centre.postcode,
      address: centre.address,
    };
    return siteTemplateColumns.map((column) => cells[column] ?? null);
  });
  return csvFile(siteTemplateColumns, rows);
}

const areasCsv = (areas: readonly AreaImportRow[]): string =>
  csvFile(
    areaTemplateColumns,
    areas.map((area) => areaTemplateColumns.map((column) => area[column])),
  );

function summariseSites(centres: readonly SourceCentre[]): SiteSummary[] {
  const roles = assignRoles(centres);
  return centres.map((centre) => {
    const { role, hubName, rule } = roles.get(centre.name) ?? { role: 'standalone', hubName: null, rule: '' };
    const hub = centres.find((other) => other.name === hubName);
    return { name: centre.name, kind: centre.kind, role, hubName, rule, hubDistanceM: hub ? haversineM(centre, hub) : null };
  });
}

/**
 * A DfE-register-shaped file in Windows-1252, as the register's downloads are: real Liverpool
 * centres and linked sites, apostrophes typeset as ’ (byte 0x92), Easting/Northing from proj4.
 */
function registerSample(centres: readonly SourceCentre[]): { file: Buffer; rows: number } {
  const columns = [
    'URN',
    'LA (code)',
    'LA (name)',
    'EstablishmentName',
    'TypeOfEstablishment (name)',
    'EstablishmentStatus (name)',
    'Street',
    'Locality',
    'Address3',
    'Town',
    'Postcode',
    'Easting',
    'Northing',
  ];
  const typeset = (text: string): string => text.replaceAll("'", '\u2019');
  const sample = centres.filter((centre) => centre.kind !== 'family_hub').slice(0, 6);
  const rows = sample.map((centre, index) => {
    const [street = '', ...rest] = centre.address.split(', ');
    const town = rest.pop() ?? '';
    const { easting, northing } = wgs84ToBng(centre);
    const type = centre.kind === 'linked_site' ? "Children's Centre Linked Site" : "Children's Centre";
    return [
      String(999_001 + index),
      '341',
      'Liverpool',
      typeset(centre.name),
      typeset(type),
      'Open',
      street,
      rest[0] ?? '',
      rest.slice(1).join(', '),
      town,
      centre.postcode,
      Math.round(easting),
      Math.round(northing),
    ];
  });
  return { file: iconv.encode(csvFile(columns, rows).replaceAll('\n', '\r\n'), 'windows-1252'), rows: rows.length };
}

async function centroidSample(): Promise<{ file: string; rows: number }> {
  const columns = ['lsoa21cd', 'easting', 'northing', 'lat', 'lon'] as const;
  const rows: string[][] = [];
  let index = 0;
  for await (const row of readCsvFile(join(sharedDataDir, 'lsoa21_pwc_england_wales.csv'))) {
    if (index++ % BNG_SAMPLE_STRIDE === 0) rows.push(columns.map((column) => row[column] ?? ''));
  }
  return { file: csvFile(columns, rows), rows: rows.length };
}

async function main(): Promise<void> {
  const summaries: CouncilSummary[] = [];
  let liverpoolCentres: SourceCentre[] = [];
  for (const council of councils) {
    const centres = await readCentres(council.centres);
    const sites = summariseSites(centres);
    const { localAuthority, areas } = await buildAreasForLocalAuthority(sharedDataDir, council.code);
    const folder = join(fixturesDir, council.folder);
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, 'sites.csv'), sitesCsv(centres, sites));
    await writeFile(join(folder, 'areas.csv'), areasCsv(areas));
    summaries.push({ ...localAuthority, folder: council.folder, sites, areas });
    if (council.folder === 'liverpool') liverpoolCentres = centres;
  }
  const register = registerSample(liverpoolCentres);
  const centroids = await centroidSample();
  await writeFile(join(fixturesDir, 'register-sample-1252.csv'), register.file);
  await writeFile(join(fixturesDir, 'lsoa21-pwc-sample.csv'), centroids.file);
  const demo = await loadLiverpoolDemo(fixturesDir);
  const samples = { registerRows: register.rows, centroidRows: centroids.rows };
  await writeFile(join(fixturesDir, 'README.md'), renderFixturesReadme(summaries, demo, samples));
  console.log(`fixtures written to ${fixturesDir} from ${sharedDataDir}`);
}

await main();
