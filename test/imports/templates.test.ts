import t from 'tap';
import { parseAreas } from '../../src/imports/areas.js';
import { parseCentralCosts } from '../../src/imports/central-costs.js';
import { parseIncomeStreams } from '../../src/imports/income-streams.js';
import { parseOutcomes } from '../../src/imports/outcomes.js';
import { parsePosts } from '../../src/imports/posts.js';
import type { ParseOptions, RowStream } from '../../src/imports/rows.js';
import { parseSites } from '../../src/imports/sites.js';
import { importKinds, templateCsv, type ImportKind } from '../../src/imports/templates.js';
import { bytes, readAll } from '../helpers/imports.js';

const parsers: Record<ImportKind, (source: ReturnType<typeof bytes>, options?: ParseOptions) => RowStream<unknown>> = {
  sites: parseSites,
  areas: parseAreas,
  posts: parsePosts,
  'income-streams': parseIncomeStreams,
  'central-costs': parseCentralCosts,
  outcomes: parseOutcomes,
};

for (const kind of importKinds) {
  t.test(`the ${kind} template's example row imports cleanly`, async (t) => {
    const csv = templateCsv(kind);
    t.equal(csv.split('\r\n').length, 3, 'a header, one example, a final line break');
    t.ok(csv.startsWith('\uFEFF'), 'a byte-order mark, for Excel');
    const { rows, report } = await readAll(parsers[kind](bytes(csv)));
    t.same(report.errors, []);
    t.equal(rows.length, 1);
    t.equal(report.format, 'template');
  });
}

t.test('the sites template shows how a spoke names its hub', async (t) => {
  t.match(templateCsv('sites'), /^\uFEFFname,urn,role,hubUrn,hubName,status,lat,lon,postcode,address,openingHoursPerWeek,services,/);
  t.match(templateCsv('sites'), /,spoke,,Clubmoor Family Hub,/);
});
