import { join } from 'node:path';
import t from 'tap';
import { haversineM } from '../../src/domain/geo.js';
import { bngToWgs84, wgs84ToBng } from '../../src/imports/bng.js';
import { readCsvFile } from '../../src/imports/csv.js';
import { fixturesDir } from '../helpers/imports.js';

/** Published ONS centroids (the committed sample): easting/northing and lat/lon of the same points. */
async function publishedCentroids() {
  const rows = [];
  for await (const row of readCsvFile(join(fixturesDir, 'lsoa21-pwc-sample.csv'))) {
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

t.test('lat/lon convert back to the published grid reference', async (t) => {
  for (const row of (await publishedCentroids()).slice(0, 10)) {
    const { easting, northing } = wgs84ToBng(row);
    t.ok(Math.hypot(easting - row.easting, northing - row.northing) < 5, `${row.code} round trip`);
  }
});
