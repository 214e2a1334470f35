import { join } from 'node:path';
import t from 'tap';
import { haversineM } from '../../src/domain/geo.js';
import { bngToWgs84, wgs84ToBng } from '../../src/imports/bng.js';
import { readCsvFile } from '../../src/imports/csv.js';
import { fixturesDir, sharedDataDir, sharedDataMissing } from '../helpers/imports.js';

/** Published ONS centroids (every stride-th row): easting/northing and lat/lon of the same points. */
async function publishedCentroids(file = join(fixturesDir, 'lsoa21-pwc-sample.csv'), stride = 1) {
  const rows = [];
  let index = 0;
  for await (const row of readCsvFile(file)) {
    if (index++ % stride !== 0) continue;
    rows.push({ code: row.lsoa21cd, easting: Number(row.easting), northing: Number(row.northing), lat: Number(row.lat), lon: Number(row.lon) });
  }
  return rows;
}

function worstErrorM(rows: Awaited<ReturnType<typeof publishedCentroids>>): number {
  return Math.max(...rows.map((row) => haversineM(bngToWgs84(row), row)));
}

t.test('Easting/Northing convert to within 5 m of the published lat/lon (committed sample)', async (t) => {
  const rows = await publishedCentroids();
  t.ok(rows.length >= 50, `${rows.length} sample rows across England and Wales`);
  const worstM = worstErrorM(rows);
  t.ok(worstM < 5, `worst error ${worstM.toFixed(2)} m`);
});

t.test('the same for every 100th centroid of the shared data', { skip: sharedDataMissing }, async (t) => {
  const rows = await publishedCentroids(join(sharedDataDir, 'lsoa21_pwc_england_wales.csv'), 100);
  const worstM = worstErrorM(rows);
  t.ok(worstM < 5, `${rows.length} rows, worst error ${worstM.toFixed(2)} m`);
});

t.test('lat/lon convert back to the published grid reference', async (t) => {
  for (const row of (await publishedCentroids()).slice(0, 10)) {
    const { easting, northing } = wgs84ToBng(row);
    t.ok(Math.hypot(easting - row.easting, northing - row.northing) < 5, `${row.code} round trip`);
  }
});
