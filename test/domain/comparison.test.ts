// Options compared on the three-site network (figures worked in test/helpers/planning-fixtures.ts and actions.test.ts).
import t from 'tap';
import { comparisonToCsv, compareOptions, type ComparedOption } from '../../src/domain/comparison.js';
import { toCsv } from '../../src/domain/csv.js';
import type { ScenarioAction } from '../../src/schemas/scenario.js';
import { evaluated, ids } from '../helpers/planning-fixtures.js';

const option = (id: string, name: string, actions: ScenarioAction[], overrides = {}): ComparedOption => ({
  id,
  name,
  evaluation: evaluated(actions, overrides),
});

// saving a year, reach, deprived reach:
const options = [
  // 16,450,091; 300 (L3, 150, no longer reached); 300
  option('close-a', 'Close A', [{ type: 'close_site', siteId: ids.standalone }]),
  // 3,200,000; 450; 300
  option('spoke-a', 'A becomes a spoke', [{ type: 'make_spoke', siteId: ids.standalone, hubId: ids.hub }]),
  // 750,000; 450; 300
  option('cut-s', 'Cut S hours', [{ type: 'change_hours', siteId: ids.spoke, openingHoursPerWeek: 15 }]),
  // −2,000,000; 450; 300
  option('drop-nhs', 'Lose the NHS contract', [{ type: 'remove_income', incomeStreamId: ids.nhsContract }]),
  // S's posts 3,300,000 + 899,910.33, premises 2,000,000, running 3,000,000: staff 26,000,090.17 → 26,000,090,
  // saving 57,200,001 − 48,000,090 = 9,199,911; L2 (200, deprived) no longer reached: reach 250, deprived 100.
  option('close-s', 'Close S', [{ type: 'close_site', siteId: ids.spoke }]),
];

t.test('headline figures, deltas, dominance and rank', async (t) => {
  const { rows, sameParameters } = compareOptions(options);
  t.ok(sameParameters);
  t.same(
    rows.map((row) => [row.optionId, row.annualSavingPence, row.reachedUnder5s, row.deprivedReachedUnder5s, row.under5sNoLongerReached]),
    [
      ['baseline', 0, 450, 300, 0],
      ['close-a', 16_450_091, 300, 300, 150],
      ['spoke-a', 3_200_000, 450, 300, 0],
      ['cut-s', 750_000, 450, 300, 0],
      ['drop-nhs', -2_000_000, 450, 300, 0],
      ['close-s', 9_199_911, 250, 100, 200],
    ],
  );
  t.same(
    rows.map((row) => [row.optionId, row.dominatedBy]),
    [
      ['baseline', ['spoke-a', 'cut-s']],
      ['close-a', []],
      ['spoke-a', []],
      ['cut-s', ['spoke-a']],
      ['drop-nhs', ['baseline', 'spoke-a', 'cut-s']],
      ['close-s', ['close-a']],
    ],
  );
  // Losing nobody first, by saving: spoke-a, cut-s, drop-nhs (costs more, still loses nobody). Then by
  // saving per under-5 no longer reached: close-a 16,450,091 ÷ 150 = 109,667; close-s 9,199,911 ÷ 200 = 46,000.
  t.same(
    rows.map((row) => [row.optionId, row.rank, row.savingPerUnder5NoLongerReachedPence]),
    [
      ['baseline', null, null],
      ['close-a', 4, 109_667],
      ['spoke-a', 1, null],
      ['cut-s', 2, null],
      ['drop-nhs', 3, null],
      ['close-s', 5, 46_000],
    ],
  );
  const closeA = rows[1]!;
  t.same(closeA.deltas, {
    netCostPence: -16_450_091,
    reachedUnder5s: -150,
    deprivedReachedUnder5s: 0,
    reachShare: 300 / 650 - 450 / 650,
    deprivedReachShare: 0,
    meanDistanceM: 1540 - 753,
    fte: -2.4667,
    openSites: -1,
    coreOfferReachedUnder5s: null,
  });
  t.equal(closeA.oneOffCostPence, 4_975_045);
  t.equal(closeA.incomeLostPence, 500_000);
});

t.test('ties: equal options do not dominate each other and rank by id', async (t) => {
  const actions: ScenarioAction[] = [{ type: 'make_spoke', siteId: ids.standalone, hubId: ids.hub }];
  const { rows } = compareOptions([option('b', 'Second', actions), option('a', 'First', actions)], { includeBaseline: false });
  t.same(
    rows.map((row) => [row.optionId, row.rank, row.dominatedBy]),
    [
      ['b', 2, []],
      ['a', 1, []],
    ],
  );
});

t.test('options evaluated with different parameters are flagged', async (t) => {
  const { sameParameters } = compareOptions([
    options[0]!,
    option('wide', 'Close A, 2 km', [{ type: 'close_site', siteId: ids.standalone }], { radiusM: 2000 }),
  ]);
  t.notOk(sameParameters);
  t.same(compareOptions([]), { rows: [], sameParameters: true, rankBy: 'saving_per_under5_lost' });
});

t.test('CSV: a byte-order mark, RFC 4180 quoting, pounds beside pence, and no spreadsheet formulas', async (t) => {
  const bom = '\uFEFF';
  const cell = (value: string | number | boolean | null) => toCsv(['a'], [[value]]).slice(`${bom}a\r\n`.length, -2);
  t.ok(toCsv(['a'], []).startsWith(bom), 'a UTF-8 byte-order mark first, so that Excel reads UTF-8');
  t.equal(cell('plain'), 'plain');
  t.equal(cell('Café Ysgol'), 'Café Ysgol', 'non-ASCII kept as it is');
  t.equal(cell('a, b'), '"a, b"');
  t.equal(cell('say "hi"'), '"say ""hi"""');
  t.equal(cell('two\nlines'), '"two\nlines"');
  t.equal(cell('=HYPERLINK("http://x")'), '"\'=HYPERLINK(""http://x"")"');
  t.equal(cell('+1 more'), "'+1 more");
  t.equal(cell('-close A'), "'-close A");
  t.equal(cell('@SUM(A1)'), "'@SUM(A1)");
  t.equal(cell('\t=1'), "'\t=1");
  t.equal(cell('  =1+1'), "'  =1+1", 'after spaces');
  t.equal(cell('\u200B=1+1'), "'\u200B=1+1", 'after a zero-width space');
  t.equal(cell('\uFEFF\u2060@SUM(A1)'), "'\uFEFF\u2060@SUM(A1)", 'after a byte-order mark and a word joiner');
  for (const fullWidth of ['\uFF1D', '\uFF0B', '\uFF0D', '\uFF20']) {
    t.equal(cell(`${fullWidth}cmd|calc`), `'${fullWidth}cmd|calc`, `full-width ${fullWidth}`);
    t.equal(cell(` \u200D${fullWidth}1`), `' \u200D${fullWidth}1`, `full-width ${fullWidth} after spaces and a joiner`);
  }
  t.equal(cell('a = b'), 'a = b', 'an = inside the text is harmless');
  t.equal(cell('-12.5'), '-12.5', 'a plain number as text stays a number');
  t.equal(cell(-2_000_000), '-2000000');
  t.equal(cell(null), '');
  t.equal(cell(true), 'true');
  t.equal(toCsv(['a', 'b'], [[1, 'x,y']]), `${bom}a,b\r\n1,"x,y"\r\n`);
  t.equal(
    toCsv(
      ['name', 'costPence', 'n'],
      [
        ['x', -123_456, 1],
        ['y', null, 2],
      ],
      { poundsBesidePence: true },
    ),
    `${bom}name,costPence,costPounds,n\r\nx,-123456,-1234.56,1\r\ny,,,2\r\n`,
    'each pence column followed by its pounds, exactly',
  );
});

t.test('the comparison as CSV', async (t) => {
  const named = [option('x', '=cmd|calc, "evil"', [{ type: 'make_spoke', siteId: ids.standalone, hubId: ids.hub }]), options[3]!];
  const csv = comparisonToCsv(compareOptions(named).rows);
  t.ok(csv.startsWith('\uFEFF'), 'a byte-order mark');
  const lines = csv.slice(1).split('\r\n');
  t.equal(lines.length, 5, 'header, three rows, and the final line break');
  t.match(
    lines[0],
    /^optionId,name,isBaseline,rank,annualSavingPence,annualSavingPounds,.*,deltaNetCostPence,deltaNetCostPounds,.*,deltaOpenSites,deltaCoreOfferReachedUnder5s,dominatedBy,economicNpvP10Pence,.*,probabilityBestEconomic$/,
  );
  t.match(lines[1], /^baseline,Baseline,true,,0,0\.00,0,0\.00,0,0\.00,,54198631,541986\.31,450,/);
  t.match(lines[2], /^x,"'=cmd\|calc, ""evil""",false,1,3200000,32000\.00,2200000,22000\.00,12248168,122481\.68,0\.69,/);
  t.match(lines[3], /^drop-nhs,Lose the NHS contract,false,2,-2000000,-20000\.00,0,0\.00,-9030105,-90301\.05,0,56198631,561986\.31,/);
  t.match(lines[3], /,baseline x,,,,,,,,$/, 'dominated by the baseline and option x; no Monte Carlo asked for');
});
