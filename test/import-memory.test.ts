// A 25,000-row file streams through in bounded memory: heap growth is measured, not time.
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import t from 'tap';
import { parseFileToLog, readRowLog } from '../src/imports/row-log.js';
import type { RowStream } from '../src/imports/rows.js';
import { parseSites } from '../src/imports/sites.js';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

// Four passes over 25,000 rows, with a full garbage collection at every sample: slow on a loaded machine.
t.setTimeout(120_000);

// What grows with the file is what stays per row, so this many rows under a bound sized to match proves
// what a larger file would: a parser that kept its rows would grow past the bound by half again.
const ROWS = 25_000;
const SAMPLES = 10;
const MB = 1024 * 1024;

/** Our sites template, generated a thousand rows per chunk; every badEvery-th row has a bad latitude. */
function sitesFile(badEvery: number): Readable {
  async function* chunks() {
    yield 'name,role,status,lat,lon,postcode,address,openingHoursPerWeek,services,annualPremisesCostPence,annualRunningCostPence\n';
    for (let start = 0; start < ROWS; start += 1000) {
      let chunk = '';
      for (let index = start; index < start + 1000; index++) {
        const lat = index % badEvery === badEvery - 1 ? 'north' : (53 + (index % 1000) / 10_000).toFixed(4);
        chunk += `"Centre ${index}, Liverpool",standalone,open,${lat},-2.9,L${1 + (index % 9)} ${index % 10}AB,"${index} Long Street,\nLiverpool",40,stay_and_play;family_support,4500000,4750000\n`;
      }
      yield Buffer.from(chunk);
    }
  }
  return Readable.from(chunks());
}

/** Reads the whole file, keeping nothing, and samples the heap as it goes. */
function parseAndMeasure(badEvery: number) {
  return readAndMeasure(() => parseSites(sitesFile(badEvery)));
}

/** Reads every row of a stream, keeping nothing, and samples the heap as it goes. */
async function readAndMeasure(open: () => RowStream<unknown>) {
  collectGarbage();
  const before = process.memoryUsage().heapUsed;
  let peak = before;
  let rows = 0;
  const sampleOf = (count: number) => Math.floor(count / (ROWS / SAMPLES));
  const { batches, report } = open();
  for await (const batch of batches) {
    if (sampleOf(rows + batch.length) > sampleOf(rows)) {
      collectGarbage();
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    }
    rows += batch.length;
  }
  return { rows, report: report.toJSON(), growthMB: (peak - before) / MB };
}

// The file is about 3.5 MB of text; keeping its 25,000 parsed rows takes about 15 MB. What stays is one
// short key per row (about 5 MB, to catch repeated sites) and the 100 reported errors; the reader
// itself stays within a couple of MB.
const BOUND_MB = 11;

t.test(`${ROWS.toLocaleString('en-GB')} good rows`, async (t) => {
  const { rows, report, growthMB } = await parseAndMeasure(Infinity);
  t.equal(rows, ROWS);
  t.equal(report.validRows, ROWS);
  t.equal(report.errorCount, 0);
  t.ok(growthMB < BOUND_MB, `heap grew ${growthMB.toFixed(1)} MB (bound ${BOUND_MB} MB)`);
});

t.test(`${ROWS.toLocaleString('en-GB')} rows, every 10th bad: all counted, 100 listed`, async (t) => {
  const { rows, report, growthMB } = await parseAndMeasure(10);
  t.equal(rows, ROWS * 0.9);
  t.equal(report.invalidRows, ROWS / 10);
  t.equal(report.errors.length, 100);
  t.equal(report.errorsTruncated, true);
  t.match(report.errors[0], { row: 10, line: 20, column: 'lat' });
  t.ok(growthMB < BOUND_MB, `heap grew ${growthMB.toFixed(1)} MB (bound ${BOUND_MB} MB)`);
});

// An import's file is parsed in a worker, which logs the rows to a file that the event loop reads back
// (src/imports/row-log.ts): the worker's side holds what the parse holds (above) plus a buffer of the log
// of 1 MiB, the event loop's side a chunk of the log at a time.
t.test(`${ROWS.toLocaleString('en-GB')} rows through the worker's log`, async (t) => {
  const folder = await mkdtemp(join(tmpdir(), 'memory-test-'));
  t.teardown(() => rm(folder, { recursive: true, force: true }));
  const filePath = join(folder, 'body');
  const logPath = `${filePath}.rows`;
  await pipeline(sitesFile(10), createWriteStream(filePath));
  const summary = await parseFileToLog({ kind: 'import', importKind: 'sites', encoding: 'auto', filePath, logPath });
  t.comment(`log of ${((await stat(logPath)).size / MB).toFixed(1)} MB for a file of ${((await stat(filePath)).size / MB).toFixed(1)} MB`);
  const { rows, report, growthMB } = await readAndMeasure(() => readRowLog(logPath, summary));
  t.equal(rows, ROWS * 0.9);
  t.equal(report.invalidRows, ROWS / 10);
  t.equal(report.errors.length, 100);
  // Read back, nothing is kept but the report's 100 errors.
  const readBound = 5;
  t.ok(growthMB < readBound, `heap grew ${growthMB.toFixed(1)} MB reading the log back (bound ${readBound} MB)`);
});
