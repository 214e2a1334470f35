// Builds a council's demand areas (2021 LSOAs) from the ONS / MHCLG open-data files in data/open/ons
// (see its SOURCE.md): centroids, the 2011 -> 2021 LSOA lookup, IoD2019 deprivation and the 0-15
// population. The files are streamed; memory holds the council's rows plus one number per English
// LSOA (to derive IDACI deciles).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { AreaImportRow } from './areas.js';
import { readCsvFileBatches } from './csv.js';
import { projectPath } from '../paths.js';

/**
 * Under-5s estimated as 5/16 of the IoD2019 mid-2015 0-15 population: five of the sixteen single
 * years of age. Slightly low: England's mid-2015 0-4 share of 0-15 was nearer 0.33.
 */
export const UNDER5_SHARE_OF_0_15 = 5 / 16;

/** The files the builder reads and the columns it uses (scripts/derive-open-data.ts keeps only these). */
export const onsFiles = {
  localAuthorities: { file: 'local_authorities.csv', columns: ['ladcd', 'ladnm', 'ladcd_active', 'ladnm_active', 'ctrycd', 'current'] },
  lookup: { file: 'lsoa11_lsoa21_lad22_lookup.csv', columns: ['lsoa11cd', 'lsoa21cd', 'lsoa21nm', 'lad22cd'] },
  centroids: { file: 'lsoa21_pwc_england_wales.csv', columns: ['lsoa21cd', 'lat', 'lon'] },
  deprivation: { file: 'imd2019_lsoa11_england.csv', columns: ['lsoa11cd', 'imd_decile', 'idaci_rank_ew', 'pop_0_15_mid2015'] },
} as const;

/** The files shipped in the repository, gzipped (derived from the published ones by scripts/derive-open-data.ts). */
export const bundledOnsDataDir = projectPath('data', 'open', 'ons');

/** A file of the folder: its gzipped copy when there is one, else the plain CSV (as published). */
function onsFile(dataDir: string, { file }: { file: string }): string {
  const gzipped = join(dataDir, `${file}.gz`);
  return existsSync(gzipped) ? gzipped : join(dataDir, file);
}

const ENGLAND = 'E92000001';

/** The code names no local authority these files can build areas for; the message says why. */
export class LocalAuthorityError extends Error {}

export interface OnsAreas {
  localAuthority: { code: string; name: string };
  /** One per 2021 LSOA, ordered by code. */
  areas: AreaImportRow[];
}

/** The district codes of the 2022 lookup that make up the council today (a 2023 unitary is several). */
async function resolveLocalAuthority(dataDir: string, ladCode: string): Promise<{ name: string; districts: Set<string> }> {
  const districts = new Set<string>();
  let council: Record<string, string> | null = null;
  for await (const rows of readCsvFileBatches(onsFile(dataDir, onsFiles.localAuthorities))) {
    for (const row of rows) {
      if (row.ladcd === ladCode) council = row;
      if (row.ladcd_active === ladCode) districts.add(row.ladcd ?? '');
    }
  }
  if (!council) throw new LocalAuthorityError(`${ladCode} is not a local-authority district code`);
  const name = council.ladnm ?? ladCode;
  if (council.current !== 'TRUE') {
    throw new LocalAuthorityError(`${ladCode} (${name}) no longer exists: use ${council.ladcd_active} (${council.ladnm_active})`);
  }
  if (council.ctrycd !== ENGLAND) {
    throw new LocalAuthorityError(`${ladCode} (${name}) is not in England: IoD2019 deprivation covers England only`);
  }
  return { name, districts };
}

interface Lsoa21 {
  name: string;
  lsoa11: string[];
}

interface Lsoa11 {
  imdDecile: number;
  under5: number;
  idaciRankEw: number;
}

const toNumber = (text: string | undefined): number => (text ? Number(text) : NaN);

/** Sorted ascending, the first index whose value is >= target. */
function lowerBound(sorted: Float64Array, target: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] ?? Infinity) < target) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** MHCLG's deciles: rank r of n falls in decile ceil(10 r / n) (checked against imd_rank -> imd_decile). */
const decileOfRank = (rank: number, count: number): number => Math.ceil((10 * rank) / count);

/**
 * The council's 2021 LSOAs as area rows. Each 2011 LSOA's under-5s are shared equally across the
 * 2021 LSOAs it maps to (a split divides, a merge adds up); a 2021 LSOA takes its deciles from the
 * 2011 LSOA contributing most under-5s (the first in the lookup on a tie). Under-5s are rounded to
 * whole children at the end.
 *
 * idaciDecile: the file's IDACI rank is over England and Wales, so it is re-ranked among England's
 * LSOAs (equal ranks stay equal) and cut into MHCLG's deciles. That is the English IDACI decile as
 * long as the combined ranking keeps England's own order, which it does by score here.
 */
export async function buildAreasForLocalAuthority(dataDir: string, ladCode: string): Promise<OnsAreas> {
  const code = ladCode.trim().toUpperCase();
  const { name, districts } = await resolveLocalAuthority(dataDir, code);

  const lsoa21s = new Map<string, Lsoa21>();
  const shareCount = new Map<string, number>(); // how many 2021 LSOAs each 2011 LSOA maps to
  for await (const rows of readCsvFileBatches(onsFile(dataDir, onsFiles.lookup))) {
    for (const row of rows) {
      const { lsoa11cd = '', lsoa21cd = '' } = row;
      shareCount.set(lsoa11cd, (shareCount.get(lsoa11cd) ?? 0) + 1);
      if (!districts.has(row.lad22cd ?? '')) continue;
      const lsoa21 = lsoa21s.get(lsoa21cd) ?? { name: row.lsoa21nm ?? lsoa21cd, lsoa11: [] };
      lsoa21.lsoa11.push(lsoa11cd);
      lsoa21s.set(lsoa21cd, lsoa21);
    }
  }
  if (lsoa21s.size === 0) throw new LocalAuthorityError(`${code} (${name}) has no LSOAs in the 2021 lookup`);

  const centroids = new Map<string, { lat: number; lon: number }>();
  for await (const rows of readCsvFileBatches(onsFile(dataDir, onsFiles.centroids))) {
    for (const row of rows) {
      if (lsoa21s.has(row.lsoa21cd ?? '')) centroids.set(row.lsoa21cd ?? '', { lat: toNumber(row.lat), lon: toNumber(row.lon) });
    }
  }

  const wanted = new Set([...lsoa21s.values()].flatMap((lsoa21) => lsoa21.lsoa11));
  const lsoa11s = new Map<string, Lsoa11>();
  const idaciRanks: number[] = [];
  for await (const rows of readCsvFileBatches(onsFile(dataDir, onsFiles.deprivation))) {
    for (const row of rows) {
      const idaciRankEw = toNumber(row.idaci_rank_ew);
      idaciRanks.push(idaciRankEw);
      if (!wanted.has(row.lsoa11cd ?? '')) continue;
      lsoa11s.set(row.lsoa11cd ?? '', {
        imdDecile: toNumber(row.imd_decile),
        under5: toNumber(row.pop_0_15_mid2015) * UNDER5_SHARE_OF_0_15,
        idaciRankEw,
      });
    }
  }
  const sortedRanks = Float64Array.from(idaciRanks).sort();
  const idaciDecile = (rankEw: number): number => decileOfRank(lowerBound(sortedRanks, rankEw) + 1, sortedRanks.length);

  const areas = [...lsoa21s.entries()].map(([lsoa21cd, lsoa21]): AreaImportRow => {
    let under5 = 0;
    let main: { lsoa11: Lsoa11; under5: number } | null = null;
    for (const lsoa11cd of lsoa21.lsoa11) {
      const lsoa11 = lsoa11s.get(lsoa11cd);
      if (!lsoa11) throw new Error(`${onsFiles.deprivation.file} has no row for ${lsoa11cd} (part of ${lsoa21cd})`);
      const share = lsoa11.under5 / (shareCount.get(lsoa11cd) ?? 1);
      under5 += share;
      if (!main || share > main.under5) main = { lsoa11, under5: share };
    }
    const centroid = centroids.get(lsoa21cd);
    if (!centroid || !main) throw new Error(`${onsFiles.centroids.file} has no centroid for ${lsoa21cd}`);
    return {
      code: lsoa21cd,
      name: lsoa21.name,
      lat: centroid.lat,
      lon: centroid.lon,
      under5Population: Math.round(under5),
      deprivationDecile: main.lsoa11.imdDecile,
      idaciDecile: idaciDecile(main.lsoa11.idaciRankEw),
    };
  });
  areas.sort((a, b) => a.code.localeCompare(b.code));
  return { localAuthority: { code, name }, areas };
}

/** An area build for the pool's import threads (src/import-worker.ts). */
export interface OnsAreasTask {
  kind: 'ons-areas';
  dataDir: string;
  localAuthorityCode: string;
}

/** The build, or why not, as a thread sends it back (an error's class does not cross threads). */
export type OnsAreasOutcome = { status: 'built'; built: OnsAreas } | { status: 'not-a-local-authority'; message: string } | { status: 'files-missing' };

/** In an import thread: the build of buildAreasForLocalAuthority, or why not. */
export async function buildAreasOutcome(task: OnsAreasTask): Promise<OnsAreasOutcome> {
  try {
    return { status: 'built', built: await buildAreasForLocalAuthority(task.dataDir, task.localAuthorityCode) };
  } catch (error) {
    if (error instanceof LocalAuthorityError) return { status: 'not-a-local-authority', message: error.message };
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { status: 'files-missing' };
    throw error;
  }
}
