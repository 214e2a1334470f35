import t from 'tap';
import { parseIncomeStreams } from '../../src/imports/income-streams.js';
import { importLines, problems } from '../helpers/imports.js';

const header = 'partner,kind,annualValuePence,startDate,endDate,siteUrn,siteName,requiresSiteOpen';

t.test('good rows: with and without a site, open-ended or not', async (t) => {
  const { rows, report } = await importLines(parseIncomeStreams, header, [
    'Liverpool CCG,health_contract,20000000,2025-04-01,2028-03-31,,Picton Family Hub,yes',
    'Housing associations,grant,20000000,2025-04-01,,,,',
  ]);
  t.equal(report.errorCount, 0);
  t.same(rows, [
    {
      partner: 'Liverpool CCG',
      kind: 'health_contract',
      annualValuePence: 20_000_000,
      startDate: '2025-04-01',
      endDate: '2028-03-31',
      site: { name: 'Picton Family Hub' },
      requiresSiteOpen: true,
    },
    {
      partner: 'Housing associations',
      kind: 'grant',
      annualValuePence: 20_000_000,
      startDate: '2025-04-01',
      endDate: null,
      site: null,
      requiresSiteOpen: false,
    },
  ]);
});

t.test('bad rows: column and reason', async (t) => {
  const { rows, report } = await importLines(parseIncomeStreams, header, [
    ',donation,1.5,2025-02-30,01/04/2026,,,maybe',
    'NHS,health_contract,100,2025-04-01,2025-03-31,,,true',
    'NHS,health_contract,100,2025-04-01,,1,Picton,',
  ]);
  t.equal(rows.length, 0);
  t.same(problems(report), [
    [2, 'partner', 'is required'],
    [2, 'kind', 'must be one of health_contract, lettings, grant, childcare_fees, other'],
    [2, 'annualValuePence', 'must be a whole number'],
    [2, 'startDate', 'must be a date written YYYY-MM-DD'],
    [2, 'endDate', 'must be a date written YYYY-MM-DD'],
    [2, 'requiresSiteOpen', 'must be true or false'],
    [3, 'endDate', 'must not be before startDate'],
    [3, 'requiresSiteOpen', 'needs a site: give siteUrn or siteName'],
    [4, 'siteName', 'give siteUrn or siteName, not both'],
  ]);
});
