import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { haversineM } from '../../src/domain/geo.js';
import { parseSites } from '../../src/imports/sites.js';
import { fixturesDir, importLines, problems, readAll } from '../helpers/imports.js';

const header = 'name,urn,role,hubUrn,hubName,status,lat,lon,postcode,address,openingHoursPerWeek,services,annualPremisesCostPence,annualRunningCostPence';

t.test('our template: a hub, a spoke naming it, and a row with only the required columns', async (t) => {
  const { rows, report } = await importLines(parseSites, header, [
    'Picton Family Hub,123456,Hub,,,open,53.398892,-2.943016,l7 6hd,"139 Earle Road, Picton, Liverpool",50,"stay_and_play; health_visiting",7000000,6000000',
    "Walton Children's Centre,,spoke,123456,,,53.451466,-2.959028,L9 1NB,,,,,",
  ]);
  t.equal(report.format, 'template');
  t.equal(report.errorCount, 0);
  t.same(rows, [
    {
      name: 'Picton Family Hub',
      urn: '123456',
      postcode: 'L7 6HD',
      address: '139 Earle Road, Picton, Liverpool',
      role: 'hub',
      hub: null,
      status: 'open',
      lat: 53.398892,
      lon: -2.943016,
      openingHoursPerWeek: 50,
      services: ['stay_and_play', 'health_visiting'],
      annualPremisesCostPence: 7_000_000,
      annualRunningCostPence: 6_000_000,
    },
    {
      name: "Walton Children's Centre",
      urn: null,
      postcode: 'L9 1NB',
      address: null,
      role: 'spoke',
      hub: { urn: '123456' },
      status: 'open',
      lat: 53.451466,
      lon: -2.959028,
      openingHoursPerWeek: undefined,
      services: undefined,
      annualPremisesCostPence: undefined,
      annualRunningCostPence: undefined,
    },
  ]);

  const minimal = await importLines(parseSites, 'Name,LAT,lon,postcode', ['Speke,53.34,-2.84,L24 0TW']);
  t.match(minimal.rows, [{ name: 'Speke', role: 'standalone', status: 'open', hub: null }], 'columns match in any case');
});

t.test('our template: each bad cell is reported by row, column and reason', async (t) => {
  const { rows, report } = await importLines(parseSites, header, [
    'Good,,,,,,53.4,-2.9,L1 1AA,,,,,',
    ',,boss,,,shut,-2.9,53.4,nowhere,,200,"creche",-5,1.5',
    'Lost spoke,,spoke,,,,53.4,-2.9,L1 1AB,,,,,',
    'Hub with a hub,,hub,,Other,,53.4,-2.9,L1 1AC,,,,,',
    'Both,,spoke,1,Other,,53.4,-2.9,L1 1AD,,,,,',
    'No key,,,,,,53.4,-2.9,,,,,,',
    'good,,,,,,53.5,-2.9,l1 1aa,,,,,',
  ]);
  t.equal(rows.length, 1);
  t.equal(report.invalidRows, 6);
  t.same(problems(report), [
    [3, 'name', 'is required'],
    [3, 'role', 'must be one of hub, spoke, standalone, venue'],
    [3, 'status', 'must be one of open, closed'],
    [3, 'lat', 'must be a latitude in Great Britain (49 to 61); are lat and lon swapped?'],
    [3, 'lon', 'must be a longitude in Great Britain (-9 to 2); are lat and lon swapped?'],
    [3, 'postcode', 'must be a UK postcode such as L7 6HD'],
    [3, 'openingHoursPerWeek', 'must be at most 168'],
    [
      3,
      'services',
      'has creche: each value must be one of antenatal, postnatal, health_visiting, stay_and_play, parenting_support, employment_advice, childcare, speech_and_language, family_support, other, separated by ;',
    ],
    [3, 'annualPremisesCostPence', 'must be at least 0'],
    [3, 'annualRunningCostPence', 'must be a whole number'],
    [4, 'hubUrn', 'is required: give hubUrn or hubName'],
    [5, 'hubName', 'only a spoke or a venue names a hub'],
    [6, 'hubName', 'give hubUrn or hubName, not both'],
    [7, 'postcode', 'is required when there is no URN: a site is matched by URN, or else by name and postcode'],
    [8, 'name', 'repeats the row on line 2'],
  ]);
});

t.test('our template: unknown and missing columns are header errors', async (t) => {
  const { rows, report } = await importLines(parseSites, 'name,latitude,lon,hub', ['A,53.4,-2.9,B']);
  t.same(rows, []);
  t.equal(report.format, null);
  t.same(
    report.errors.map((error) => [error.line, error.row, error.column]),
    [
      [1, null, 'latitude'],
      [1, null, 'hub'],
      [1, null, 'lat'],
    ],
  );
  t.match(report.errors[0]?.reason, /is not a column of the sites template \(name, urn, role/);
  t.equal(report.errors[2]?.reason, 'is a required column and is missing from the header');
});

const registerHeader =
  'URN,LA (code),EstablishmentName,TypeOfEstablishment (name),EstablishmentStatus (name),Street,Locality,Address3,Town,Postcode,Easting,Northing';

t.test('the DfE register: Windows-1252 decoded, Easting/Northing converted within 5 m of the real postcode centroid', async (t) => {
  const { rows, report } = await readAll(parseSites(createReadStream(join(fixturesDir, 'register-sample-1252.csv'))));
  t.equal(report.format, 'dfe-register');
  t.equal(report.encoding, 'windows-1252');
  t.equal(report.errorCount, 0);
  t.equal(rows.length, 6);
  t.match(rows[0], {
    name: 'Formerly Ellergreen Children\u2019s Centre',
    urn: '999001',
    role: 'standalone',
    hub: null,
    status: 'open',
    postcode: 'L11 2RY',
    address: 'Ellergreen Road, Liverpool',
  });

  const { rows: published } = await readAll(parseSites(createReadStream(join(fixturesDir, 'liverpool', 'sites.csv'))));
  for (const site of rows) {
    const source = published.find((candidate) => candidate.postcode === site.postcode);
    t.ok(source && haversineM(site, source) < 5, `${site.name} within 5 m`);
  }
});

t.test('the DfE register: linked sites are standalone unless the file has our role columns', async (t) => {
  const { rows, report } = await importLines(parseSites, `${registerHeader},role,hubUrn`, [
    "100001,341,Picton Children's Centre,Children's centre,Open,139 Earle Road,,,Liverpool,L7 6HD,337000,389700,hub,",
    '100002,341,Earle Road Linked Site,Children\'s Centre Linked Site,"Open, but proposed to close",,,,Liverpool,L7 6HE,337100,389800,spoke,100001',
    "100003,341,Old Site,Children's Centre Linked Site,Closed,,,,Liverpool,L7 6HF,337200,389900,,",
  ]);
  t.equal(report.errorCount, 0);
  t.same(
    rows.map((row) => [row.urn, row.role, row.hub, row.status]),
    [
      ['100001', 'hub', null, 'open'],
      ['100002', 'spoke', { urn: '100001' }, 'open'],
      ['100003', 'standalone', null, 'closed'],
    ],
  );
  t.equal(rows[0]?.address, '139 Earle Road, Liverpool');
});

t.test('the DfE register: lat/lon columns instead of Easting/Northing; other register columns ignored', async (t) => {
  const { rows, report } = await importLines(
    parseSites,
    'URN,EstablishmentName,TypeOfEstablishment (name),EstablishmentStatus (name),Postcode,Latitude,Longitude,HeadLastName',
    ["100001,Picton,Children's Centre,Open,L7 6HD,53.398892,-2.943016,Smith"],
  );
  t.equal(report.errorCount, 0);
  t.match(rows, [{ name: 'Picton', lat: 53.398892, lon: -2.943016, role: 'standalone' }]);
});

t.test('the DfE register: bad rows are reported under the register column names', async (t) => {
  const { rows, report } = await importLines(parseSites, registerHeader, [
    '100001,341,A school,Community school,Open,,,,Liverpool,L7 6HD,337000,389700',
    "100002,341,Proposed,Children's Centre,Proposed to open,,,,Liverpool,L7 6HD,337000,389700",
    "100003,341,No place,Children's Centre,Open,,,,Liverpool,L7 6HD,,",
    "100004,341,Off the grid,Children's Centre,Open,,,,Liverpool,L7 6HD,900000,389700",
    "100004,341,Repeat,Children's Centre,Open,,,,Liverpool,L7 6HD,337000,389700",
    "100005,341,Repeat,Children's Centre,Open,,,,Liverpool,L7 6HD,337000,389700",
    "100005,341,Repeat,Children's Centre,Open,,,,Liverpool,L7 6HD,337000,389700",
  ]);
  t.equal(rows.length, 2);
  t.same(problems(report), [
    [2, 'TypeOfEstablishment (name)', "must be Children's Centre or Children's Centre Linked Site: filter the register to children's centres"],
    [3, 'EstablishmentStatus (name)', 'must be Open, Closed or "Open, but proposed to close"'],
    [4, 'Easting', 'is required: give Easting and Northing, or Latitude and Longitude'],
    [5, 'Easting', 'must be at most 700000'],
    [8, 'URN', 'repeats the row on line 7'],
  ]);
});

t.test('the DfE register: missing columns are header errors', async (t) => {
  const { report } = await importLines(parseSites, 'URN,EstablishmentName,Postcode', ['1,A,L1 1AA']);
  t.same(
    report.errors.map((error) => error.column),
    ['TypeOfEstablishment (name)', 'EstablishmentStatus (name)', 'Easting'],
  );
});
