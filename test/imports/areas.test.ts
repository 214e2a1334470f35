import t from 'tap';
import { parseAreas } from '../../src/imports/areas.js';
import { importLines, problems } from '../helpers/imports.js';

const header = 'code,name,lat,lon,under5Population,deprivationDecile,idaciDecile';

t.test('good rows; idaciDecile may be left empty or out', async (t) => {
  const { rows, report } = await importLines(parseAreas, header, [
    'E01006512,Liverpool 031A,53.400975,-2.961748,80,5,6',
    'E01006514,Liverpool 037A,53.398955,-2.969739,27,2,',
  ]);
  t.equal(report.errorCount, 0);
  t.same(rows, [
    { code: 'E01006512', name: 'Liverpool 031A', lat: 53.400975, lon: -2.961748, under5Population: 80, deprivationDecile: 5, idaciDecile: 6 },
    { code: 'E01006514', name: 'Liverpool 037A', lat: 53.398955, lon: -2.969739, under5Population: 27, deprivationDecile: 2, idaciDecile: null },
  ]);
  const withoutIdaci = await importLines(parseAreas, 'code,name,lat,lon,under5Population,deprivationDecile', ['E01006512,A,53.4,-2.9,1,1']);
  t.match(withoutIdaci.rows, [{ idaciDecile: null }]);
});

t.test('bad rows: column and reason', async (t) => {
  const { rows, report } = await importLines(parseAreas, header, [
    'E01006512,A,53.4,-2.9,80,5,6',
    'L01,B,53.4,-2.9,12.5,0,11',
    'E01006513,,abc,-2.9,-1,,',
    'E01006512,Again,53.4,-2.9,80,5,6',
  ]);
  t.equal(rows.length, 1);
  t.same(problems(report), [
    [3, 'code', 'must be an LSOA code such as E01006512'],
    [3, 'under5Population', 'must be a whole number'],
    [3, 'deprivationDecile', 'must be at least 1'],
    [3, 'idaciDecile', 'must be at most 10'],
    [4, 'name', 'is required'],
    [4, 'lat', 'must be a number such as 12.5 (no commas, spaces or £)'],
    [4, 'under5Population', 'must be at least 0'],
    [4, 'deprivationDecile', 'is required'],
    [5, 'code', 'repeats the row on line 2'],
  ]);
});
