import t from 'tap';
import { parsePosts } from '../../src/imports/posts.js';
import { importLines, problems } from '../helpers/imports.js';

const header = 'siteUrn,siteName,title,kind,fte,annualCostPerFtePence';

t.test('good rows name their site by URN or by name', async (t) => {
  const { rows, report } = await importLines(parsePosts, header, [
    '123456,,Centre manager,management,1,6208020',
    ',"Picton, Family Hub",Family support worker,Frontline,2.5,3907800',
  ]);
  t.equal(report.errorCount, 0);
  t.same(rows, [
    { site: { urn: '123456' }, title: 'Centre manager', kind: 'management', fte: 1, annualCostPerFtePence: 6_208_020 },
    { site: { name: 'Picton, Family Hub' }, title: 'Family support worker', kind: 'frontline', fte: 2.5, annualCostPerFtePence: 3_907_800 },
  ]);
});

t.test('bad rows: column and reason', async (t) => {
  const { rows, report } = await importLines(parsePosts, header, [
    ',,Manager,management,1,100',
    '1,Picton,Manager,management,1,100',
    ',Picton,,boss,0,£100',
    ',Picton,Worker,admin,0.12345,100.5',
  ]);
  t.equal(rows.length, 0);
  t.same(problems(report), [
    [2, 'siteUrn', 'is required: give siteUrn or siteName'],
    [3, 'siteName', 'give siteUrn or siteName, not both'],
    [4, 'title', 'is required'],
    [4, 'kind', 'must be one of management, frontline, admin'],
    [4, 'fte', 'must be at least 0.0001'],
    [4, 'annualCostPerFtePence', 'must be a number such as 12.5 (no commas, spaces or £)'],
    [5, 'fte', 'must have at most 4 decimal places'],
    [5, 'annualCostPerFtePence', 'must be a whole number'],
  ]);
});

t.test('numbers in exponent form, as spreadsheets write them, keep the same rules', async (t) => {
  const { rows, report } = await importLines(parsePosts, header, ['1,,Manager,management,1.5E-1,3.9078e6', '1,,Worker,admin,1.2345e-1,1.5e0']);
  t.same(rows, [{ site: { urn: '1' }, title: 'Manager', kind: 'management', fte: 0.15, annualCostPerFtePence: 3_907_800 }]);
  t.same(problems(report), [
    [3, 'fte', 'must have at most 4 decimal places'],
    [3, 'annualCostPerFtePence', 'must be a whole number'],
  ]);
});

t.test('missing required columns are header errors', async (t) => {
  const { report } = await importLines(parsePosts, 'siteName,title', ['Picton,Manager']);
  t.same(
    report.errors.map((error) => error.column),
    ['kind', 'fte', 'annualCostPerFtePence'],
  );
});
