import t from 'tap';
import iconv from 'iconv-lite';
import { MAX_RECORD_CHARS, csvLine, readCsvBatches, type CsvRecord } from '../../src/imports/csv.js';
import type { EncodingChoice } from '../../src/imports/decode.js';
import { ImportReport, MAX_REPORTED_ERRORS } from '../../src/imports/report.js';
import { bytes } from '../helpers/imports.js';

async function read(source: string | Buffer, options: { encoding?: EncodingChoice; chunkSize?: number } = {}) {
  const report = new ImportReport();
  const records: CsvRecord[] = [];
  for await (const batch of readCsvBatches(bytes(source, options.chunkSize), report, { encoding: options.encoding })) {
    records.push(...batch);
  }
  return { records, report: report.toJSON() };
}

t.test('quoted commas, quotes and line breaks stay inside their cell; lines are counted from the header', async (t) => {
  const { records, report } = await read('name,address\n"Picton, Family Hub","139 Earle Road\nPicton"\n\nSpeke,"Conleach ""Road"""\n');
  t.same(records, [
    { row: 1, line: 2, values: { name: 'Picton, Family Hub', address: '139 Earle Road\nPicton' } },
    { row: 2, line: 5, values: { name: 'Speke', address: 'Conleach "Road"' } },
  ]);
  t.equal(report.rowsRead, 2);
  t.equal(report.errorCount, 0);
});

t.test('CRLF and CR line breaks, a byte-order mark and padding are taken away', async (t) => {
  const { records } = await read('\uFEFF name , postcode \r\n Picton , L7 6HD \r"a\r\nb",x\r\n');
  t.same(
    records.map((record) => record.values),
    [
      { name: 'Picton', postcode: 'L7 6HD' },
      { name: 'a\nb', postcode: 'x' },
    ],
  );
  t.same(
    records.map((record) => record.line),
    [2, 3],
  );
});

t.test('rows of empty cells (spreadsheet leftovers) are skipped; trailing empty cells are allowed', async (t) => {
  const { records, report } = await read('a,b,,\n1,2,,\n,,,\n3,4\n');
  t.same(
    records.map((record) => record.values),
    [
      { a: '1', b: '2' },
      { a: '3', b: '4' },
    ],
  );
  t.equal(report.errorCount, 0);
});

t.test('a row with the wrong number of cells is reported and the others still read', async (t) => {
  const { records, report } = await read('a,b\n1,2\n3\n4,5,6\n7,8\n');
  t.equal(records.length, 2);
  t.same(report.errors, [
    { line: 3, row: 2, column: null, reason: 'has 1 cells but the header has 2 columns' },
    { line: 4, row: 3, column: null, reason: 'has 3 cells but the header has 2 columns' },
  ]);
  t.equal(report.invalidRows, 2);
});

t.test('a file that cannot be parsed is reported at its line and the read stops', async (t) => {
  const unclosed = await read('a,b\n1,2\n3,"four\n5,6\n');
  t.equal(unclosed.records.length, 1);
  t.match(unclosed.report.errors, [{ row: null, column: null, reason: /quoted cell is never closed/ }]);

  const stray = await read('a,b\n1,"two"x\n');
  t.match(stray.report.errors, [{ line: 2, reason: /must be written twice/ }]);

  const huge = await read(`a\n"${'x'.repeat(MAX_RECORD_CHARS + 10)}"\n`);
  t.match(huge.report.errors, [{ reason: /longer than 100000 characters/ }]);
});

t.test('header problems: empty file, unnamed and repeated columns', async (t) => {
  t.match((await read('')).report.errors, [{ line: 1, reason: /empty: expected a header row/ }]);
  t.match((await read('\n\n')).report.errors, [{ line: 1, reason: /empty/ }]);
  const bad = await read('name,,Name\n1,2,3\n');
  t.same(bad.records, []);
  t.same(
    bad.report.errors.map((error) => [error.column, error.reason]),
    [
      [null, 'column 2 has no name'],
      ['Name', 'appears twice in the header'],
    ],
  );
});

t.test('encodings', async (t) => {
  const text = 'name,town\nSt Mary\u2019s Caf\u00e9,Liverpool\n';
  const fromUtf8 = await read(text);
  t.equal(fromUtf8.records[0]?.values.name, 'St Mary\u2019s Caf\u00e9');
  t.equal(fromUtf8.report.encoding, 'utf-8');

  const windows1252 = iconv.encode(text, 'windows-1252');
  const detected = await read(windows1252);
  t.equal(detected.records[0]?.values.name, 'St Mary\u2019s Caf\u00e9', 'bytes that are not UTF-8 read as Windows-1252');
  t.equal(detected.report.encoding, 'windows-1252');

  const asked = await read(windows1252, { encoding: 'windows-1252' });
  t.equal(asked.records[0]?.values.name, 'St Mary\u2019s Caf\u00e9');

  const forced = await read(windows1252, { encoding: 'utf-8' });
  t.same(forced.records, []);
  t.match(forced.report.errors, [{ row: null, reason: /not valid UTF-8.*encoding=windows-1252/ }]);

  const splitMultibyte = await read(text, { chunkSize: 1 });
  t.equal(splitMultibyte.records[0]?.values.name, 'St Mary\u2019s Caf\u00e9', 'a character cut across chunks');
  t.equal(splitMultibyte.report.encoding, 'utf-8');

  const laterBreak = Buffer.concat([Buffer.from('name\nCaf\u00e9\n', 'utf8'), Buffer.from([0x92, 0x0a])]);
  t.match((await read(laterBreak)).report.errors, [{ reason: /not valid UTF-8/ }], 'UTF-8 first, then not: rejected');
});

t.test('the report lists the first errors and counts them all', async (t) => {
  const rows = Array.from({ length: 250 }, (_, index) => `${index},x,extra`).join('\n');
  const { report } = await read(`a,b\n${rows}\n`);
  t.equal(report.errors.length, MAX_REPORTED_ERRORS);
  t.equal(report.errorCount, 250);
  t.equal(report.invalidRows, 250);
  t.equal(report.errorsTruncated, true);
});

t.test('csvLine quotes what needs quoting, and reads back the same', async (t) => {
  const values = ['plain', 'a, b', 'say "hi"', 'two\nlines', ' padded ', '', 12.5, null];
  const line = csvLine(values);
  t.equal(line, 'plain,"a, b","say ""hi""","two\nlines"," padded ",,12.5,');
  const header = csvLine(values.map((_, index) => `c${index}`));
  const { records } = await read(`${header}\n${line}\n`);
  t.same(Object.values(records[0]?.values ?? {}), ['plain', 'a, b', 'say "hi"', 'two\nlines', 'padded', '', '12.5', '']);
});
