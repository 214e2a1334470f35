// Outcomes as CSV: the import (all or nothing, the JSON API's rules, upsert by name), its template, and
// the export at …/outcomes.csv, which the import takes back unchanged.
import t from 'tap';
import { illustrativeOutcomes } from '../../src/demo/illustrative-outcomes.js';
import { toCsv } from '../../src/domain/csv.js';
import { outcomeTemplateColumns } from '../../src/imports/outcomes.js';
import { templateCsv } from '../../src/imports/templates.js';
import { outcomeFields, type OutcomeInput } from '../../src/schemas/resources.js';
import { type Client, client, createCouncil } from '../helpers/api.js';
import { testApp } from '../helpers/app.js';

const csvHeaders = { 'content-type': 'text/csv' };

/** The outcomes as our template's CSV, in the order given. */
const outcomesCsv = (outcomes: readonly OutcomeInput[]) =>
  toCsv(
    outcomeTemplateColumns,
    outcomes.map((outcome) => outcomeTemplateColumns.map((column) => outcome[column])),
  );

/** The council's outcomes through the JSON API, by name, with only the fields an outcome has. */
async function listed(api: Client, councilId: string) {
  const res = await api.get(`/councils/${councilId}/outcomes?limit=100`);
  const fields = Object.keys(outcomeFields.shape);
  return (res.body.items as Record<string, unknown>[])
    .map((item) => Object.fromEntries(fields.map((field) => [field, item[field]])))
    .sort((a, b) => String(a.name).localeCompare(String(b.name)));
}

const byName = (outcomes: readonly OutcomeInput[]) => [...outcomes].sort((a, b) => a.name.localeCompare(b.name));

// One app and database for the file: each test works in councils of its own.
const api = client(await testApp(t));

t.test('the demo set imports; export, import elsewhere and export again give the same bytes', async (t) => {
  const first = await createCouncil(api);
  const imported = await api.post(`/councils/${first}/imports/outcomes`, outcomesCsv(illustrativeOutcomes), csvHeaders);
  t.equal(imported.status, 200, JSON.stringify(imported.body));
  t.match(imported.body, { kind: 'outcomes', applied: true, created: illustrativeOutcomes.length, updated: 0 });
  t.same(await listed(api, first), byName(illustrativeOutcomes), 'every field as in the demo');

  const exported = await api.get(`/councils/${first}/outcomes.csv`);
  t.equal(exported.status, 200);
  t.match(exported.headers['content-type'], /^text\/csv/);
  t.match(exported.headers['content-disposition'], /filename="outcomes.csv"/);
  const text = String(exported.body);
  t.equal(text.split('\r\n')[0], `\uFEFF${outcomeTemplateColumns.join(',')}`, 'the columns of the import');

  const second = await createCouncil(api);
  const again = await api.post(`/councils/${second}/imports/outcomes`, text, csvHeaders);
  t.equal(again.status, 200, JSON.stringify(again.body));
  t.equal((await api.get(`/councils/${second}/outcomes.csv`)).body, text, 'byte-identical in another council');
  t.same(await listed(api, second), await listed(api, first));

  const reimported = await api.post(`/councils/${first}/imports/outcomes`, text, csvHeaders);
  t.match(reimported.body, { created: 0, updated: illustrativeOutcomes.length, removed: 0 }, 'upserts by name: a re-import never duplicates');
  t.equal((await api.get(`/councils/${first}/outcomes.csv`)).body, text, 'byte-identical after a re-import');

  const changed = text.replace(',Local authority (education),0.1\r\n', ',Local authority (education),0.25\r\n');
  t.not(changed, text);
  await api.post(`/councils/${first}/imports/outcomes`, changed, csvHeaders);
  const schoolReadiness = (await listed(api, first)).find((outcome) => outcome.agency === 'Local authority (education)');
  t.equal(schoolReadiness?.cashability, 0.25, 'an edited cell updates the outcome');
});

t.test("a file is the council's whole set: it replaces the illustrative defaults", async (t) => {
  const councilId = await createCouncil(api);
  await api.post(`/councils/${councilId}/imports/outcomes`, outcomesCsv(illustrativeOutcomes), csvHeaders);
  const [kept] = illustrativeOutcomes as [OutcomeInput];
  const own = { ...kept, name: 'Our own school readiness', illustrative: false, impactRate: 0.04 };
  const file = outcomesCsv([own, { ...kept, illustrative: false }]);
  const dry = await api.post(`/councils/${councilId}/imports/outcomes?dryRun=true`, file, csvHeaders);
  t.match(dry.body, { applied: false, created: 1, updated: 1, removed: illustrativeOutcomes.length - 1 }, 'a dry run counts the removals');
  t.equal((await listed(api, councilId)).length, illustrativeOutcomes.length, 'and makes none');
  const applied = await api.post(`/councils/${councilId}/imports/outcomes`, file, csvHeaders);
  t.match(applied.body, { applied: true, created: 1, updated: 1, removed: illustrativeOutcomes.length - 1 });
  t.same(await listed(api, councilId), byName([own, { ...kept, illustrative: false }]));

  const asCsv = await api.get(`/councils/${councilId}/outcomes`, { accept: 'text/csv' });
  t.equal(asCsv.status, 406, 'CSV has a path of its own, as everywhere in the API: …/outcomes.csv');
});

t.test('a bad row is a 422 naming its line and column, and nothing is written', async (t) => {
  const councilId = await createCouncil(api);
  const [good, other] = illustrativeOutcomes as [OutcomeInput, OutcomeInput];
  const bad = [
    { ...other, name: 'Probability', engagementRate: 1.5 },
    { ...other, name: 'Lag', lagYears: -1 },
    { ...other, name: 'No value', fiscalValuePence: 0, economicValuePence: 0, socialValuePence: 0 },
    { ...other, name: 'Low above central', impactRateLow: 0.9 },
    { ...other, name: 'Households', cohortBasis: 'households' as const, under5sPerHousehold: null },
    { ...other, name: '' },
  ];
  const res = await api.post(`/councils/${councilId}/imports/outcomes`, outcomesCsv([good, ...bad, good]), csvHeaders);
  t.equal(res.status, 422);
  t.match(res.headers['content-type'], /application\/problem\+json/);
  const found = res.body.report.errors.map((e: { line: number; column: string }) => [e.line, e.column]);
  t.same(found, [
    [3, 'engagementRate'],
    [4, 'lagYears'],
    [5, 'fiscalValuePence'],
    [6, 'impactRateLow'],
    [7, 'under5sPerHousehold'],
    [8, 'name'],
    [9, 'name'],
  ]);
  const reasons = res.body.report.errors.map((e: { reason: string }) => e.reason);
  t.equal(reasons[0], 'must be between 0 and 1', "the JSON API's message");
  t.equal(reasons[5], 'is required');
  t.equal(reasons[6], 'repeats the row on line 2');
  t.ok(
    res.body.errors.some((e: { path: string }) => e.path === 'line 3, column engagementRate'),
    'the problem names line and column',
  );

  // The same outcome as a JSON body is refused for the same reason, by the same rule.
  const json = await api.post(`/councils/${councilId}/outcomes`, bad[0]);
  t.equal(json.status, 422);
  t.same(json.body.errors, [{ path: '/engagementRate', message: reasons[0] }]);

  t.same(await listed(api, councilId), [], 'the good rows were not written either');

  const badCell = await api.post(`/councils/${councilId}/imports/outcomes`, outcomesCsv([good]).replace(',4,1,0,100000,', ',four,1,0,100000,'), csvHeaders);
  t.equal(badCell.status, 422);
  t.match(badCell.body.report.errors, [{ line: 2, column: 'lagYears', reason: /must be a number/ }]);
  const wholeNumber = await api.post(`/councils/${councilId}/imports/outcomes`, outcomesCsv([{ ...good, lagYears: 1.5 }]), csvHeaders);
  t.match(wholeNumber.body.report.errors, [{ line: 2, column: 'lagYears' }], 'years are whole, as in the JSON API');

  const unknownColumn = await api.post(`/councils/${councilId}/imports/outcomes`, 'name,colour\nA,blue\n', csvHeaders);
  t.equal(unknownColumn.status, 422);
  const headerProblems = unknownColumn.body.report.errors.map((e: { line: number; column: string }) => [e.line, e.column]);
  t.same(headerProblems, [
    [1, 'colour'],
    [1, 'sourceRef'],
    [1, 'priceYear'],
    [1, 'cohortBasis'],
    [1, 'engagementRate'],
    [1, 'impactRate'],
    [1, 'agency'],
  ]);
});

t.test('a dry run reports and writes nothing; defaults fill empty cells', async (t) => {
  const councilId = await createCouncil(api);
  const minimal = [
    'name,sourceRef,priceYear,cohortBasis,engagementRate,impactRate,agency,socialValuePence',
    'Parent back in work,DWP (illustrative),2023/24,households,1,0.02,DWP,500000',
  ].join('\n');
  const refused = await api.post(`/councils/${councilId}/imports/outcomes?dryRun=true`, minimal, csvHeaders);
  t.match(refused.body.report.errors, [{ line: 2, column: 'under5sPerHousehold', reason: 'is needed, above 0, when cohortBasis is households' }]);

  const file = minimal.replace('agency,socialValuePence', 'agency,socialValuePence,under5sPerHousehold').replace(',500000', ',500000,1.5');
  const dry = await api.post(`/councils/${councilId}/imports/outcomes?dryRun=true`, file, csvHeaders);
  t.equal(dry.status, 200);
  t.match(dry.body, { dryRun: true, applied: false, created: 1, report: { validRows: 1, errorCount: 0 } });
  t.same(await listed(api, councilId), [], 'a dry run writes nothing');

  const applied = await api.post(`/councils/${councilId}/imports/outcomes`, file, csvHeaders);
  t.match(applied.body, { applied: true, created: 1 });
  t.match(await listed(api, councilId), [
    {
      name: 'Parent back in work',
      illustrative: false,
      under5sPerHousehold: 1.5,
      impactRateLow: null,
      deadweight: 0,
      attribution: 1,
      lagYears: 0,
      durationYears: 1,
      fiscalValuePence: 0,
      priceUplift: 1,
      cashability: 0,
    },
  ]);
});

t.test('the template: the import columns, and its example imports', async (t) => {
  const councilId = await createCouncil(api);
  const template = await api.get(`/councils/${councilId}/imports/templates/outcomes.csv`);
  t.equal(template.status, 200);
  t.equal(template.body, templateCsv('outcomes'));
  const header = String(template.body)
    .replace(/^\uFEFF/, '')
    .split('\r\n')[0]!
    .split(',');
  t.same(header, outcomeTemplateColumns);
  t.same(header, Object.keys(outcomeFields.shape), 'every field of an outcome, in the API order');
  const imported = await api.post(`/councils/${councilId}/imports/outcomes`, String(template.body), csvHeaders);
  t.match(imported.body, { created: 1 });
});

t.test('the export guards cells a spreadsheet would run, and reads them back as they were', async (t) => {
  const councilId = await createCouncil(api);
  const [outcome] = illustrativeOutcomes as [OutcomeInput];
  const created = await api.post(`/councils/${councilId}/outcomes`, {
    ...outcome,
    name: '=HYPERLINK("http://example.test","click")',
    agency: '@NHS',
    sourceRef: '-1+2',
    impactRateLow: 1e-7,
  });
  t.equal(created.status, 201, JSON.stringify(created.body));
  const text = String((await api.get(`/councils/${councilId}/outcomes.csv`)).body);
  const row = text.split('\r\n')[1]!;
  t.ok(row.startsWith(`"'=HYPERLINK(""http://example.test"",""click"")",'-1+2,`), row);
  t.match(row, /,'@NHS,/);
  t.match(row, /,1e-7,/, 'a very small rate as JavaScript writes it');

  const elsewhere = await createCouncil(api);
  t.equal((await api.post(`/councils/${elsewhere}/imports/outcomes`, text, csvHeaders)).status, 200);
  t.same(await listed(api, elsewhere), await listed(api, councilId), 'the guarded cells read back as the text they were');
  t.equal((await api.get(`/councils/${elsewhere}/outcomes.csv`)).body, text);
});
