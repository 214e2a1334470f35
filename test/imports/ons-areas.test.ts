import { join } from 'node:path';
import t from 'tap';
import { parseAreas } from '../../src/imports/areas.js';
import { LocalAuthorityError, buildAreasForLocalAuthority, bundledOnsDataDir } from '../../src/imports/ons-areas.js';
import { fixturesDir, onsMiniDir, readAll } from '../helpers/imports.js';
import { createReadStream } from 'node:fs';

t.test('a tiny data set: unchanged, split and merged LSOAs', async (t) => {
  const { localAuthority, areas } = await buildAreasForLocalAuthority(onsMiniDir, 'e08000001');
  t.same(localAuthority, { code: 'E08000001', name: 'Testborough' });
  t.same(
    areas.map((area) => [area.code, area.name, area.under5Population, area.deprivationDecile, area.idaciDecile]),
    [
      ['E01000001', 'Testborough 001A', 100, 1, 5], // unchanged: 320 aged 0-15 × 5/16
      ['E01000101', 'Testborough 002E', 25, 2, 2], // a split: 160 × 5/16 shared by two
      ['E01000102', 'Testborough 002F', 25, 2, 2],
      ['E01000103', 'Testborough 003G', 70, 4, 6], // a merge: 30 + 40, deciles from the larger part
    ],
  );
  t.match(areas[0], { lat: 53.404001, lon: -2.984001 });
});

t.test('a council formed after 2022 is built from its predecessor districts; equal IDACI ranks share a decile', async (t) => {
  const { localAuthority, areas } = await buildAreasForLocalAuthority(onsMiniDir, 'E06000099');
  t.equal(localAuthority.name, 'Newshire');
  t.same(
    areas.map((area) => [area.code, area.under5Population, area.idaciDecile]),
    [
      ['E01000105', 10, 3], // 33 × 5/16 = 10.3
      ['E01000106', 11, 3], // 34 × 5/16 = 10.6
    ],
  );
});

t.test('codes it cannot build say why', async (t) => {
  const cases: [string, RegExp][] = [
    ['E09999999', /^E09999999 is not a local-authority district code$/],
    ['E07000901', /Oldshire North\) no longer exists: use E06000099 \(Newshire\)/],
    ['W06000001', /is not in England: IoD2019 deprivation covers England only/],
    ['E08000002', /Emptyton\) has no LSOAs in the 2021 lookup/],
  ];
  for (const [code, message] of cases) {
    await t.rejects(buildAreasForLocalAuthority(onsMiniDir, code), { constructor: LocalAuthorityError, message }, code);
  }
  await t.rejects(buildAreasForLocalAuthority(join(onsMiniDir, 'nowhere'), 'E08000001'), /ENOENT/);
});

t.test('the files shipped in data/open/ons build the committed fixtures, with no data from outside the project', async (t) => {
  for (const [code, folder, count] of [
    ['E08000012', 'liverpool', 302],
    ['E08000025', 'birmingham', 659],
  ] as const) {
    const { areas } = await buildAreasForLocalAuthority(bundledOnsDataDir, code);
    t.equal(areas.length, count, `${folder}: its LSOAs (2021)`);
    const { rows } = await readAll(parseAreas(createReadStream(join(fixturesDir, folder, 'areas.csv'))));
    t.same(rows, areas, `fixtures/${folder}/areas.csv`);
  }
  await t.rejects(buildAreasForLocalAuthority(bundledOnsDataDir, 'W06000001'), { constructor: LocalAuthorityError, message: /not in England/ });
});
