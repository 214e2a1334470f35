// An import's file is parsed in a worker, which logs what it finds; the event loop reads the log back.
// Read back, the log must be the parse itself: the same rows, and the same report, error for error.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import type { EncodingChoice } from '../../src/imports/decode.js';
import { parseFileToLog, readRowLog } from '../../src/imports/row-log.js';
import { parsePosts } from '../../src/imports/posts.js';
import { parseSites } from '../../src/imports/sites.js';
import type { ImportKind } from '../../src/imports/templates.js';
import { bytes, fixturesDir, readAll } from '../helpers/imports.js';

const folder = await mkdtemp(join(tmpdir(), 'row-log-test-'));
t.teardown(() => rm(folder, { recursive: true, force: true }));

/** Rows as the log carries them: as JSON, where a cell left out (undefined) is no key at all, as the writers take it. */
const asJson = <T>(value: T): T => JSON.parse(JSON.stringify(value));

/** The file parsed as the worker does, and its log read back as the event loop does. */
async function throughLog(kind: ImportKind, file: string | Buffer, encoding: EncodingChoice = 'auto') {
  const filePath = join(folder, 'body');
  const logPath = `${filePath}.rows`;
  await writeFile(filePath, file);
  return readAll(readRowLog(logPath, await parseFileToLog({ kind: 'import', importKind: kind, encoding, filePath, logPath })));
}

const siteHeader = 'name,urn,role,hubUrn,hubName,status,lat,lon,postcode,address,openingHoursPerWeek,services,annualPremisesCostPence,annualRunningCostPence';
const sites: Record<string, string | Buffer> = {
  'good rows, quoted line breaks, left-out columns': [
    siteHeader,
    'Spoke one,,spoke,,Hub one,open,53.45,-2.93,L11 2RY,"Ellergreen Road, Liverpool",20,stay_and_play;antenatal,100,200',
    'Hub one,,hub,,,open,53.44,-2.93,L11 1DQ,"Utting Avenue East,\nNorris Green",,,,',
  ].join('\n'),
  'bad cells, a short row and a repeated site, between good rows': [
    siteHeader,
    'A,,standalone,,,open,53.4,-2.9,L1 1AA,,,,,',
    'B,,standalone,,,open,north,-2.9,L1 1AB,,,,,',
    'C,,standalone',
    'A,,standalone,,,open,53.4,-2.9,L1 1AA,,,,,',
    'D,,spoke,,,shut,53.4,-2.9,L1 1AD,,,,,',
    'E,,standalone,,,open,53.4,-2.9,L1 1AE,,,,,',
  ].join('\n'),
  'a bad header': 'name,lat,longitude\nA,53.4,-2.9',
  'an empty file': '',
  'an unclosed quote': `${siteHeader}\nA,,standalone,,,open,53.4,-2.9,L1 1AA,,,,,\n"B,,standalone`,
  'UTF-8 that breaks later': Buffer.concat([Buffer.from(`${siteHeader}\nCafé,,standalone,,,open,53.4,-2.9,L1 1AA,,,,,\n`), Buffer.from([0x43, 0xe9, 0x0a])]),
};

for (const [name, file] of Object.entries(sites)) {
  t.test(`sites, ${name}: the log read back is the parse`, async (t) => {
    const direct = await readAll(parseSites(bytes(file)));
    t.same(await throughLog('sites', file), asJson(direct));
  });
}

t.test("the DfE register's Windows-1252 file, read as auto and as named", async (t) => {
  const file = await readFile(join(fixturesDir, 'register-sample-1252.csv'));
  for (const encoding of ['auto', 'windows-1252', 'utf-8'] as const) {
    const direct = await readAll(parseSites(bytes(file), { encoding }));
    const logged = await throughLog('sites', file, encoding);
    t.same(logged, asJson(direct), encoding);
    if (encoding !== 'utf-8') t.equal(logged.report.encoding, 'windows-1252');
  }
});

t.test('past the listed errors, every one is still counted', async (t) => {
  const lines = Array.from({ length: 300 }, (_, index) => `,,Post ${index},practitioner,1,100`);
  const file = ['siteUrn,siteName,title,kind,fte,annualCostPerFtePence', ...lines].join('\n');
  const direct = await readAll(parsePosts(bytes(file)));
  const logged = await throughLog('posts', file);
  t.same(logged, asJson(direct));
  t.equal(logged.report.errorCount, 300);
  t.equal(logged.report.errorsTruncated, true);
});
